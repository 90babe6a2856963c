import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readDockerfile, readRepoFile, REPO } from "./repo-files.ts";

const stages = readDockerfile();
const runtime = stages.at(-1)!;
const op = (name: string) => runtime.instructions.filter((i) => i.op === name).map((i) => i.args);

describe("docker/Dockerfile", () => {
  it("is multi-stage on node:24-bookworm-slim", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.from).toMatch(/^node:24-bookworm-slim\b/);
  });

  it("installs exactly as CI does (npm ci with the lockfile, whose postinstall generates Prisma and builds the admin)", () => {
    const ciInstall = /^npm ci[^\n]*$/m.exec(readRepoFile(".ci/run"))![0].trim();
    const buildRuns = stages[0]!.instructions.filter((i) => i.op === "RUN").map((i) => i.args);
    expect(buildRuns[0]).toBe(ciInstall);
    const pkg = JSON.parse(readRepoFile("package.json"));
    expect(pkg.scripts.postinstall).toContain("prisma-generate.mjs");
    expect(pkg.scripts.postinstall).toContain("--workspace web");
    expect(existsSync(path.join(REPO, "package-lock.json"))).toBe(true);
  });

  it("prunes dev dependencies: tsx is not a runtime dependency", () => {
    const prune = stages[0]!.instructions.find((i) => i.op === "RUN" && i.args.includes("npm prune"))!;
    expect(prune.args).toContain("--omit=dev");
    expect(JSON.parse(readRepoFile("server/package.json")).dependencies.tsx).toBeUndefined();
  });

  it("runs as a non-root user with /data as the volume", () => {
    expect(op("USER")).toEqual(["node"]);
    expect(op("VOLUME")).toEqual(['["/data"]']);
    expect(op("ENV").join(" ")).toContain("DATA_DIR=/data");
    expect(op("EXPOSE")).toEqual(["8000"]);
  });

  it("checks health on /health through docker/healthcheck.mjs", () => {
    expect(op("HEALTHCHECK")[0]).toMatch(/CMD \["node", "docker\/healthcheck\.mjs"\]$/);
    expect(readRepoFile("docker/healthcheck.mjs")).toContain("/health");
  });

  it("starts any role through the CLI: `start all` by default, `start api|worker` by command", () => {
    expect(op("ENTRYPOINT")).toEqual(['["node", "server/src/cli/main.ts"]']);
    expect(op("CMD")).toEqual(['["start", "all"]']);
    expect(existsSync(path.join(REPO, "server/src/cli/commands/start.ts"))).toBe(true);
  });

  it("keeps secrets and local data out of the build context", () => {
    const ignore = readRepoFile("docker/Dockerfile.dockerignore").split("\n");
    for (const entry of ["data", ".env", "**/node_modules", ".git"]) expect(ignore).toContain(entry);
  });
});
