import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDataDir } from "../cli/run-cli.ts";
import { createScratchDatabase } from "../harness/postgres.ts";

let db: Awaited<ReturnType<typeof createScratchDatabase>>;
let data: ReturnType<typeof tempDataDir>;
let env: Record<string, string>;
beforeAll(async () => {
  db = await createScratchDatabase("connecthub_audit_cli");
  data = tempDataDir();
  env = { DATABASE_URL: db.url, DATA_DIR: data.dir };
});
afterAll(async () => {
  await db?.drop();
  data?.cleanup();
});

describe("CLI actions in the audit log", () => {
  it("records token create and revoke as `cli`, and exports them as JSON lines without the token", async () => {
    const created = await runCli(["token", "create", "--role", "viewer", "--scope", "metrics", "--name", "prometheus"], env);
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^chub_/);
    expect((await runCli(["token", "revoke", "prometheus"], env)).code).toBe(0);

    const exported = await runCli(["audit", "export", "--since", "1h"], env);
    expect(exported.code, exported.stderr).toBe(0);
    const lines = exported.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((e) => e.action)).toEqual(["token.create", "token.revoke"]);
    expect(lines[0]).toMatchObject({ actorKind: "CLI", actor: "cli", targetId: "prometheus", outcome: "SUCCESS", detail: { role: "VIEWER", scopes: ["metrics"] } });
    expect(lines[1]).toMatchObject({ outcome: "SUCCESS", detail: { revoked: 1 } });
    expect(exported.stdout).not.toContain(token);

    const bad = await runCli(["audit", "export", "--since", "yesterday-ish"], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("--since");
  }, 300_000);
});
