import type { TestProject } from "vitest/node";
import { migrate } from "../../src/db/migrator.ts";
import { startFerretDb } from "./ferretdb.ts";
import { createScratchDatabase } from "./postgres.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated PostgreSQL database shared by this test run. */
    databaseUrl: string;
    /** FerretDB base URL (mongodb://host:port); pick a database name per test. */
    mongoUrl: string;
  }
}

/** Starts the real services every integration test talks to; a missing one fails the run. */
export default async function setup(project: TestProject) {
  const database = await createScratchDatabase("connecthub_run");
  await migrate(database.url);
  const ferret = await startFerretDb();
  project.provide("databaseUrl", database.url);
  project.provide("mongoUrl", ferret.url);
  return async () => {
    await ferret.stop();
    await database.drop();
  };
}
