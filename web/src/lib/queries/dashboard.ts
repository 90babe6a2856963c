import { graphql } from "../graphql.ts";

export const dashboardQuery = graphql(`
  query Dashboard($window: DashboardWindow!) {
    dashboard(window: $window) {
      window
      since
      until
      statusCounts {
        status
        count
      }
      buckets {
        start
        counts {
          status
          count
        }
      }
      jobStats {
        jobId
        runs
        succeeded
        failed
        failureRate
        p95DurationMs
        avgDurationMs
      }
      slowestJobs(count: 5) {
        jobId
        runs
        p95DurationMs
        maxDurationMs
      }
      mostFailingJobs(count: 5) {
        jobId
        runs
        failed
        failureRate
      }
      active {
        running
        queued
        planned
      }
      workersAlive
      workers {
        workerId
        role
        runSlots
        runningRuns
        startedAt
        lastHeartbeatAt
        stoppingSince
      }
      nextFires(count: 10) {
        jobId
        at
      }
    }
  }
`);
