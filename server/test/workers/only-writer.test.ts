import { describe, expect, it } from "vitest";
import { serverSourceFiles } from "../structure/source-files.ts";

/** A write of a presence row: Prisma's workerPresence writes and SQL writes of worker_presence. */
const WRITES = [/\bworkerPresence\s*\.\s*(?:create|update|delete|upsert)\w*/g, /\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?worker_presence"?(?=[\s;`"(]|$)/gi];

const writesIn = (text: string) => WRITES.flatMap((re) => [...text.matchAll(re)].map((m) => m[0].replace(/\s+/g, " ")));

describe("worker_presence", () => {
  const files = serverSourceFiles();

  it("is written only by server/src/workers/", () => {
    const outside = files.filter((f) => !f.rel.startsWith("workers/")).flatMap((f) => writesIn(f.text).map((w) => `${f.rel}: ${w}`));
    expect(outside).toEqual([]);
  });

  it("has its writers found by the patterns (the check is not blind)", () => {
    const inside = files.filter((f) => f.rel.startsWith("workers/")).flatMap((f) => writesIn(f.text));
    expect(inside.some((w) => /^INSERT INTO worker_presence/i.test(w))).toBe(true);
    expect(inside.some((w) => /^DELETE FROM worker_presence/i.test(w))).toBe(true);
    expect(writesIn("await prisma.workerPresence\n  .deleteMany({})")).toEqual(["workerPresence .deleteMany"]);
  });
});
