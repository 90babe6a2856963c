/** Errors of the operator commands (backup, restore, jobs import/export, legacy import). */
import { ValidationError } from "../graphql/errors.ts";

/** `restore` replaces the whole database: not under a running ConnectHub that owns the embedded one. */
export class EmbeddedDatabaseBusyError extends Error {
  override readonly name = "EmbeddedDatabaseBusyError";
  readonly code = "EMBEDDED_DATABASE_BUSY";
  readonly dataDir: string;
  readonly pid: number;
  constructor(dataDir: string, pid: number, command: string, ownerRole = "server") {
    super(
      `The embedded database in ${dataDir} is in use by process ${pid} (${ownerRole === "server" ? "a running ConnectHub" : `\`connecthub ${ownerRole}\``}), ` +
        `and \`connecthub ${command}\` replaces the data under it. Stop it first (Ctrl-C, or \`docker compose stop\`), then run the command again.`,
    );
    this.dataDir = dataDir;
    this.pid = pid;
  }
}

/** A backup or export file that is not what the command expects, or is incomplete. */
export class ArchiveFormatError extends Error {
  override readonly name = "ArchiveFormatError";
  readonly code = "ARCHIVE_INVALID";
  readonly file: string;
  constructor(file: string, problem: string) {
    super(`${file} cannot be used: ${problem}`);
    this.file = file;
  }
}

/** Restore would overwrite data without --force. */
export class DatabaseNotEmptyError extends Error {
  override readonly name = "DatabaseNotEmptyError";
  readonly code = "DATABASE_NOT_EMPTY";
  readonly counts: Record<string, number>;
  constructor(counts: Record<string, number>) {
    const shown = Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([t, n]) => `${t}: ${n}`)
      .join(", ");
    super(`The database already holds data (${shown}). Restore into an empty database, or pass --force to replace everything in it.`);
    this.counts = counts;
  }
}

/** The archive's key differs from the key file in place; replacing it needs --force. */
export class KeyMismatchError extends Error {
  override readonly name = "KeyMismatchError";
  readonly code = "KEY_MISMATCH";
  readonly keyPath: string;
  constructor(keyPath: string) {
    super(
      `The backup's Fernet key differs from ${keyPath}. Secrets saved with the current key would become undecryptable. ` +
        `Pass --force to replace it (the current file is kept as ${keyPath}.replaced-<time>).`,
    );
    this.keyPath = keyPath;
  }
}

/** The backup was made by a newer ConnectHub whose migrations this version does not have. */
export class BackupTooNewError extends Error {
  override readonly name = "BackupTooNewError";
  readonly code = "BACKUP_TOO_NEW";
  readonly unknownMigrations: string[];
  constructor(unknownMigrations: string[]) {
    super(
      `The backup was made by a newer ConnectHub (migrations this version does not know: ${unknownMigrations.join(", ")}). ` +
        `Restore it with that version or a later one.`,
    );
    this.unknownMigrations = unknownMigrations;
  }
}

/** Imported secret tokens that the current key cannot decrypt; nothing was written. */
export class UndecryptableSecretsError extends Error {
  override readonly name = "UndecryptableSecretsError";
  readonly code = "SECRETS_UNDECRYPTABLE";
  readonly jobIds: string[];
  constructor(jobIds: string[], keyPath: string) {
    super(
      `The Fernet key in ${keyPath} cannot decrypt the secrets of ${jobIds.length} job(s): ${jobIds.join(", ")}. ` +
        `Nothing was imported. Install the key the file was exported with (fernet.key of the source), then import again.`,
    );
    this.jobIds = jobIds;
  }
}

/**
 * Definitions in the file that the API would refuse; nothing was written. `byJob` holds, per job
 * id, the very ValidationError (code, message, field errors) createJob answers for it.
 */
export class InvalidJobsError extends Error {
  override readonly name = "InvalidJobsError";
  readonly code = "JOBS_INVALID";
  readonly problems: Array<{ jobId: string; field: string; message: string }>;
  readonly byJob: ReadonlyMap<string, ValidationError>;
  constructor(byJob: ReadonlyMap<string, ValidationError>) {
    const problems = [...byJob].flatMap(([jobId, error]) => error.fieldErrors.map((e) => ({ jobId, field: e.field, message: e.message })));
    const shown = problems.slice(0, 20).map((p) => `  ${p.jobId}: ${p.field}: ${p.message}`);
    const more = problems.length > shown.length ? [`  … and ${problems.length - shown.length} more`] : [];
    super(
      `${byJob.size} job(s) in the file are not valid definitions (the API would refuse them). ` +
        `Nothing was imported. Fix them in the file, then import again:\n${[...shown, ...more].join("\n")}`,
    );
    this.problems = problems;
    this.byJob = byJob;
  }
}

/** Jobs in the file already exist and --replace was not given; nothing was written. */
export class DuplicateJobsError extends Error {
  override readonly name = "DuplicateJobsError";
  readonly code = "JOBS_EXIST";
  readonly jobIds: string[];
  constructor(jobIds: string[]) {
    super(`${jobIds.length} job(s) already exist: ${jobIds.join(", ")}. Nothing was imported. Pass --replace to overwrite them.`);
    this.jobIds = jobIds;
  }
}

