import { describe, expect, it } from "vitest";
import { readCompose } from "./repo-files.ts";

const { services } = readCompose("docker-compose.yml");
const APP_SERVICES = ["backend", "worker", "migrate"] as const;

describe("docker-compose.yml (production baseline)", () => {
  it("has postgres 16, mongo 7, backend, worker and the one-shot migrate service", () => {
    expect(Object.keys(services).sort()).toEqual(["backend", "migrate", "mongo", "postgres", "worker"]);
    expect(services.postgres!.image).toBe("postgres:16");
    expect(services.mongo!.image).toBe("mongo:7");
  });

  it("publishes only the backend's port 8000", () => {
    const published = Object.entries(services).flatMap(([name, s]) => (s.ports ?? []).map((p) => `${name}:${p}`));
    expect(published).toEqual(["backend:8000:8000"]);
  });

  it("runs every app role from the one image built by docker/Dockerfile", () => {
    expect(services.backend!.command).toEqual(["start", "api"]);
    expect(services.worker!.command).toEqual(["start", "worker"]);
    expect(services.migrate!.command).toEqual(["migrate"]);
    for (const name of APP_SERVICES) {
      expect(services[name]!.build).toEqual({ context: ".", dockerfile: "docker/Dockerfile" });
      expect(services[name]!.env_file).toBe(".env");
      expect(services[name]!.volumes).toContain("./data:/data");
      expect(services[name]!.environment!.DATA_DIR).toBe("/data");
      expect(services[name]!.environment!.DATABASE_URL).toMatch(/^postgresql:\/\/.*@postgres:5432\//);
      expect(services[name]!.environment!.MONGODB_URL).toMatch(/^mongodb:\/\/mongo:27017\//);
    }
  });

  it("lets the worker scale (no container_name) and restarts long-running services", () => {
    expect(services.worker!.container_name).toBeUndefined();
    for (const name of ["postgres", "mongo", "backend", "worker"]) expect(services[name]!.restart).toBe("unless-stopped");
    expect(services.migrate!.restart).toBe("no");
  });

  it("health-checks every long-running service and starts apps only after healthy stores and finished migrations", () => {
    for (const name of ["postgres", "mongo", "backend", "worker"]) expect(services[name]!.healthcheck?.test.length).toBeGreaterThan(0);
    expect(services.backend!.healthcheck!.test).toEqual(["CMD", "node", "docker/healthcheck.mjs", "api"]);
    expect(services.worker!.healthcheck!.test).toEqual(["CMD", "node", "docker/healthcheck.mjs", "worker"]);
    for (const name of ["backend", "worker"]) {
      expect(services[name]!.depends_on).toEqual({
        postgres: { condition: "service_healthy" },
        mongo: { condition: "service_healthy" },
        migrate: { condition: "service_completed_successfully" },
      });
    }
    expect(services.migrate!.depends_on).toEqual({ postgres: { condition: "service_healthy" } });
  });

  it("keeps database data under ./data on the host", () => {
    expect(services.postgres!.volumes).toEqual(["./data/postgres:/var/lib/postgresql/data"]);
    expect(services.mongo!.volumes).toEqual(["./data/mongo:/data/db"]);
  });
});

describe("docker-compose.dev.yml (development overlay)", () => {
  const dev = readCompose("docker-compose.dev.yml").services;

  it("mounts the source into backend and worker and restarts them on change", () => {
    expect(Object.keys(dev).sort()).toEqual(["backend", "worker"]);
    for (const name of ["backend", "worker"] as const) {
      expect(dev[name]!.entrypoint!.slice(0, 2)).toEqual(["node", "--watch-path=server/src"]);
      expect(dev[name]!.entrypoint).toContain("server/src/cli/main.ts");
      expect(dev[name]!.volumes).toEqual(expect.arrayContaining(["./server/src:/app/server/src", "./extensions:/app/extensions"]));
      expect(dev[name]!.ports).toBeUndefined();
    }
    expect(dev.backend!.command).toEqual(["start", "api"]);
    expect(dev.worker!.command).toEqual(["start", "worker"]);
  });
});
