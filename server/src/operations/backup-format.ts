/**
 * The backup archive: one gzip file of JSON lines, so it streams both ways and needs no tar.
 *   line 1      header: format, version, migrations, and the Fernet key (unless left out)
 *   lines 2..n  {"t": table, "r": row}   grouped by table, in restore order
 *   last line   {"end": true, "counts": {...}}  — proves the file is complete
 * `zcat backup.jsonl.gz | head -1` shows what it holds. The file is mode 0600: it holds the key.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { createGunzip, createGzip } from "node:zlib";
import { ArchiveFormatError } from "./operation-errors.ts";

export const BACKUP_FORMAT = "connecthub-backup";
export const BACKUP_VERSION = 1;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  storageMode: "embedded" | "server";
  migrations: string[];
  tables: string[];
  /** Null when the backup was made without the key: its secrets cannot be restored from it alone. */
  fernetKey: string | null;
}

export type BackupLine = { t: string; r: Record<string, unknown> } | { end: true; counts: Record<string, number> };

/** Writes to `<file>.partial` and renames at the end, so a crash never leaves a half file under the real name. */
export function createBackupWriter(file: string) {
  const partial = `${file}.partial`;
  const out = createWriteStream(partial, { mode: 0o600 });
  const gzip = createGzip();
  gzip.pipe(out);
  const write = async (line: string) => {
    if (!gzip.write(line + "\n")) await once(gzip, "drain");
  };
  return {
    header: (h: BackupHeader) => write(JSON.stringify(h)),
    /** `json` is a row already serialised by PostgreSQL. */
    row: (table: string, json: string) => write(`{"t":${JSON.stringify(table)},"r":${json}}`),
    async finish(counts: Record<string, number>) {
      await write(JSON.stringify({ end: true, counts }));
      gzip.end();
      await once(out, "close");
      await rename(partial, file);
    },
    async abort() {
      gzip.destroy();
      out.destroy();
      await rm(partial, { force: true });
    },
  };
}

/** Reads a backup: the header, then every line after it. */
export async function openBackup(file: string): Promise<{ header: BackupHeader; lines: AsyncGenerator<BackupLine> }> {
  const input = createReadStream(file).pipe(createGunzip());
  const reader = createInterface({ input, crlfDelay: Infinity });
  const iterator = reader[Symbol.asyncIterator]();
  let first;
  try {
    first = await iterator.next();
  } catch (error) {
    throw new ArchiveFormatError(file, `it is not a gzip file (${(error as Error).message})`);
  }
  const header = parseLine(file, first.value) as unknown as BackupHeader;
  if (first.done || header.format !== BACKUP_FORMAT) throw new ArchiveFormatError(file, "it is not a ConnectHub backup (made by `connecthub backup`)");
  if (header.version !== BACKUP_VERSION) throw new ArchiveFormatError(file, `backup format version ${header.version} is not supported (this version reads ${BACKUP_VERSION})`);
  async function* lines(): AsyncGenerator<BackupLine> {
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        if (next.value.trim()) yield parseLine(file, next.value) as unknown as BackupLine;
      }
    } catch (error) {
      if (error instanceof ArchiveFormatError) throw error;
      throw new ArchiveFormatError(file, `it is damaged or cut short (${(error as Error).message})`);
    } finally {
      reader.close();
      input.destroy();
    }
  }
  return { header, lines: lines() };
}

function parseLine(file: string, text: string | undefined): Record<string, unknown> {
  try {
    const value = JSON.parse(text ?? "");
    if (value && typeof value === "object") return value;
  } catch {
    // fall through
  }
  throw new ArchiveFormatError(file, "a line is not JSON (the file is damaged or not a backup)");
}
