// `connecthub jobs import` and createJob check a definition with the same job rules: a job the
// API refuses is refused by the import with the same error (code, message, field errors), and
// nothing is written. The cases below were stored or misreported by the import's own schema.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError, type FieldError } from "../../src/graphql/errors.ts";
import { importJobs, readJobsFile } from "../../src/operations/job-transfer.ts";
import { InvalidJobsError } from "../../src/operations/operation-errors.ts";
import { bearer, EXAMPLE_HANDLER, postGraphql, startApiFixture, type ApiFixture } from "../graphql/api-harness.ts";
import { runCli } from "./run-cli.ts";

let f: ApiFixture;
beforeAll(async () => {
  f = await startApiFixture();
});
afterAll(async () => {
  await f?.close();
});

const REFUSED: Array<[string, Record<string, unknown>]> = [
  // The import's schema let 0 through as "positive" only for some fields, and never bounded these.
  ["a zero keepLastRuns and a timeout over a week", { keepLastRuns: 0, timeoutSeconds: 8 * 24 * 3600 }],
  // NUL cannot be stored by PostgreSQL: the import failed in the database instead of naming the field.
  ["a NUL character in a config value", { publicCfg: { name: "a\u0000b" } }],
  // The import defaulted a missing publicCfg to {}; the API requires it.
  ["no publicCfg", { publicCfg: undefined }],
  ["an id with spaces and a blank handler", { id: "bad id", handlerPath: "  " }],
];

async function refusalByApi(job: Record<string, unknown>) {
  const res = await postGraphql(
    f.baseUrl,
    `mutation($i: CreateJobInput!) { createJob(input: $i) { __typename ... on Error { code message } ... on ValidationError { fieldErrors { field message code params } } } }`,
    { i: job },
    bearer(f.tokens.ADMIN),
  );
  return res.json.data.createJob as { __typename: string; code: string; message: string; fieldErrors: FieldError[] };
}

/** A field error as the API returns it: no code or params is null there. */
const asSent = (errors: FieldError[]) => errors.map((e) => ({ field: e.field, message: e.message, code: e.code ?? null, params: e.params ?? null }));

function exportFile(name: string, jobs: Array<Record<string, unknown>>): string {
  const file = path.join(f.dataDir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ format: "connecthub-jobs", version: 1, exportedAt: new Date().toISOString(), jobs }));
  return file;
}

describe("jobs import refuses what createJob refuses, with the same error", () => {
  it.each(REFUSED)("%s", async (name, patch) => {
    const job = { id: `imp.${name.replace(/\W+/g, "_")}`, cronExpr: "0 9 * * *", handlerPath: EXAMPLE_HANDLER, publicCfg: { name: "x" }, ...patch };
    const api = await refusalByApi(job);
    expect(api.__typename).toBe("ValidationError");

    const before = await f.app.runtime.prisma.job.count();
    const jobs = await readJobsFile(exportFile(name.replace(/\W+/g, "_"), [job]));
    const error = await importJobs(f.app.runtime.prisma, jobs, null, "fernet.key", false).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidJobsError);
    const refusal = (error as InvalidJobsError).byJob.get(job.id as string);
    expect(refusal).toBeInstanceOf(ValidationError);
    expect({ code: refusal!.code, message: refusal!.message, fieldErrors: asSent(refusal!.fieldErrors) }).toEqual({ code: api.code, message: api.message, fieldErrors: asSent(api.fieldErrors) });
    expect(await f.app.runtime.prisma.job.count()).toBe(before);
  });

  it("the command prints the API's field errors and writes nothing", async () => {
    const job = { id: "imp.cli", cronExpr: "0 9 * * *", handlerPath: EXAMPLE_HANDLER, publicCfg: { name: "x" }, keepLastRuns: 0, misfireGraceSeconds: -5 };
    const api = await refusalByApi(job);
    const result = await runCli(["jobs", "import", exportFile("cli", [job])], { DATABASE_URL: f.databaseUrl, DATA_DIR: f.dataDir });
    expect(result.code).toBe(1);
    for (const e of api.fieldErrors) expect(result.stderr).toContain(`  imp.cli: ${e.field}: ${e.message}`);
    expect(await f.app.runtime.prisma.job.count({ where: { id: "imp.cli" } })).toBe(0);
  }, 180_000);

  it("stores an accepted definition as the API would: text trimmed, blanks as none, an INTERVAL anchored at import", async () => {
    const before = Date.now();
    const jobs = await readJobsFile(
      exportFile("ok", [{ id: "imp.ok", triggerType: "INTERVAL", intervalSeconds: 60, description: "   ", timezone: " UTC ", handlerPath: ` ${EXAMPLE_HANDLER} `, publicCfg: { name: "x" } }]),
    );
    await importJobs(f.app.runtime.prisma, jobs, null, "fernet.key", false);
    const row = await f.app.runtime.prisma.job.findUniqueOrThrow({ where: { id: "imp.ok" } });
    expect(row).toMatchObject({ description: null, timezone: "UTC", handlerPath: EXAMPLE_HANDLER, cronExpr: null });
    expect(row.startAt!.getTime()).toBeGreaterThanOrEqual(before);
  });
});
