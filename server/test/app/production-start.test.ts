import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase } from "../harness/postgres.ts";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));

// A site's own job, in a directory outside the checkout (no node_modules above it), importing the
// SDK and the libraries the server ships.
const OUTSIDE_JOB = `
import { z } from "zod";
import { DateTime } from "luxon";
import { ofetch } from "ofetch";
import { BaseJob, type RunContext } from "@connecthub/server/sdk";

const params = z.object({ who: z.string() });
export class HelloJob extends BaseJob<z.infer<typeof params>, Record<string, never>> {
  static override description = "a site job outside the repository";
  static override paramsSchema = params;
  async run(p: z.infer<typeof params>, _s: unknown, ctx: RunContext) {
    ctx.logger.info(\`hello from outside, \${p.who}; ofetch \${typeof ofetch}; year \${DateTime.utc().year}\`);
    return { ok: true };
  }
}
`;

function freePort(): number {
  const out = execFileSync(process.execPath, ["-e", "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"]);
  return Number(String(out).trim());
}

/** The command lines of every process in `child`'s process group (npm, sh, node). */
function groupCommandLines(child: ChildProcess): string[] {
  const lines: string[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const pgrp = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
      if (pgrp === child.pid) lines.push(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim());
    } catch {
      // the process ended while we looked
    }
  }
  return lines;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, seconds = 60): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("npm start (the production command)", () => {
  const outside = mkdtempSync(path.join(os.tmpdir(), "connecthub-site-"));
  const siteJobs = path.join(outside, "site_jobs");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "connecthub-prod-"));
  const port = freePort();
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;
  let server: ChildProcess;
  let output = "";
  const env = () => ({
    ...process.env,
    // npm runs the script's `node` from PATH: the one running these tests comes first.
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`,
    DATABASE_URL: db.url,
    MONGODB_URL: "",
    DATA_DIR: dataDir,
    LOG_DIR: "",
    LOG_LEVEL: "warn",
    PORT: String(port),
    EXTENSION_ROOTS: siteJobs,
    ADMIN_PASSWORD: "production-start-pass-1",
  });

  let firstLogin = 0;
  beforeAll(async () => {
    expect(path.relative(REPO, outside).startsWith("..")).toBe(true);
    mkdirSync(siteJobs);
    writeFileSync(path.join(siteJobs, "hello.ts"), OUTSIDE_JOB);
    db = await createScratchDatabase();
    server = spawn("npm", ["start"], { cwd: REPO, env: env(), detached: true, stdio: ["ignore", "pipe", "pipe"] });
    server.stdout!.on("data", (d) => (output += d));
    server.stderr!.on("data", (d) => (output += d));
    await until("/health", async () => ((await fetch(`http://127.0.0.1:${port}/health`)).ok ? true : undefined), 90).catch((e) => {
      throw new Error(`${(e as Error).message}; server output:\n${output}`);
    });
    // The very next request after /health first answers: the first admin exists before the port opens.
    firstLogin = (
      await fetch(`http://127.0.0.1:${port}/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "admin", password: "production-start-pass-1" }),
      })
    ).status;
  });

  it("logs the first admin in on the first request after /health answers", () => {
    expect(firstLogin).toBe(200);
  });

  afterAll(async () => {
    if (server?.pid) {
      const exited = new Promise((r) => server.once("exit", r));
      process.kill(-server.pid, "SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      try {
        process.kill(-server.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    await db?.drop();
    rmSync(outside, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("runs the TypeScript with Node itself: no tsx loader in any of its processes", () => {
    const lines = groupCommandLines(server);
    expect(lines.some((l) => /node .*server\/src\/main\.ts all$/.test(l))).toBe(true);
    expect(lines.filter((l) => l.includes("tsx"))).toEqual([]);
  });

  it("loads and runs a handler from an extension root outside the checkout", async () => {
    const cli = await promisify(execFile)(process.execPath, ["server/src/cli/main.js", "token", "create", "--role", "admin", "--name", "prod-start"], {
      cwd: REPO,
      env: env(),
    });
    const token = cli.stdout.trim();
    const gql = async (query: string) => {
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query }),
      });
      return (await res.json()) as { data?: Record<string, any>; errors?: unknown };
    };

    const created = await gql(
      `mutation { createJob(input: {id: "site.outside", enabled: false, cronExpr: "0 3 * * *", handlerPath: "site_jobs.hello:HelloJob", publicCfg: {who: "ops"}}) { __typename ... on Error { message } } }`,
    );
    expect(created.data?.createJob).toEqual({ __typename: "MutationCreateJobSuccess" });

    const run = await gql(`mutation { runNow(jobId: "site.outside") { ... on MutationRunNowSuccess { data { id } } } }`);
    const logId = run.data?.runNow?.data?.id as number;
    expect(logId).toBeTypeOf("number");
    const log = await until("the run to end", async () => {
      const r = await gql(`{ jobLog(id: ${logId}) { status message runLog } }`);
      const l = r.data?.jobLog as { status: string; message: string | null; runLog: string } | undefined;
      return l && !["QUEUED", "RUNNING"].includes(l.status) ? l : undefined;
    });
    expect(log.status, log.message ?? "").toBe("SUCCESS");
    expect(log.runLog).toContain("hello from outside, ops; ofetch function; year");
  });
});
