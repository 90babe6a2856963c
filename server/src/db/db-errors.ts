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
  constructor(dir: string, pid: number) {
    super(
      `The embedded database in ${dir} is in use by process ${pid}. Stop that process, or use another DATA_DIR, ` +
        `or set DATABASE_URL to run several processes against one PostgreSQL.`,
    );
    this.dir = dir;
    this.pid = pid;
  }
}
