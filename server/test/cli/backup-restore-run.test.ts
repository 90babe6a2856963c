// The operator's promise of `backup` / `restore`: after losing the database and the key file, a
// restore brings back jobs whose secrets still decrypt, so they run. Backup and restore run as real
// child processes; the run happens on a real worker (queue on PostgreSQL, LISTEN/NOTIFY events).
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/config.ts";
import { createPrisma } from "../../src/db/prisma.ts";
import { migrate } from "../../src/db/migrator.ts";
import type { EventMap } from "../../src/events/event-map.ts";
import { enqueueRun, createWorkerPart } from "../../src/execution/index.ts";
import type { JobLog } from "../../src/generated/prisma/client.ts";
import { configureLogger } from "../../src/logging/logger.ts";
import { openRuntime } from "../../src/runtime.ts";
import { Fernet, generateFernetKey } from "../../src/security/fernet.ts";
import { createScratchDatabase } from "../harness/postgres.ts";
import { runCli, tempDataDir } from "./run-cli.ts";

type Scratch = Awaited<ReturnType<typeof createScratchDatabase>>;

const TEST_JOBS_ROOT = fileURLToPath(new URL("../fixtures/test_jobs", import.meta.url));
const HANDLER = "test_jobs.secret-echo:SecretDigestJob";
const JOB_ID = "crm.push_contacts";
const FINAL = new Set(["SUCCESS", "FAILURE", "CANCELLED", "ABANDONED"]);
/** Child processes and a worker boot each take seconds on a busy machine: a generous limit, not a speed check. */
const SLOW = 180_000;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * Boots a worker on `databaseUrl` with the key file in `dataDir` (as `connecthub worker` would),
 * runs the job once and returns its stored log when the final status event arrives.
 */
async function runOnFreshWorker(databaseUrl: string, dataDir: string, jobId: string): Promise<{ log: JobLog; fernetKey: string | null }> {
  const runtime = await openRuntime(
    parseConfig({ PORT: "0", LOG_DIR: "", LOG_LEVEL: "info", DATA_DIR: dataDir, DATABASE_URL: databaseUrl, EXTENSION_ROOTS: TEST_JOBS_ROOT }, process.cwd()),
  );
  const worker = createWorkerPart(runtime);
  try {
    await worker.start();
    // Subscribed before enqueueing: the final event may arrive before enqueueRun returns.
    const statuses: EventMap["jobLog.status"][] = [];
    let wake = () => {};
    const unsubscribe = runtime.events.subscribe("jobLog.status", (e) => (statuses.push(e), wake()));
    try {
      const queued = await enqueueRun(runtime, { kind: "job", jobId, trigger: "MANUAL" });
      const ended = () => statuses.some((s) => s.logId === queued.id && FINAL.has(s.status));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for a final status of run #${queued.id}`)), SLOW - 30_000);
        wake = () => ended() && (clearTimeout(timer), resolve());
        wake();
      });
      const log = await runtime.prisma.jobLog.findUniqueOrThrow({ where: { id: queued.id } });
      return { log, fernetKey: runtime.fernetKey };
    } finally {
      unsubscribe();
    }
  } finally {
    await worker.stop();
    await runtime.close();
  }
}

/** Every stored field of the run that could carry the secret, as one searchable text. */
function storedText(log: JobLog): string {
  return JSON.stringify([log.snapshotParams, log.runLog, log.message, log.traceback, log.result]);
}

