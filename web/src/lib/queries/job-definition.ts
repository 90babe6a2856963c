import { graphql } from "../graphql.ts";
import { errorFields } from "./error-fields.ts";

export const jobForEditQuery = graphql(`
  query JobForEdit($id: String!) {
    job(id: $id) {
      id
      description
      enabled
      triggerType
      cronExpr
      intervalSeconds
      startAt
      timezone
      handlerPath
      publicCfg
      hasSecrets
      secretKeys
      secretProblem
      timeoutSeconds
      allowOverlap
      misfireGraceSeconds
      keepLastRuns
      webhookUrl
      webhookFormat
      webhookWhen
      hasWebhookSecret
    }
  }
`);

export const triggerPreviewQuery = graphql(`
  query TriggerPreview($input: TriggerPreviewInput!) {
    triggerPreview(input: $input) {
      __typename
      ... on QueryTriggerPreviewSuccess {
        data
      }
      ... on TriggerInvalidError {
        field
        message
        params
      }
    }
  }
`);

export const createJobMutation = graphql(`
  mutation CreateJob($input: CreateJobInput!) {
    createJob(input: $input) {
      __typename
      ... on MutationCreateJobSuccess {
        data {
          id
        }
      }
      ...ErrorFields
      ... on ValidationError {
        fieldErrors {
          field
          message
          code
          params
        }
      }
    }
  }
`, [errorFields]);

export const updateJobMutation = graphql(`
  mutation UpdateJob($id: String!, $input: UpdateJobInput!) {
    updateJob(id: $id, input: $input) {
      __typename
      ... on MutationUpdateJobSuccess {
        data {
          id
        }
      }
      ...ErrorFields
      ... on ValidationError {
        fieldErrors {
          field
          message
          code
          params
        }
      }
    }
  }
`, [errorFields]);
