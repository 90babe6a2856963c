import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "../../src/audit/index.ts";
import { migrate } from "../../src/db/migrator.ts";
import { createPrisma, type Prisma } from "../../src/db/prisma.ts";
import { createScratchDatabase } from "../harness/postgres.ts";

let db: Awaited<ReturnType<typeof createScratchDatabase>>;
let prisma: Prisma;
beforeAll(async () => {
  db = await createScratchDatabase("connecthub_audit_writer");
  await migrate(db.url);
  prisma = createPrisma(db.url, 4);
});
afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

const event = (i: number, detail: Record<string, unknown> = { i }) =>
  ({ actor: { kind: "USER", name: `u${i}` }, action: "run.now", target: { type: "Job", id: `j${i}` }, outcome: "SUCCESS", detail }) as const;

describe("audit writer", () => {
  it("concurrent events share INSERT statements, are all stored before their callers go on, in call order", async () => {
    await Promise.all(Array.from({ length: 30 }, (_, i) => recordAudit(prisma, event(i))));
    const rows = await prisma.auditEvent.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => r.actor)).toEqual(Array.from({ length: 30 }, (_, i) => `u${i}`));
    // The first goes alone; the 29 that arrived while it was written go together (one statement:
    // one transaction timestamp).
    expect(new Set(rows.map((r) => r.at.getTime())).size).toBeLessThanOrEqual(2);
  });

  it("a row the database refuses loses only itself, not the others of its batch", async () => {
    await prisma.auditEvent.deleteMany({});
    // PostgreSQL's jsonb refuses \u0000.
    await Promise.all([0, 1, 2, 3, 4].map((i) => recordAudit(prisma, event(i, i === 2 ? { bad: "a\u0000b" } : { i }))));
    expect((await prisma.auditEvent.findMany({ orderBy: { id: "asc" } })).map((r) => r.actor)).toEqual(["u0", "u1", "u3", "u4"]);
  });
});
