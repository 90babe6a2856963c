import { graphql } from "../graphql.ts";

export const serverInfoQuery = graphql(`
  query ServerInfo {
    serverInfo {
      name
      version
      timeZone
    }
  }
`);
