export { activeRuns, runningByWorker, type ActiveRuns } from "./live-state.ts";
export { jobRunStats, mostFailing, runBuckets, slowest, statusTotals, type JobRunStats, type RunBucket, type StatusCount } from "./run-stats.ts";
export { upcomingFires, type UpcomingFire } from "./upcoming-fires.ts";
export { windowSpan, type DashboardWindow, type WindowSpan } from "./window.ts";
