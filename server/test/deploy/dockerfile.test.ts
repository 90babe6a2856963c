import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateFernetKey } from "../../src/security/fernet.ts";
import { createScratchDatabase } from "../harness/postgres.ts";
import { readDockerfile, readRepoFile, REPO } from "./repo-files.ts";

// No Docker engine here: the image's commands are run as the container would run them (its
// WORKDIR is the checkout, its ENV applied, `node` the Node running these tests).
const stages = readDockerfile();
const runtime = stages.at(-1)!;
const op = (name: string) => runtime.instructions.filter((i) => i.op === name).map((i) => i.args);
const exec = promisify(execFile);

/** The runtime stage's ENV as variables (`ENV A=1 B=2`). */
function imageEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of op("ENV")) for (const [, k, v] of line.matchAll(/(\w+)=(\S+)/g)) env[k!] = v!;
  return env;
}

/** Runs `ENTRYPOINT + args` in a container-like environment: the image's ENV, nothing inherited but PATH/HOME. */
function runImage(args: string[], env: Record<string, string>) {
  const [program, ...entry] = JSON.parse(op("ENTRYPOINT")[0]!) as string[];
  expect(program).toBe("node");
  return exec(process.execPath, [...entry, ...args], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...imageEnv(), LOG_DIR: "", ...env },
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" }),
  );
}

describe("docker/Dockerfile", () => {
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "connecthub-image-data-"));
  beforeAll(async () => {
    db = await createScratchDatabase("connecthub_image");
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("builds and runs on a Node that satisfies package.json's engines", () => {
    const wanted = Number(/(\d+)/.exec(JSON.parse(readRepoFile("package.json")).engines.node)![1]);
    for (const stage of stages) {
      const major = Number(/^node:(\d+)/.exec(stage.from)?.[1]);
      expect(major, stage.from).toBeGreaterThanOrEqual(wanted);
    }
  });

  it("installs exactly as CI does (npm ci with the lockfile, whose postinstall generates Prisma and builds the admin)", () => {
    const ciInstall = /^npm ci[^\n]*$/m.exec(readRepoFile(".ci/run"))![0].trim();
    const buildRuns = stages[0]!.instructions.filter((i) => i.op === "RUN").map((i) => i.args);
    expect(buildRuns[0]).toBe(ciInstall);
  });

  it("its entrypoint runs the CLI: `migrate`, then `doctor` passes every check", async () => {
    const env = { DATA_DIR: dataDir, DATABASE_URL: db.url };
    const migrate = await runImage(["migrate"], env);
    expect(migrate.stderr).toBe("");
    expect(migrate.code).toBe(0);
    // The key the first `start` generates.
    writeFileSync(path.join(dataDir, "fernet.key"), generateFernetKey(), { mode: 0o600 });
    const doctor = await runImage(["doctor"], env);
    expect(doctor.stdout).not.toContain("FAIL");
    expect(doctor.stdout).toMatch(/^OK +database /m);
    expect(doctor.code).toBe(0);
  });

  it("its default command is a command of that CLI", async () => {
    const cmd = JSON.parse(op("CMD")[0]!) as string[];
    const help = await runImage([...cmd, "--help"], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(new RegExp(`^Usage: connecthub ${cmd[0]}`, "m"));
  });

  it("its HEALTHCHECK probe passes while /health answers ok and fails when nothing listens", async () => {
    const probe = JSON.parse(/CMD (\[.*\])$/.exec(op("HEALTHCHECK")[0]!)![1]!) as string[];
    expect(probe[0]).toBe("node");
    const server = http.createServer((_req, res) => res.end(JSON.stringify({ ok: true, name: "ConnectHub" })));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = String((server.address() as AddressInfo).port);
    const run = (p: string) =>
      exec(process.execPath, probe.slice(1), { cwd: REPO, env: { PATH: process.env.PATH ?? "", PORT: p } }).then(
        () => 0,
        (e: { code?: number }) => e.code ?? 1,
      );
    try {
      expect(await run(port)).toBe(0);
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(await run(port)).toBe(1);
  });

  it("runs as the unprivileged user node, with /data the only volume", () => {
    expect(op("USER")).toEqual(["node"]);
    expect(op("VOLUME")).toEqual(['["/data"]']);
    expect(imageEnv().DATA_DIR).toBe("/data");
  });

  it("keeps secrets and local data out of the build context", () => {
    const ignore = readRepoFile("docker/Dockerfile.dockerignore").split("\n");
    for (const entry of ["data", ".env", "**/node_modules", ".git"]) expect(ignore).toContain(entry);
  });
});
