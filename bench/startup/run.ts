// Start-up benchmark: how a process runs the server's TypeScript, side by side in one run.
//   tsx     `tsx server/src/main.ts <role>`          (what `npm start` ran before)
//   native  `node server/src/main.ts <role>`         (Node 24 type stripping + compile cache; `npm start` now)
//   dist    `node .bench-dist/server/src/main.js <role>` (tsc output, built once before the rounds)
//   base    `node server/src/main.ts <role>` in another checkout (BENCH_BASE, e.g. the main branch's),
//           to compare a change side by side with what it changes
// For each round and variant: a cold start (fresh database and DATA_DIR, transpile/compile caches
// emptied) then a warm one (same database, caches kept), role `all` in server mode, then `api`
// and `worker` for their idle RSS. Also `all` on embedded storage (native and tsx).
//   npm run bench:startup [-- rounds]     (needs PostgreSQL at TEST_DATABASE_URL; see docs/benchmarks.md)
//   BENCH_EMBEDDED=0 leaves out the embedded-storage starts; BENCH_VARIANTS=base,native picks variants.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createScratchDatabase } from "../../server/test/harness/postgres.ts";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const DIST = path.join(REPO, ".bench-dist");
const CACHES = mkdtempSync(path.join(os.tmpdir(), "connecthub-startup-caches-"));
const TICK_MS = 1000 / 100; // USER_HZ on Linux

type Variant = "tsx" | "native" | "dist" | "base";
const BASE = process.env.BENCH_BASE ? path.resolve(process.env.BENCH_BASE) : null;
type Role = "all" | "api" | "worker";

interface Sample {
  variant: Variant;
  storage: "server" | "embedded";
  role: Role;
  start: "cold" | "warm";
  readyMs: number;
  cpuMs: number;
  serverRssMb: number;
  totalRssMb: number;
}

function command(variant: Variant, role: Role): string[] {
  if (variant === "tsx") return [path.join(REPO, "node_modules/.bin/tsx"), "server/src/main.ts", role];
  if (variant === "native") return [process.execPath, "server/src/main.ts", role];
  if (variant === "base") return [process.execPath, existsSync(path.join(BASE!, "server/src/main.js")) ? "server/src/main.js" : "server/src/main.ts", role];
  return [process.execPath, ".bench-dist/server/src/main.js", role];
}

function cacheEnv(variant: Variant): Record<string, string> {
  // tsx keeps its transforms under TMPDIR/tsx-<uid>; Node's compile cache under NODE_COMPILE_CACHE.
  const dir = path.join(CACHES, variant);
  return { TMPDIR: dir, NODE_COMPILE_CACHE: path.join(dir, "node-compile-cache") };
}

function clearCaches(variant: Variant): void {
  const dir = path.join(CACHES, variant);
  rmSync(dir, { recursive: true, force: true });
  execFileSync("mkdir", ["-p", dir]);
}

/** Compiles server/src and extensions with tsc into .bench-dist, laid out like the checkout. */
function buildDist(): number {
  rmSync(DIST, { recursive: true, force: true });
  const t0 = performance.now();
  execFileSync(process.execPath, [path.join(REPO, "node_modules/typescript/bin/tsc"), "-p", "bench/startup/tsconfig.dist.json"], { cwd: REPO, stdio: "inherit" });
  const ms = performance.now() - t0;
  // What the sources reach relative to themselves: the package manifest, migrations, admin, Prisma's generated files.
  cpSync(path.join(REPO, "package.json"), path.join(DIST, "package.json"));
  cpSync(path.join(REPO, "server/package.json"), path.join(DIST, "server/package.json"));
  symlinkSync(path.join(REPO, "prisma"), path.join(DIST, "prisma"));
  symlinkSync(path.join(REPO, "web"), path.join(DIST, "web"));
  return ms;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function groupPids(pgid: number): number[] {
  return readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]) === pgid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

function cpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // ended
    }
  }
  return ticks * TICK_MS;
}

function rssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  process.kill(-child.pid!, "SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    // gone
  }
}

