import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrator.ts";
import { generateFernetKey } from "../../src/security/fernet.ts";
import { runCli, tempDataDir } from "../cli/run-cli.ts";
import { seedInstallation } from "../cli/seed.ts";
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

  it("records backup, jobs import and restore as `cli` with counts and ids, never the secret or the key", async () => {
    const key = generateFernetKey();
    const dbs = await Promise.all(["audit_cli_from", "audit_cli_import", "audit_cli_restore"].map((p) => createScratchDatabase(p)));
    const [from, imported, restored] = dbs as [typeof db, typeof db, typeof db];
    const dirs = [tempDataDir(), tempDataDir(), tempDataDir()];
    try {
      await Promise.all(dbs.map((d) => migrate(d.url)));
      await seedInstallation(from.url, key);
      for (const d of dirs.slice(0, 2)) writeFileSync(path.join(d.dir, "fernet.key"), key);
      const at = (d: typeof db, dir: { dir: string }) => ({ DATABASE_URL: d.url, DATA_DIR: dir.dir });
      const archive = path.join(dirs[0]!.dir, "backup.jsonl.gz");
      const jobsFile = path.join(dirs[0]!.dir, "jobs.json");

      expect((await runCli(["backup", "--out", archive], at(from, dirs[0]!))).code).toBe(0);
      expect((await runCli(["jobs", "export", "--out", jobsFile], at(from, dirs[0]!))).code).toBe(0);
      const imports = await runCli(["jobs", "import", jobsFile], at(imported, dirs[1]!));
      expect(imports.code, imports.stderr).toBe(0);
      const restores = await runCli(["restore", archive], at(restored, dirs[2]!));
      expect(restores.code, restores.stderr).toBe(0);

      const exportOf = async (d: typeof db, dir: { dir: string }) => {
        const out = await runCli(["audit", "export", "--since", "1h"], at(d, dir));
        expect(out.code, out.stderr).toBe(0);
        expect(out.stdout).not.toContain("s3cret-token");
        expect(out.stdout).not.toContain(key);
        return { text: out.stdout, events: out.stdout.trim().split("\n").map((l) => JSON.parse(l)) };
      };
      const backups = (await exportOf(from, dirs[0]!)).events.filter((e) => e.action === "cli.backup");
      expect(backups).toEqual([expect.objectContaining({ actorKind: "CLI", actor: "cli", targetId: "backup.jsonl.gz", outcome: "SUCCESS", detail: expect.objectContaining({ keyIncluded: true, counts: expect.objectContaining({ jobs: 2 }) }) })]);
      const importEvents = (await exportOf(imported, dirs[1]!)).events;
      expect(importEvents).toEqual([expect.objectContaining({ action: "cli.import", actorKind: "CLI", targetId: "jobs.json", outcome: "SUCCESS" })]);
      expect(JSON.stringify(importEvents[0].detail)).toContain("oa.sync_members");
      // A backup carries no audit events: the restored database's log starts with the restore.
      const restoreEvents = (await exportOf(restored, dirs[2]!)).events;
      expect(restoreEvents).toEqual([expect.objectContaining({ action: "cli.restore", actorKind: "CLI", actor: "cli", targetId: "backup.jsonl.gz", outcome: "SUCCESS" })]);
    } finally {
      await Promise.all(dbs.map((d) => d.drop()));
      for (const d of dirs) d.cleanup();
    }
  }, 600_000);
});