describe("backup → wipe → restore → a job with secrets still runs", () => {
  const apiKey = `sk-live-${randomBytes(18).toString("hex")}`;
  const key = generateFernetKey();
  const archives = tempDataDir();
  const dataDir = tempDataDir();
  const keyPath = path.join(dataDir.dir, "fernet.key");
  const archive = path.join(archives.dir, "backup.jsonl.gz");
  const archiveWithoutKey = path.join(archives.dir, "no-key.jsonl.gz");
  const scratches: Scratch[] = [];
  const scratch = async (prefix: string) => {
    const db = await createScratchDatabase(prefix);
    scratches.push(db);
    return db;
  };
  let source: Scratch;
  let storedToken: string;

  beforeAll(async () => {
    await configureLogger({ level: "info", logDir: null, stdout: false });
    source = await scratch("cli_brrun_source");
    await migrate(source.url);
    writeFileSync(keyPath, key, { mode: 0o600 });
    storedToken = new Fernet(key).encryptJson({ api_key: apiKey });
    const prisma = createPrisma(source.url, 1);
    try {
      await prisma.job.create({ data: { id: JOB_ID, enabled: false, cronExpr: "0 * * * *", handlerPath: HANDLER, secretCfg: storedToken } });
    } finally {
      await prisma.$disconnect();
    }
    const env = { DATABASE_URL: source.url, DATA_DIR: dataDir.dir };
    const withKey = await runCli(["backup", "--out", archive], env);
    const withoutKey = await runCli(["backup", "--out", archiveWithoutKey, "--without-key"], env);
    expect(withKey.stderr).toBe("");
    expect(withKey.code).toBe(0);
    expect(withoutKey.code).toBe(0);
  }, SLOW);

  afterAll(async () => {
    await Promise.all(scratches.map((s) => s.drop()));
    archives.cleanup();
    dataDir.cleanup();
  });

  it("holds the key and the encrypted token, never the plaintext secret", () => {
    const content = gunzipSync(readFileSync(archive)).toString();
    expect(content).toContain(key);
    expect(content).toContain(storedToken);
    expect(content).not.toContain(apiKey);
  });

  it("runs the job successfully with the secret decrypted by the restored key, storing no plaintext", async () => {
    // Wipe: the database is dropped and the key file deleted; only the archive is left.
    await source.drop();
    rmSync(keyPath);
    expect(existsSync(keyPath)).toBe(false);

    const restored = await scratch("cli_brrun_restored");
    const restore = await runCli(["restore", archive], { DATABASE_URL: restored.url, DATA_DIR: dataDir.dir });
    expect(restore.stderr).toBe("");
    expect(restore.code).toBe(0);
    expect(readFileSync(keyPath, "utf8")).toBe(key);

    const { log, fernetKey } = await runOnFreshWorker(restored.url, dataDir.dir, JOB_ID);
    expect(fernetKey).toBe(key);
    expect({ status: log.status, message: log.message }).toEqual({ status: "SUCCESS", message: "Run succeeded." });
    expect(log.result).toEqual({ secret_sha256: sha256(apiKey) });
    expect(log.runLog).toContain(`api_key received (${apiKey.length} characters)`);
    expect((log.snapshotParams as { secret_cfg?: unknown }).secret_cfg).toBe(storedToken);
    expect(storedText(log)).not.toContain(apiKey);
  }, SLOW);

  it("fails the run with the restore-the-key-file message when a different key is in place after restore", async () => {
    const elsewhere = tempDataDir();
    try {
      const restored = await scratch("cli_brrun_wrongkey");
      const restore = await runCli(["restore", archive], { DATABASE_URL: restored.url, DATA_DIR: elsewhere.dir });
      expect(restore.code).toBe(0);
      const otherKey = generateFernetKey();
      writeFileSync(path.join(elsewhere.dir, "fernet.key"), otherKey, { mode: 0o600 });

      const { log, fernetKey } = await runOnFreshWorker(restored.url, elsewhere.dir, JOB_ID);
      expect(fernetKey).toBe(otherKey);
      expect(log.status).toBe("FAILURE");
      expect(log.message).toContain(`SecretConfigError: Job "${JOB_ID}": its secret config cannot be used.`);
      expect(log.message).toContain("The current Fernet key cannot decrypt this secret token");
      expect(log.message).toContain("Restore the original fernet.key from backup");
      expect(log.result).toBeNull();
      expect(storedText(log)).not.toContain(apiKey);
    } finally {
      elsewhere.cleanup();
    }
  }, SLOW);

  it("fails the run with the same message when the backup was taken without the key", async () => {
    const elsewhere = tempDataDir();
    try {
      const restored = await scratch("cli_brrun_nokey");
      const restore = await runCli(["restore", archiveWithoutKey], { DATABASE_URL: restored.url, DATA_DIR: elsewhere.dir });
      expect(restore.code).toBe(0);
      expect(restore.stderr).toContain(`cannot decrypt the secrets of 1 job(s):\n!! ${JOB_ID}`);

      // No key file while secrets exist: the worker starts without a key (a new one could never
      // open the old token) and the run fails saying which file to restore.
      const { log, fernetKey } = await runOnFreshWorker(restored.url, elsewhere.dir, JOB_ID);
      expect(fernetKey).toBeNull();
      expect(existsSync(path.join(elsewhere.dir, "fernet.key"))).toBe(false);
      expect(log.status).toBe("FAILURE");
      expect(log.message).toContain(`Job "${JOB_ID}"`);
      expect(log.message).toContain("fernet.key does not exist, but encrypted secrets need it");
      expect(log.message).toContain("Restore fernet.key from backup");
      expect(storedText(log)).not.toContain(apiKey);
    } finally {
      elsewhere.cleanup();
    }
  }, SLOW);
});
