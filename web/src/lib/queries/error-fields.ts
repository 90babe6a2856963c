import { graphql } from "../graphql.ts";

/** What every refused mutation answers with; unmasked so callers read `code`/`message` directly. */
export const errorFields = graphql(`
  fragment ErrorFields on Error @_unmask {
    code
    message
    params
  }
`);
