import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, tempDataDir } from "../cli/run-cli.ts";
import { gql, inheritedEnv, isAlive, postgresProcessesOf, postmasterPid, startEmbeddedServer, waitGone, watchdogOf } from "./embedded-server.ts";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));
const SLOW = 300_000;

describe("one owner per embedded database, and recovery from kill -9", () => {
  const data = tempDataDir();
  let token = "";
  afterAll(() => {
    for (const pid of postgresProcessesOf(data.dir)) process.kill(pid, "SIGQUIT");
    data.cleanup();
  });

  it("refuses a second npm start on the same DATA_DIR with a clear error", async () => {
    const server = await startEmbeddedServer(data.dir);
    try {
      const second = spawnSync(process.execPath, ["--import", "tsx", path.join(REPO, "server/src/main.ts"), "all"], {
        cwd: REPO,
        env: { ...inheritedEnv(), DATA_DIR: data.dir, PORT: "0", LOG_DIR: "" },
        encoding: "utf8",
        timeout: 120_000,
      });
      expect(second.status).toBe(1);
      expect(second.stderr).toContain(`is in use by process ${server.child.pid} (a running ConnectHub)`);
      // The refused process touched nothing: the first one still serves.
      expect((await fetch(`${server.baseUrl}/ready`)).status).toBe(200);
    } finally {
      expect(await server.terminate()).toBe(0);
    }
  }, SLOW);

  it("after kill -9 of the server its PostgreSQL stops too (the watchdog), and the next start keeps the data", async () => {
    const first = await startEmbeddedServer(data.dir);
    const created = await runCli(["token", "create", "--role", "viewer", "--name", "survives"], { DATA_DIR: data.dir });
    expect(created.code).toBe(0);
    token = created.stdout.trim();
    const postmaster = postmasterPid(data.dir)!;
    await first.kill9();
    expect(await waitGone(postmaster, 60_000)).toBe(true);

    const second = await startEmbeddedServer(data.dir);
    try {
      const answer = await gql(second.baseUrl, token, "{ jobs(first: 1) { totalCount } }");
      expect(answer).toEqual({ data: { jobs: { totalCount: 0 } } });
    } finally {
      expect(await second.terminate()).toBe(0);
    }
    expect(postgresProcessesOf(data.dir)).toEqual([]);
  }, SLOW);

  it("a PostgreSQL orphaned with its watchdog gone is stopped by the next start", async () => {
    const first = await startEmbeddedServer(data.dir);
    const orphan = postmasterPid(data.dir)!;
    const watchdog = watchdogOf(orphan);
    expect(watchdog).not.toBeNull();
    process.kill(watchdog!, "SIGKILL");
    await first.kill9();
    // PostgreSQL runs in its own process group, so it outlives a killed owner…
    expect(isAlive(orphan)).toBe(true);

    const second = await startEmbeddedServer(data.dir);
    try {
      // …and the next start stops it and runs its own.
      expect(isAlive(orphan)).toBe(false);
      expect(second.output()).toContain("Stopped a PostgreSQL left running");
      const postmaster = postmasterPid(data.dir)!;
      expect(postmaster).not.toBe(orphan);
      expect(postgresProcessesOf(data.dir)).toContain(postmaster);
      const answer = await gql(second.baseUrl, token, "{ jobs(first: 1) { totalCount } }");
      expect(answer).toEqual({ data: { jobs: { totalCount: 0 } } });
    } finally {
      expect(await second.terminate()).toBe(0);
    }
    expect(postgresProcessesOf(data.dir)).toEqual([]);
  }, SLOW);

  it("a CLI command with no server running starts the cluster for itself and stops it after", async () => {
    const listed = await runCli(["token", "list"], { DATA_DIR: data.dir });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/\tsurvives\tVIEWER\t/);
    expect(postgresProcessesOf(data.dir)).toEqual([]);
  }, SLOW);
});
