import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { PROCESS_ROLES } from "../../src/app.ts";
import { readCompose, REPO } from "./repo-files.ts";

// No Docker engine here: what compose would run is run as the image would run it (see
// dockerfile.test.ts), and what compose would wire together is checked for names that exist.
const { services } = readCompose("docker-compose.yml");
const APP_SERVICES = Object.keys(services).filter((name) => services[name]!.build);
const exec = promisify(execFile);

/** `<image entrypoint> <args>`: the CLI, as docker/Dockerfile's ENTRYPOINT runs it. */
const cli = (args: string[]) => exec(process.execPath, ["server/src/cli/main.js", ...args], { cwd: REPO, env: { PATH: process.env.PATH ?? "" } });

describe("docker-compose.yml (production baseline)", () => {
  it("parses, and every app service builds its image from a Dockerfile that exists", () => {
    expect(APP_SERVICES.sort()).toEqual(["backend", "migrate", "worker"]);
    for (const name of APP_SERVICES) {
      const build = services[name]!.build!;
      expect(existsSync(path.join(REPO, build.context, build.dockerfile)), name).toBe(true);
    }
  });

  it("gives every app service a command the CLI knows (`<command> --help` exits 0)", async () => {
    for (const name of APP_SERVICES) {
      const command = services[name]!.command!;
      const { stdout } = await cli([...command, "--help"]);
      expect(stdout, name).toMatch(new RegExp(`^Usage: connecthub ${command[0]}`, "m"));
      if (command[0] === "start") expect(PROCESS_ROLES, name).toContain(command[1]);
    }
  });

  it("points the apps at stores by service names that exist, and waits only on services that exist", () => {
    for (const name of APP_SERVICES) {
      const env = services[name]!.environment!;
      for (const url of [env.DATABASE_URL!, env.MONGODB_URL!]) {
        const host = /^[a-z]+:\/\/(?:[^@/]*@)?([^:/]+)/.exec(url)?.[1];
        expect(Object.keys(services), `${name}: ${url}`).toContain(host);
      }
      for (const dep of Object.keys(services[name]!.depends_on ?? {})) expect(Object.keys(services), name).toContain(dep);
    }
  });

  it("keeps what must survive a container's removal on host volumes: DATA_DIR (the Fernet key) and the databases", () => {
    const mountedAt = (name: string, target: string) => (services[name]!.volumes ?? []).some((v) => v.split(":")[1] === target);
    for (const name of APP_SERVICES) expect(mountedAt(name, services[name]!.environment!.DATA_DIR!), name).toBe(true);
    expect(mountedAt("postgres", "/var/lib/postgresql/data")).toBe(true);
    expect(mountedAt("mongo", "/data/db")).toBe(true);
  });

  it("publishes only the backend's port", () => {
    const published = Object.entries(services).flatMap(([name, s]) => (s.ports ?? []).map((p) => `${name}:${p}`));
    expect(published).toEqual(["backend:8000:8000"]);
  });

  it("health-checks the apps with the image's probe, for a role the probe knows", () => {
    for (const name of ["backend", "worker"]) {
      const [kind, program, script, role] = services[name]!.healthcheck!.test;
      expect([kind, program]).toEqual(["CMD", "node"]);
      expect(existsSync(path.join(REPO, script!)), name).toBe(true);
      expect(PROCESS_ROLES, name).toContain(role);
    }
  });
});

describe("docker-compose.dev.yml (development overlay)", () => {
  const dev = readCompose("docker-compose.dev.yml").services;

  it("mounts source paths that exist (./data is created by connecthub.sh)", () => {
    for (const [name, service] of Object.entries(dev)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(":")[0]!;
        if (source.startsWith(".") && !source.startsWith("./data")) expect(existsSync(path.join(REPO, source)), `${name}: ${volume}`).toBe(true);
      }
    }
  });

  it("its watching entrypoint starts the CLI (Node accepts the flags)", async () => {
    const [program, ...args] = dev.backend!.entrypoint!;
    expect(program).toBe("node");
    // Watch mode keeps running after the command ends: read its output, then stop it.
    const child = spawn(process.execPath, [...args, ...dev.backend!.command!, "--help"], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      const deadline = Date.now() + 60_000;
      while (!output.includes("Usage: connecthub start") && child.exitCode === null && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
    expect(output).toContain("Usage: connecthub start");
  });
});
