import { graphql } from "../graphql.ts";
import { errorFields } from "./error-fields.ts";

export const apiTokensQuery = graphql(`
  query ApiTokens($includeRevoked: Boolean) {
    apiTokens(includeRevoked: $includeRevoked) {
      id
      name
      prefix
      role
      createdAt
      lastUsedAt
      expiresAt
      revokedAt
      active
    }
  }
`);

export const createApiTokenMutation = graphql(`
  mutation CreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      __typename
      ... on CreateApiTokenPayload {
        token
        apiToken {
          id
          name
        }
      }
      ... on ValidationError {
        fieldErrors {
          field
          message
          code
          params
        }
      }
      ...ErrorFields
    }
  }
`, [errorFields]);

export const revokeApiTokenMutation = graphql(`
  mutation RevokeApiToken($id: ID!) {
    revokeApiToken(id: $id) {
      __typename
      ... on MutationRevokeApiTokenSuccess {
        data {
          id
          active
        }
      }
      ...ErrorFields
    }
  }
`, [errorFields]);

export const usersQuery = graphql(`
  query Users {
    users {
      id
      username
      role
      createdAt
      disabled
    }
  }
`);

export const createUserMutation = graphql(`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      __typename
      ... on MutationCreateUserSuccess {
        data {
          id
          username
        }
      }
      ... on ValidationError {
        fieldErrors {
          field
          message
          code
          params
        }
      }
      ...ErrorFields
    }
  }
`, [errorFields]);

export const updateUserMutation = graphql(`
  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {
    updateUser(id: $id, input: $input) {
      __typename
      ... on MutationUpdateUserSuccess {
        data {
          id
          role
          disabled
        }
      }
      ...ErrorFields
    }
  }
`, [errorFields]);

export const resetPasswordMutation = graphql(`
  mutation ResetPassword($id: ID!, $password: String!) {
    resetPassword(id: $id, password: $password) {
      __typename
      ... on MutationResetPasswordSuccess {
        data {
          id
        }
      }
      ... on ValidationError {
        fieldErrors {
          field
          message
          code
          params
        }
      }
      ...ErrorFields
    }
  }
`, [errorFields]);

export const changeMyPasswordMutation = graphql(`
  mutation ChangeMyPassword($currentPassword: String!, $newPassword: String!) {
    changeMyPassword(currentPassword: $currentPassword, newPassword: $newPassword) {
      __typename
      ... on ValidationError {
        fieldErrors {
          field
          message
          code
          params
        }
      }
      ...ErrorFields
    }
  }
`, [errorFields]);
