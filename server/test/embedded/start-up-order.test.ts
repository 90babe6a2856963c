// What a warm `npm start` on embedded storage does before /health answers, read from its start-up
// milestones (ms since the process began, logged with the "started" line): order only, no timing.
import { afterAll, describe, expect, it } from "vitest";
import { tempDataDir } from "../harness/app.ts";
import { startEmbeddedServer, type EmbeddedServer } from "./embedded-server.ts";

const data = tempDataDir();
let server: EmbeddedServer | undefined;
afterAll(async () => {
  await server?.terminate();
  data.cleanup();
});

async function startedLine(s: EmbeddedServer): Promise<{ parts: string[]; startupMs: Record<string, number> }> {
  for (let i = 0; i < 600; i++) {
    const line = s.output().split("\n").find((l) => l.includes('"startupMs"'));
    if (line) return JSON.parse(line);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no "started" line:\n${s.output()}`);
}

describe("npm start on embedded storage", () => {
  it("boots PostgreSQL while loading the app, answers /health once the admin can log in, then starts the worker and the planner", async () => {
    // First start: initdb, migrations, first admin. The second is the warm start under test.
    await (await startEmbeddedServer(data.dir)).terminate();
    server = await startEmbeddedServer(data.dir);
    // At /health's first answer, logging in works (the database is up and the admin exists).
    const login = await fetch(`${server.baseUrl}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: "embedded-test-pass-1" }),
    });
    expect(login.status).toBe(200);

    const { parts, startupMs: at } = await startedLine(server);
    // PostgreSQL's process was running before the app's modules were loaded (they load meanwhile).
    expect(at["database spawned"]).toBeLessThanOrEqual(at["app modules"]!);
    // The database and the first admin come before the HTTP server listens...
    expect(at["database"]).toBeLessThanOrEqual(at["first-admin"]!);
    expect(at["first-admin"]).toBeLessThanOrEqual(at["http"]!);
    // ...the worker and the planner after it, while stopping keeps its order: the API and HTTP
    // server stop before the worker drains (parts stop in the reverse of this list).
    expect(at["http"]).toBeLessThanOrEqual(at["worker"]!);
    expect(at["http"]).toBeLessThanOrEqual(at["scheduler"]!);
    expect(parts).toEqual(["worker", "scheduler", "first-admin", "http", "api"]);
    expect(await server.terminate()).toBe(0);
  });
});
