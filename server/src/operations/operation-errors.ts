/** Errors of the operator commands (backup, restore, jobs import/export, legacy import). */

/** `restore` replaces the whole database: not under a running ConnectHub that owns the embedded one. */
export class EmbeddedDatabaseBusyError extends Error {
  override readonly name = "EmbeddedDatabaseBusyError";
  readonly code = "EMBEDDED_DATABASE_BUSY";
  constructor(readonly dataDir: string, readonly pid: number, command: string, ownerRole = "server") {
    super(
      `The embedded database in ${dataDir} is in use by process ${pid} (${ownerRole === "server" ? "a running ConnectHub" : `\`connecthub ${ownerRole}\``}), ` +
        `and \`connecthub ${command}\` replaces the data under it. Stop it first (Ctrl-C, or \`docker compose stop\`), then run the command again.`,
    );
  }
}

/** A backup or export file that is not what the command expects, or is incomplete. */
export class ArchiveFormatError extends Error {
  override readonly name = "ArchiveFormatError";
  readonly code = "ARCHIVE_INVALID";
  constructor(readonly file: string, problem: string) {
    super(`${file} cannot be used: ${problem}`);
  }
}

/** Restore would overwrite data without --force. */
export class DatabaseNotEmptyError extends Error {
  override readonly name = "DatabaseNotEmptyError";
  readonly code = "DATABASE_NOT_EMPTY";
  constructor(readonly counts: Record<string, number>) {
    const shown = Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([t, n]) => `${t}: ${n}`)
      .join(", ");
    super(`The database already holds data (${shown}). Restore into an empty database, or pass --force to replace everything in it.`);
  }
}

/** The archive's key differs from the key file in place; replacing it needs --force. */
export class KeyMismatchError extends Error {
  override readonly name = "KeyMismatchError";
  readonly code = "KEY_MISMATCH";
  constructor(readonly keyPath: string) {
    super(
      `The backup's Fernet key differs from ${keyPath}. Secrets saved with the current key would become undecryptable. ` +
        `Pass --force to replace it (the current file is kept as ${keyPath}.replaced-<time>).`,
    );
  }
}

/** The backup was made by a newer ConnectHub whose migrations this version does not have. */
export class BackupTooNewError extends Error {
  override readonly name = "BackupTooNewError";
  readonly code = "BACKUP_TOO_NEW";
  constructor(readonly unknownMigrations: string[]) {
    super(
      `The backup was made by a newer ConnectHub (migrations this version does not know: ${unknownMigrations.join(", ")}). ` +
        `Restore it with that version or a later one.`,
    );
  }
}

/** Imported secret tokens that the current key cannot decrypt; nothing was written. */
export class UndecryptableSecretsError extends Error {
  override readonly name = "UndecryptableSecretsError";
  readonly code = "SECRETS_UNDECRYPTABLE";
  constructor(readonly jobIds: string[], keyPath: string) {
    super(
      `The Fernet key in ${keyPath} cannot decrypt the secrets of ${jobIds.length} job(s): ${jobIds.join(", ")}. ` +
        `Nothing was imported. Install the key the file was exported with (fernet.key of the source), then import again.`,
    );
  }
}

/** Jobs in the file already exist and --replace was not given; nothing was written. */
export class DuplicateJobsError extends Error {
  override readonly name = "DuplicateJobsError";
  readonly code = "JOBS_EXIST";
  constructor(readonly jobIds: string[]) {
    super(`${jobIds.length} job(s) already exist: ${jobIds.join(", ")}. Nothing was imported. Pass --replace to overwrite them.`);
  }
}

/** Legacy import would collide with rows already here; nothing was written. */
export class LegacyConflictError extends Error {
  override readonly name = "LegacyConflictError";
  readonly code = "LEGACY_CONFLICT";
  constructor(readonly jobIds: string[], readonly logIds: number[]) {
    const parts = [];
    if (jobIds.length) parts.push(`jobs already here: ${jobIds.slice(0, 20).join(", ")}${jobIds.length > 20 ? ", …" : ""}`);
    if (logIds.length) parts.push(`${logIds.length} job log id(s) already used (first: ${logIds.slice(0, 10).join(", ")})`);
    super(
      `The legacy data collides with this database (${parts.join("; ")}). Nothing was imported. ` +
        `Import into a fresh database, or delete the colliding rows first (the import keeps the original ids).`,
    );
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
