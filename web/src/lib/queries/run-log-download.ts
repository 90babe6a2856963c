import { graphql } from "../graphql.ts";

/** The whole stored run log, for a download (the page may hold only what it streamed). */
export const runLogDownloadQuery = graphql(`
  query RunLogDownload($id: Int!) {
    jobLog(id: $id) {
      id
      jobId
      runLog
    }
  }
`);
