/** The web UI's list queries (web/src/lib/queries), sent as the UI sends them. */
export const JOBS_QUERY = `query Jobs($first: Int!, $after: String, $filter: JobFilter) {
  jobs(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id description enabled triggerType cronExpr intervalSeconds startAt timezone handlerPath
      nextFireTimes(count: 1)
      lastRun { id status createdAt startedAt finishedAt }
    } }
  }
}`;

export const JOB_LOGS_QUERY = `query JobLogs($first: Int!, $after: String, $filter: JobLogFilter) {
  jobLogs(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id jobId status trigger attempt message createdAt startedAt finishedAt durationMs } }
  }
}`;

/** Page sizes of web/src/routes/jobs.tsx and runs.tsx. */
export const JOBS_PAGE = 25;
export const RUNS_PAGE = 30;
