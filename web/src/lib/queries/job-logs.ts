import { graphql } from "../graphql.ts";
import { errorFields } from "./error-fields.ts";

export const jobLogsQuery = graphql(`
  query JobLogs($first: Int!, $after: String, $filter: JobLogFilter) {
    jobLogs(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          jobId
          status
          trigger
          attempt
          message
          messageCode
          messageParams
          createdAt
          scheduledAt
          startedAt
          finishedAt
          durationMs
        }
      }
    }
  }
`);

export const jobLogQuery = graphql(`
  query JobLog($id: Int!) {
    jobLog(id: $id) {
      id
      jobId
      status
      trigger
      attempt
      snapshotParams
      message
      messageCode
      messageParams
      traceback
      runLog
      runLogBytes
      scheduledAt
      startedAt
      finishedAt
      createdAt
      cancelRequestedAt
      durationMs
      traceId
      retryOf {
        id
      }
      retries {
        id
        status
      }
    }
  }
`);

/** Status changes of many runs (the run list keeps itself current with it). */
export const runStatusSubscription = graphql(`
  subscription RunStatus($jobId: String) {
    jobLogUpdated(jobId: $jobId) {
      kind
      logId
      status
    }
  }
`);

/** One run's status changes and run-log chunks from a byte offset on. */
export const runStreamSubscription = graphql(`
  subscription RunStream($logId: Int!, $fromOffset: Int!) {
    jobLogUpdated(logId: $logId, fromOffset: $fromOffset) {
      kind
      logId
      status
      offset
      text
    }
  }
`);

export const retryLogMutation = graphql(`
  mutation RetryLog($logId: Int!) {
    retryLog(logId: $logId) {
      __typename
      ... on MutationRetryLogSuccess {
        data {
          id
          status
        }
      }
      ...ErrorFields
    }
  }
`, [errorFields]);

export const cancelRunMutation = graphql(`
  mutation CancelRun($logId: Int!) {
    cancelRun(logId: $logId) {
      __typename
      ... on MutationCancelRunSuccess {
        data {
          id
          status
          cancelRequestedAt
        }
      }
      ...ErrorFields
    }
  }
`, [errorFields]);
