import { cpSync, mkdtempSync, writeFileSync, appendFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { MigrationChecksumError, MigrationFailedError } from "../../src/db/db-errors.ts";
import { MIGRATIONS_DIR, migrate } from "../../src/db/migrator.ts";
import { createScratchDatabase } from "../harness/postgres.ts";

const drops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const d of drops.splice(0)) await d();
});

async function scratch() {
  const db = await createScratchDatabase();
  drops.push(db.drop);
  return db.url;
}

function copyOfMigrations(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "connecthub-migrations-"));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

describe("migrate", () => {
  it("applies every migration once and records it; a second run applies nothing", async () => {
    const url = await scratch();
    const first = await migrate(url);
    expect(first.length).toBeGreaterThan(0);
    expect(await migrate(url)).toEqual([]);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const { rows } = await c.query("SELECT name, checksum FROM _connecthub_migrations ORDER BY name");
    await c.end();
    expect(rows.map((r) => r.name)).toEqual(first);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
  });

  it("two processes migrating at once apply each migration exactly once", async () => {
    const url = await scratch();
    const [a, b] = await Promise.all([migrate(url), migrate(url)]);
    expect([...a, ...b].sort()).toEqual((a.length ? a : b).sort());
    expect(a.length === 0 || b.length === 0).toBe(true);
  });

  it("refuses to start when an applied migration was edited", async () => {
    const url = await scratch();
    const dir = copyOfMigrations();
    await migrate(url, dir);
    const first = path.join(dir, "20261123000000_init", "migration.sql");
    appendFileSync(first, "\n-- edited\n");
    await expect(migrate(url, dir)).rejects.toBeInstanceOf(MigrationChecksumError);
    await expect(migrate(url, dir)).rejects.toThrow(/20261123000000_init was changed after it was applied/);
  });

  it("rolls back a failing migration and leaves it unrecorded", async () => {
    const url = await scratch();
    const dir = copyOfMigrations();
    mkdirSync(path.join(dir, "29990101000000_broken"));
    writeFileSync(path.join(dir, "29990101000000_broken", "migration.sql"), "CREATE TABLE half_done (id int);\nSELECT no_such_function();");
    await expect(migrate(url, dir)).rejects.toBeInstanceOf(MigrationFailedError);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const tables = await c.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'");
    const recorded = await c.query("SELECT 1 FROM _connecthub_migrations WHERE name = '29990101000000_broken'");
    await c.end();
    expect(tables.rowCount).toBe(0);
    expect(recorded.rowCount).toBe(0);
  });
});
