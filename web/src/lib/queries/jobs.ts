import { graphql } from "../graphql.ts";
import { errorFields } from "./error-fields.ts";

export const jobsQuery = graphql(`
  query Jobs($first: Int!, $after: String, $filter: JobFilter) {
    jobs(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          description
          enabled
          triggerType
          cronExpr
          intervalSeconds
          startAt
          timezone
          effectiveTimezone
          handlerPath
          nextFireTimes(count: 1)
          lastRun {
            id
            status
            scheduledAt
            createdAt
            startedAt
            finishedAt
          }
        }
      }
    }
  }
`);

export const runNowMutation = graphql(`
  mutation RunNow($jobId: String!) {
    runNow(jobId: $jobId) {
      __typename
      ... on MutationRunNowSuccess {
        data {
          id
          status
        }
      }
      ...ErrorFields
    }
  }
`, [errorFields]);

export const enableJobMutation = graphql(`
  mutation EnableJob($id: String!) {
    enableJob(id: $id) {
      __typename
      ... on MutationEnableJobSuccess {
        data {
          id
          enabled
        }
      }
      ...ErrorFields
    }
  }
`, [errorFields]);

export const disableJobMutation = graphql(`
  mutation DisableJob($id: String!) {
    disableJob(id: $id) {
      __typename
      ... on MutationDisableJobSuccess {
        data {
          id
          enabled
        }
      }
      ...ErrorFields
    }
  }
`, [errorFields]);

export const purgeLogsMutation = graphql(`
  mutation PurgeLogs($jobId: String!) {
    purgeLogs(jobId: $jobId) {
      __typename
      ... on MutationPurgeLogsSuccess {
        data {
          deleted
          keptActive
        }
      }
      ...ErrorFields
    }
  }
`, [errorFields]);

export const deleteJobMutation = graphql(`
  mutation DeleteJob($id: String!) {
    deleteJob(id: $id) {
      __typename
      ... on MutationDeleteJobSuccess {
        data {
          jobId
          deletedLogs
        }
      }
      ...ErrorFields
    }
  }
`, [errorFields]);
