// Container health probe (Dockerfile HEALTHCHECK). Plain ESM with no tsx, so a probe costs
// tens of milliseconds, not a TypeScript compile.
//   api / all: GET http://127.0.0.1:$PORT/health must answer {"ok": true}.
//   worker:    serves no HTTP; healthy while the PostgreSQL it records runs in answers.
// The role is the argument, or read from PID 1's command line (`... start worker`).
import { readFileSync } from "node:fs";

const TIMEOUT_MS = 4000;

function roleOfMainProcess() {
  try {
    const args = readFileSync("/proc/1/cmdline", "utf8").split("\0");
    const i = args.indexOf("start");
    return i >= 0 && args[i + 1] ? args[i + 1] : "all";
  } catch {
    return "all";
  }
}

async function checkHttp() {
  const port = process.env.PORT || "8000";
  const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  const body = await res.json().catch(() => ({}));
  if (!res.ok || body.ok !== true) throw new Error(`/health answered ${res.status}`);
}

async function checkDatabase() {
  const url = process.env.DATABASE_URL;
  // Embedded mode in one container means role `all`; a lone worker always has DATABASE_URL.
  if (!url) return;
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: TIMEOUT_MS });
  await client.connect();
  try {
    await client.query("SELECT 1");
  } finally {
    await client.end();
  }
}

const role = process.argv[2] || roleOfMainProcess();
try {
  await (role === "worker" ? checkDatabase() : checkHttp());
  process.exit(0);
} catch (error) {
  process.stderr.write(`unhealthy (${role}): ${error.message}\n`);
  process.exit(1);
}
