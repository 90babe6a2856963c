/**
 * The checks behind `connecthub doctor`. Each returns OK or FAIL with a fix; none of them changes
 * anything (no migration, no key generation), so doctor is safe to run against production.
 */
import { existsSync } from "node:fs";
import pg from "pg";
import type { Config } from "../config/config.ts";
import { loadConfig } from "../config/config.ts";
import { readMigrations } from "../db/migrator.ts";
import { createQueue } from "../queue/queue.ts";
import { croniterReadsDifferently } from "./legacy-cron.ts";
import { isConvertedCron } from "./legacy-mapping.ts";
import { undecryptableJobIds } from "./secret-check.ts";
import { readKeyIfPresent } from "./key-install.ts";
import { openDatabase, type DatabaseSession } from "./database-session.ts";

export interface CheckResult {
  name: string;
  ok: boolean;
  /** OK, but worth a look: printed as WARN, does not fail doctor. */
  warn?: boolean;
  detail: string;
  fix?: string;
}

const QUEUE_TIMEOUT_MS = 10_000;

function fail(name: string, detail: string, fix: string): CheckResult {
  return { name, ok: false, detail, fix };
}

function message(error: unknown): string {
  return (error as Error)?.message ?? String(error);
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function checkConfig(): { result: CheckResult; config?: Config } {
  try {
    const config = loadConfig();
    return {
      config,
      result: { name: "config", ok: true, detail: `environment parses (storage ${config.storageMode}, queue ${config.queueBackend}, data ${config.dataDir})` },
    };
  } catch (error) {
    return { result: fail("config", message(error), "correct that variable in .env or the environment (see .env.example)") };
  }
}

export async function checkKeyFile(config: Config): Promise<{ result: CheckResult; key: string | null }> {
  try {
    const key = await readKeyIfPresent(config.fernetKeyPath);
    if (key === null) {
      return { key, result: { name: "key file", ok: true, detail: `${config.fernetKeyPath} does not exist yet (generated at first start; secrets checked below)` } };
    }
    return { key, result: { name: "key file", ok: true, detail: `${config.fernetKeyPath} holds a valid Fernet key` } };
  } catch (error) {
    return { key: null, result: fail("key file", message(error), "restore fernet.key from backup (it must hold one 44-character key, readable by the server user)") };
  }
}

export async function openForDoctor(config: Config): Promise<{ result: CheckResult; db?: DatabaseSession }> {
  try {
    const db = await openDatabase(config, "doctor", { migrateSchema: false });
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query("SELECT 1").finally(() => client.end());
    return { db, result: { name: "database", ok: true, detail: db.embedded ? `embedded PostgreSQL in ${config.dataDir}/embedded-postgres answers` : "PostgreSQL at DATABASE_URL answers" } };
  } catch (error) {
    return {
      result: fail("database", message(error), config.DATABASE_URL ? "check DATABASE_URL, that PostgreSQL runs and that this host may connect" : "check DATA_DIR and $DATA_DIR/embedded-postgres.log (embedded mode)"),
    };
  }
}

export async function checkMigrations(db: DatabaseSession): Promise<CheckResult> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const files = await readMigrations();
    const table = await client.query(`SELECT to_regclass('"_connecthub_migrations"') AS t`);
    const applied = new Map<string, string>();
    if (table.rows[0].t) {
      for (const r of (await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "_connecthub_migrations"`)).rows) applied.set(r.name, r.checksum);
    }
    const pending = files.filter((m) => !applied.has(m.name)).map((m) => m.name);
    const edited = files.filter((m) => applied.has(m.name) && applied.get(m.name) !== m.checksum).map((m) => m.name);
    const unknown = [...applied.keys()].filter((name) => !files.some((m) => m.name === name));
    if (edited.length) return fail("migrations", `changed after being applied: ${edited.join(", ")}`, "restore those migration files as they were; put schema changes in a new migration folder");
    if (pending.length) return fail("migrations", `${pending.length} not applied: ${pending.join(", ")}`, "run `connecthub migrate` (starting the server also applies them)");
    if (unknown.length) return fail("migrations", `the database has migrations this version does not know: ${unknown.join(", ")}`, "run the ConnectHub version that applied them (a rollback needs the database backup from before the upgrade)");
    return { name: "migrations", ok: true, detail: `all ${files.length} applied` };
  } finally {
    await client.end();
  }
}

/** Every stored secret must decrypt with the key in place; a missing key is only fine with no secrets. */
export async function checkSecrets(db: DatabaseSession, key: string | null, keyPath: string): Promise<CheckResult> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT id, secret_cfg AS "secretCfg", webhook_secret AS "webhookSecret" FROM jobs`);
    const failed = undecryptableJobIds(rows, key);
    const withSecrets = rows.filter((r) => r.secretCfg || r.webhookSecret).length;
    if (failed.length) {
      return fail(
        "secrets",
        `${failed.length} of ${withSecrets} job(s) with secrets cannot be decrypted${key ? "" : " (no key file)"}: ${failed.slice(0, 20).join(", ")}`,
        `put the fernet.key those secrets were saved with at ${keyPath}, or re-enter the jobs' secret configs`,
      );
    }
    return { name: "secrets", ok: true, detail: `${withSecrets} job(s) with secrets, all decrypt with the key` };
  } finally {
    await client.end();
  }
}

export async function checkQueue(config: Config, db: DatabaseSession): Promise<CheckResult> {
  const url = config.queueBackend === "mongodb" ? config.MONGODB_URL! : db.url;
  let queue: Awaited<ReturnType<typeof createQueue>> | undefined;
  try {
    queue = await withTimeout(
      createQueue({ backend: config.queueBackend, url, name: "doctor", maxConcurrency: 1, processEveryMs: 60_000, lockLifetimeMs: 60_000 }),
      QUEUE_TIMEOUT_MS,
      `the ${config.queueBackend} queue store`,
    );
    await withTimeout(queue.ping(), QUEUE_TIMEOUT_MS, "the queue store");
    return { name: "queue", ok: true, detail: `Agenda on ${config.queueBackend} answers` };
  } catch (error) {
    return fail("queue", message(error), config.queueBackend === "mongodb" ? "check MONGODB_URL and that MongoDB runs" : "check the PostgreSQL database the queue uses");
  } finally {
    await queue?.close().catch(() => undefined);
  }
}

interface HandlerRegistry {
  listHandlers?: () => Promise<Array<{ handlerPath: string }>>;
  resolveHandler?: (handlerPath: string) => Promise<unknown>;
}

async function loadRegistry(): Promise<HandlerRegistry | null> {
  for (const file of ["index.ts", "handler-registry.ts"]) {
    const url = new URL(`../plugins/${file}`, import.meta.url);
    if (existsSync(url)) return (await import(url.href)) as HandlerRegistry;
  }
  return null;
}

/** Extensions load, and every job's handlerPath resolves to one. */
export async function checkExtensions(db: DatabaseSession | undefined): Promise<CheckResult> {
  try {
    const registry = await loadRegistry();
    if (!registry?.listHandlers) return { name: "extensions", ok: true, detail: "handler registry not in this build; skipped" };
    const handlers = await registry.listHandlers();
    const problems: string[] = [];
    if (db && registry.resolveHandler) {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query<{ id: string; handler_path: string }>(`SELECT id, handler_path FROM jobs ORDER BY id`).finally(() => client.end());
      for (const row of rows) {
        try {
          await registry.resolveHandler(row.handler_path);
        } catch (error) {
          problems.push(`job ${row.id}: ${message(error)}`);
        }
      }
    }
    if (problems.length) return fail("extensions", problems.join("; "), "deploy the missing extension code, or correct those jobs' handlerPath");
    return { name: "extensions", ok: true, detail: `${handlers.length} handler(s) load: ${handlers.map((h) => h.handlerPath).join(", ")}` };
  } catch (error) {
    return fail("extensions", message(error), "fix the extension module named above (it must import and export a BaseJob subclass)");
  }
}

/**
 * Six-field cron expressions that croniter (the Python ConnectHub) reads differently: it takes
 * the sixth field as seconds, ConnectHub the first. A warning, not a failure: seconds-first is
 * right for jobs written here; one copied from the original by hand is probably wrong.
 */
export async function checkCronConventions(db: DatabaseSession): Promise<CheckResult> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    let rows: Array<{ id: string; cron_expr: string; description: string | null }>;
    try {
      ({ rows } = await client.query(`SELECT id, cron_expr, description FROM jobs WHERE trigger_type = 'CRON' AND cron_expr IS NOT NULL ORDER BY id`));
    } catch (error) {
      return fail("cron", message(error), "run `connecthub migrate`, then doctor again");
    }
    const ambiguous = rows.flatMap((r) => {
      if (isConvertedCron(r.description, r.cron_expr)) return [];
      const theirs = croniterReadsDifferently(r.cron_expr);
      return theirs ? [`${r.id} "${r.cron_expr}" (croniter's reading: "${theirs}")`] : [];
    });
    if (!ambiguous.length) return { name: "cron", ok: true, detail: `${rows.length} cron expression(s), none read differently by croniter` };
    return {
      name: "cron",
      ok: true,
      warn: true,
      detail: `${ambiguous.length} six-field expression(s) mean something else to croniter (seconds last): ${ambiguous.slice(0, 20).join("; ")}`,
      fix: "ConnectHub reads six fields seconds FIRST; if a job came from the Python ConnectHub by hand, write croniter's reading shown (import-legacy converts them itself)",
    };
  } finally {
    await client.end();
  }
}