/** Starts one process, waits until it is ready, lets it idle, measures, stops it. */
async function measure(variant: Variant, role: Role, env: Record<string, string>): Promise<Omit<Sample, "variant" | "storage" | "role" | "start">> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(command(variant, role)[0]!, command(variant, role).slice(1), {
    cwd: variant === "base" ? BASE! : REPO,
    detached: true,
    env: { ...process.env, ...env, ...cacheEnv(variant), PORT: String(port), LOG_DIR: "", LOG_LEVEL: "info", ADMIN_PASSWORD: "bench-admin-pass-1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  try {
    const deadline = Date.now() + 180_000;
    // A worker serves no HTTP: it is ready when its scheduler part has taken the planner lease.
    const ready =
      role === "worker"
        ? async () => output.includes("planner lease taken")
        : async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => null))?.ok === true;
    while (!(await ready())) {
      if (child.exitCode !== null) throw new Error(`${variant} ${role} exited:\n${output}`);
      if (Date.now() > deadline) throw new Error(`${variant} ${role} not ready:\n${output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const readyMs = performance.now() - t0;
    const pids = groupPids(child.pid!);
    const cpu = cpuMs(pids);
    await new Promise((r) => setTimeout(r, 5_000));
    const rss = pids.map(rssMb);
    return { readyMs, cpuMs: cpu, serverRssMb: Math.max(...rss), totalRssMb: rss.reduce((a, b) => a + b, 0) };
  } finally {
    await stop(child);
  }
}

async function round(variants: Variant[], samples: Sample[]): Promise<void> {
  for (const variant of variants) {
    const db = await createScratchDatabase("connecthub_startup");
    const data = mkdtempSync(path.join(os.tmpdir(), "connecthub-startup-data-"));
    const server = { DATABASE_URL: db.url, MONGODB_URL: "", DATA_DIR: data };
    try {
      clearCaches(variant);
      for (const start of ["cold", "warm"] as const) {
        const s = await measure(variant, "all", server);
        samples.push({ variant, storage: "server", role: "all", start, ...s });
        print(samples.at(-1)!);
      }
      for (const role of ["api", "worker"] as const) {
        const s = await measure(variant, role, server);
        samples.push({ variant, storage: "server", role, start: "warm", ...s });
        print(samples.at(-1)!);
      }
      if (variant !== "dist" && process.env.BENCH_EMBEDDED !== "0") {
        const embedded = mkdtempSync(path.join(os.tmpdir(), "connecthub-startup-embedded-"));
        try {
          for (const start of ["cold", "warm"] as const) {
            if (start === "cold") clearCaches(variant);
            const s = await measure(variant, "all", { DATABASE_URL: "", MONGODB_URL: "", DATA_DIR: embedded });
            samples.push({ variant, storage: "embedded", role: "all", start, ...s });
            print(samples.at(-1)!);
          }
        } finally {
          rmSync(embedded, { recursive: true, force: true });
        }
      }
    } finally {
      await db.drop();
      rmSync(data, { recursive: true, force: true });
    }
  }
}

const fmt = (n: number) => String(Math.round(n)).padStart(6);
function print(s: Sample): void {
  process.stdout.write(
    `${s.variant.padEnd(7)} ${s.storage.padEnd(9)} ${s.role.padEnd(7)} ${s.start.padEnd(5)} ready ${fmt(s.readyMs)} ms  cpu ${fmt(s.cpuMs)} ms  rss server ${fmt(s.serverRssMb)} MB  total ${fmt(s.totalRssMb)} MB\n`,
  );
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 2);
  const variants = (process.env.BENCH_VARIANTS ?? "tsx,native,dist").split(",") as Variant[];
  if (variants.includes("base") && !BASE) throw new Error("the base variant needs BENCH_BASE=<another checkout>");
  if (variants.includes("tsx") && !existsSync(path.join(REPO, "node_modules/.bin/tsx"))) throw new Error("tsx (a devDependency) is needed for the comparison: npm ci");
  process.stdout.write(`node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}\n`);
  if (variants.includes("dist")) {
    const buildMs = buildDist();
    process.stdout.write(`dist: tsc build ${Math.round(buildMs)} ms (paid at install)\n`);
  }
  const samples: Sample[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      // Rotate the order each round so no variant always runs first.
      await round([...variants.slice(r % variants.length), ...variants.slice(0, r % variants.length)], samples);
    }
  } finally {
    rmSync(DIST, { recursive: true, force: true });
    rmSync(CACHES, { recursive: true, force: true });
  }
  process.stdout.write(`\nmedians over ${rounds} rounds (load at end ${os.loadavg().map((l) => l.toFixed(1)).join(" ")})\n`);
  process.stdout.write("| variant | storage | role | start | ready ms | cpu ms | server RSS MB | total RSS MB |\n|---|---|---|---|---|---|---|---|\n");
  const keys = new Set(samples.map((s) => `${s.variant}|${s.storage}|${s.role}|${s.start}`));
  for (const key of keys) {
    const group = samples.filter((s) => `${s.variant}|${s.storage}|${s.role}|${s.start}` === key);
    const m = (f: (s: Sample) => number) => Math.round(median(group.map(f)));
    process.stdout.write(`| ${key.split("|").join(" | ")} | ${m((s) => s.readyMs)} | ${m((s) => s.cpuMs)} | ${m((s) => s.serverRssMb)} | ${m((s) => s.totalRssMb)} |\n`);
  }
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(samples, null, 2));
}

await main();