/** Legacy import would collide with rows already here; nothing was written. */
export class LegacyConflictError extends Error {
  override readonly name = "LegacyConflictError";
  readonly code = "LEGACY_CONFLICT";
  readonly jobIds: string[];
  readonly logIds: number[];
  constructor(jobIds: string[], logIds: number[]) {
    const parts = [];
    if (jobIds.length) parts.push(`jobs already here: ${jobIds.slice(0, 20).join(", ")}${jobIds.length > 20 ? ", …" : ""}`);
    if (logIds.length) parts.push(`${logIds.length} job log id(s) already used (first: ${logIds.slice(0, 10).join(", ")})`);
    const way = jobIds.length
      ? "Import into a fresh database, or delete those jobs here first (job ids are kept: they are what handlers and operators know)."
      : "Pass --renumber-logs to give the imported runs new ids (each keeps its original id as legacyId).";
    super(`The legacy data collides with this database (${parts.join("; ")}). Nothing was imported. ${way}`);
    this.jobIds = jobIds;
    this.logIds = logIds;
  }
}

/** The legacy database lacks a table or column the import cannot do without. */
export class LegacySchemaError extends Error {
  override readonly name = "LegacySchemaError";
  readonly code = "LEGACY_SCHEMA";
  constructor(problem: string) {
    super(`The source does not look like a ConnectHub (Python) database: ${problem}.`);
  }
}

/** `--from` names no source the import can read. */
export class LegacySourceUrlError extends Error {
  override readonly name = "LegacySourceUrlError";
  readonly code = "LEGACY_SOURCE";
  readonly from: string;
  constructor(from: string, problem: string) {
    super(`--from ${JSON.stringify(from)} cannot be read: ${problem}.`);
    this.from = from;
  }
}

/** --strict and the source has rows that cannot be imported as they are; nothing was written. */
export class LegacyBadRowsError extends Error {
  override readonly name = "LegacyBadRowsError";
  readonly code = "LEGACY_BAD_ROWS";
  readonly rows: ReadonlyArray<{ table: string; id: string; column: string; problem: string }>;
  constructor(rows: ReadonlyArray<{ table: string; id: string; column: string; problem: string }>) {
    const listed = rows.slice(0, 50).map((r) => `  ${r.table} id ${r.id}, column ${r.column}: ${r.problem}`);
    if (rows.length > 50) listed.push(`  … and ${rows.length - 50} more`);
    super(
      `--strict: ${rows.length} row(s) of the source cannot be imported as they are. Nothing was imported.\n${listed.join("\n")}\n` +
        `Correct them in the source, or run without --strict to import everything else and skip these.`,
    );
    this.rows = rows;
  }
}

/** The key the import would use cannot decrypt the source's secret tokens; nothing was written. */
export class LegacyKeyError extends Error {
  override readonly name = "LegacyKeyError";
  readonly code = "LEGACY_KEY";
  readonly jobIds: string[];
  constructor(jobIds: string[], keyPath: string | null) {
    const shown = `${jobIds.slice(0, 20).join(", ")}${jobIds.length > 20 ? ", …" : ""}`;
    const which = keyPath ? `The Fernet key in ${keyPath} cannot decrypt` : "There is no Fernet key here to decrypt";
    super(
      `${which} the secret configs of ${jobIds.length} job(s) of the source: ${shown}. Nothing was imported. ` +
        `Pass --key-file <the original's fernet.key> (it is installed as this installation's key), ` +
        `or --allow-undecryptable to import anyway and re-enter those secrets.`,
    );
    this.jobIds = jobIds;
  }
}

/** --key-file differs from a key already protecting secrets here. */
export class LegacyKeyConflictError extends Error {
  override readonly name = "LegacyKeyConflictError";
  readonly code = "LEGACY_KEY_CONFLICT";
  readonly keyPath: string;
  readonly jobIds: string[];
  constructor(keyPath: string, jobIds: string[]) {
    super(
      `--key-file holds a different key from ${keyPath}, which already protects the secrets of ${jobIds.length} job(s) here ` +
        `(${jobIds.slice(0, 10).join(", ")}). One installation has one key: import into a fresh installation, ` +
        `or re-enter those jobs' secrets after importing without --key-file. Nothing was imported.`,
    );
    this.keyPath = keyPath;
    this.jobIds = jobIds;
  }
}

/** The server-mode database does not exist and could not be created. */
export class TargetDatabaseMissingError extends Error {
  override readonly name = "TargetDatabaseMissingError";
  readonly code = "TARGET_DATABASE_MISSING";
  readonly database: string;
  constructor(database: string, cause: string) {
    super(
      `The database "${database}" named by DATABASE_URL does not exist, and creating it failed (${cause}). ` +
        `Create it as a PostgreSQL superuser — \`createdb ${database}\` or \`CREATE DATABASE "${database}";\` in psql — then run the command again.`,
    );
    this.database = database;
  }
}
