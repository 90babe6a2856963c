import { graphql } from "../graphql.ts";

export const jobScheduleQuery = graphql(`
  query JobSchedule($id: String!, $first: Int!, $after: String) {
    job(id: $id) {
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
      nextFireTimes(count: 10)
      fireRecords(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            slot
            outcome
            reason
            decidedAt
            logId
            run {
              id
              status
            }
          }
        }
      }
    }
  }
`);
