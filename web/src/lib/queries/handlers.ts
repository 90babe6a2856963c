import { graphql } from "../graphql.ts";

export const handlersQuery = graphql(`
  query Handlers {
    handlers {
      handlerPath
      description
      descriptions
      paramsJsonSchema
      secretsJsonSchema
    }
  }
`);
