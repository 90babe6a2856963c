import { describe, expect, it } from "vitest";
import { serverSourceFiles } from "../structure/source-files.ts";

/** A write of a run's row: Prisma's jobLog writes and SQL writes of job_logs (across line breaks too). */
const WRITES = [/\bjobLog\s*\.\s*(?:create|update|delete|upsert)\w*/g, /\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?job_logs"?(?=[\s;`"]|$)/gi];

/**
 * Writers outside runs/, each with why it may stay there.
 * - db/embedded/pglite-carry-over.ts closes the in-flight runs of a database copied from PGlite,
 *   inside the copy's transaction, before any part of the app runs; db/ is below runs/ (runs/
 *   imports db/), so it cannot call runs/closeInFlightRuns without a cycle. Same statement.
 * Not matched by the patterns, and allowed: the bulk copies that insert whole tables by name
 * (operations/restore.ts via backup-tables.ts, operations/legacy-import.ts); their closing
 * statement is runs/closeInFlightRuns.
 */
const ALLOWED: Record<string, string> = {
  "db/embedded/pglite-carry-over.ts": "closes in-flight runs of a just-copied database; db/ is below runs/",
};

function writesIn(text: string): string[] {
  return WRITES.flatMap((re) => [...text.matchAll(re)].map((m) => m[0].replace(/\s+/g, " ")));
}

describe("job_logs", () => {
  const files = serverSourceFiles();

  it("is written only by server/src/runs/ (and the allowed exceptions, each for a stated reason)", () => {
    const outside = files
      .filter((f) => !f.rel.startsWith("runs/") && !(f.rel in ALLOWED))
      .flatMap((f) => writesIn(f.text).map((w) => `${f.rel}: ${w}`));
    expect(outside).toEqual([]);
  });

  it("has its writers found by the patterns (the check is not blind)", () => {
    const inRuns = files.filter((f) => f.rel.startsWith("runs/")).flatMap((f) => writesIn(f.text));
    expect(inRuns.some((w) => w.startsWith("jobLog.create"))).toBe(true);
    expect(inRuns.some((w) => w.startsWith("jobLog.update"))).toBe(true);
    expect(inRuns.some((w) => w.startsWith("jobLog.delete"))).toBe(true);
    expect(inRuns.some((w) => /^UPDATE job_logs/i.test(w))).toBe(true);
    expect(inRuns.some((w) => /^DELETE FROM job_logs/i.test(w))).toBe(true);
    expect(writesIn("await prisma.jobLog\n  .updateMany({})")).toEqual(["jobLog .updateMany"]);
    for (const file of Object.keys(ALLOWED)) expect(writesIn(files.find((f) => f.rel === file)!.text).length).toBeGreaterThan(0);
  });
});
