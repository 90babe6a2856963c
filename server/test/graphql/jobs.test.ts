import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, EXAMPLE_HANDLER, postGraphql, startApiFixture, type ApiFixture } from "./api-harness.ts";

let f: ApiFixture;
beforeAll(async () => {
  f = await startApiFixture({ TIMEZONE: "Asia/Shanghai" });
});
afterAll(async () => {
  await f?.close();
});

const SECRET = "plain-secret-value-4711";
const ERR = `__typename ... on Error { code message }`;
const RESULT = `__typename ... on Error { code message } ... on ValidationError { fieldErrors { field message } }`;
const JOB_FIELDS = "id enabled cronExpr timezone handlerPath publicCfg hasSecrets secretKeys hasWebhookSecret nextFireTimes(count: 2) lastRun { id status }";

const admin = (query: string, variables: Record<string, unknown> = {}) => postGraphql(f.baseUrl, query, variables, bearer(f.tokens.ADMIN));

async function createJob(input: Record<string, unknown>) {
  return admin(`mutation($i: CreateJobInput!) { createJob(input: $i) { ${RESULT} ... on MutationCreateJobSuccess { data { ${JOB_FIELDS} } } } }`, { i: input });
}
async function updateJob(id: string, input: Record<string, unknown>) {
  return admin(`mutation($id: String!, $i: UpdateJobInput!) { updateJob(id: $id, input: $i) { ${RESULT} ... on MutationUpdateJobSuccess { data { ${JOB_FIELDS} } } } }`, { id, i: input });
}
const valid = (id: string, extra: Record<string, unknown> = {}) => ({ id, cronExpr: "0 9 * * *", handlerPath: EXAMPLE_HANDLER, publicCfg: { name: "World" }, secretCfg: { api_key: SECRET }, ...extra });

function fieldsOf(res: Awaited<ReturnType<typeof createJob>>, mutation: "createJob" | "updateJob"): string[] {
  const result = res.json.data[mutation];
  expect(result.__typename).toBe("ValidationError");
  return result.fieldErrors.map((e: { field: string }) => e.field);
}

describe("createJob / updateJob validation", () => {
  it("creates a job, stores the secret as a Fernet token and exposes only its key names", async () => {
    const res = await createJob(valid("v.ok"));
    expect(res.json.data.createJob.data).toMatchObject({ id: "v.ok", enabled: true, hasSecrets: true, secretKeys: ["api_key"], timezone: null, lastRun: null });
    expect(res.json.data.createJob.data.nextFireTimes).toHaveLength(2);
    // 09:00 in Asia/Shanghai is 01:00Z.
    expect(res.json.data.createJob.data.nextFireTimes[0]).toMatch(/T01:00:00.000Z$/);
    const row = await f.app.runtime.prisma.job.findUniqueOrThrow({ where: { id: "v.ok" } });
    expect(row.secretCfg).toMatch(/^gAAAAA/);
    expect(row.secretCfg).not.toContain(SECRET);
    expect(res.text).not.toContain(SECRET);
    expect(res.text).not.toContain(row.secretCfg!);
  });

  const badInputs: Array<[string, Record<string, unknown>, string]> = [
    ["a missing id", { id: undefined }, "id"],
    ["an empty id", { id: "  " }, "id"],
    ["an existing id", { id: "v.ok" }, "id"],
    ["an unparsable cron expression", { cronExpr: "61 * * * *" }, "cronExpr"],
    ["an INTERVAL trigger without seconds", { triggerType: "INTERVAL", startAt: "2025-01-01T00:00:00Z" }, "intervalSeconds"],
    ["a DATE trigger without its instant", { triggerType: "DATE" }, "startAt"],
    ["an unknown time zone", { timezone: "Mars/Olympus" }, "timezone"],
    ["a handler module that does not exist", { handlerPath: "extensions.nothing.here:Nope" }, "handlerPath"],
    ["a handler class that is not exported", { handlerPath: "extensions.example.job:NotThere" }, "handlerPath"],
    ["publicCfg as an array", { publicCfg: [1, 2] }, "publicCfg"],
    ["publicCfg as a JSON string", { publicCfg: '"text"' }, "publicCfg"],
    ["publicCfg empty", { publicCfg: "" }, "publicCfg"],
    ["publicCfg missing", { publicCfg: undefined }, "publicCfg"],
    ["publicCfg not matching the handler's schema", { publicCfg: { name: "" } }, "publicCfg.name"],
    ["secretCfg as an array", { secretCfg: ["x"] }, "secretCfg"],
    ["secretCfg not matching the handler's secrets schema", { secretCfg: { api_key: 42 } }, "secretCfg.api_key"],
    ["a zero timeout", { timeoutSeconds: 0 }, "timeoutSeconds"],
    ["a negative misfire grace", { misfireGraceSeconds: -1 }, "misfireGraceSeconds"],
    ["a webhook URL that is not http(s)", { webhookUrl: "ftp://example.com/hook" }, "webhookUrl"],
    ["a webhook secret with an unknown key", { webhookSecret: { password: "x" } }, "webhookSecret.password"],
  ];

  it.each(badInputs)("refuses %s, naming the field, and writes nothing", async (_name, patch, field) => {
    const id = typeof patch.id === "string" || "id" in patch ? (patch.id as string | undefined) : `v.bad.${field.replace(/\W/g, "_")}`;
    const before = await f.app.runtime.prisma.job.count();
    const res = await createJob({ ...valid(id ?? ""), ...patch, ...(id === undefined ? { id: undefined } : {}) });
    expect(fieldsOf(res, "createJob")).toContain(field);
    expect(await f.app.runtime.prisma.job.count()).toBe(before);
    expect(res.text).not.toContain(SECRET);
  });

  it("reports every bad field at once", async () => {
    const res = await createJob({ id: "", cronExpr: "nope", timezone: "Nowhere/City", handlerPath: "extensions.x:Y", publicCfg: [] });
    expect(fieldsOf(res, "createJob")).toEqual(expect.arrayContaining(["id", "cronExpr", "timezone", "handlerPath", "publicCfg"]));
  });

  it("on update keeps the secret when omitted, re-encrypts a new object, and clears it on request", async () => {
    await createJob(valid("v.secret"));
    const stored = async () => (await f.app.runtime.prisma.job.findUniqueOrThrow({ where: { id: "v.secret" } })).secretCfg;
    const original = await stored();
    const kept = await updateJob("v.secret", { description: "edited", secretCfg: null });
    expect(kept.json.data.updateJob.data.secretKeys).toEqual(["api_key"]);
    expect(await stored()).toBe(original);

    const replaced = await updateJob("v.secret", { secretCfg: { api_key: "another-secret-9" } });
    expect(replaced.json.data.updateJob.data.hasSecrets).toBe(true);
    expect(await stored()).not.toBe(original);
    expect(replaced.text).not.toContain("another-secret-9");

    const badSecret = await updateJob("v.secret", { secretCfg: "[1]" });
    expect(fieldsOf(badSecret, "updateJob")).toContain("secretCfg");

    const cleared = await updateJob("v.secret", { clearSecretCfg: true });
    expect(cleared.json.data.updateJob.data).toMatchObject({ hasSecrets: false, secretKeys: [] });
    expect(await stored()).toBeNull();
  });

  it("renames a job (its logs follow) and refuses a rename onto an existing id", async () => {
    await createJob(valid("v.old"));
    await createJob(valid("v.taken"));
    await f.app.runtime.prisma.jobLog.create({ data: { jobId: "v.old", trigger: "MANUAL", snapshotParams: {}, status: "SUCCESS" } });
    const clash = await updateJob("v.old", { id: "v.taken" });
    expect(fieldsOf(clash, "updateJob")).toEqual(["id"]);
    const renamed = await updateJob("v.old", { id: "v.new" });
    expect(renamed.json.data.updateJob.data.id).toBe("v.new");
    expect(await f.app.runtime.prisma.jobLog.count({ where: { jobId: "v.new" } })).toBe(1);
    expect(await f.app.runtime.prisma.job.count({ where: { id: "v.old" } })).toBe(0);
  });

  it("accepts an INTERVAL job without startAt and stores the moment it was saved as its anchor", async () => {
    const before = Date.now();
    const res = await createJob(valid("v.interval", { cronExpr: undefined, triggerType: "INTERVAL", intervalSeconds: 600 }));
    expect(res.json.data.createJob.__typename).toBe("MutationCreateJobSuccess");
    const row = await f.app.runtime.prisma.job.findUniqueOrThrow({ where: { id: "v.interval" } });
    expect(row.startAt!.getTime()).toBeGreaterThanOrEqual(before);
    expect(row.startAt!.getTime()).toBeLessThanOrEqual(Date.now());
    const [first] = res.json.data.createJob.data.nextFireTimes as string[];
    expect(new Date(first!).getTime()).toBe(row.startAt!.getTime() + 600_000);

    // Clearing the anchor on an edit re-anchors at that save; omitting it keeps the stored one.
    await updateJob("v.interval", { description: "kept" });
    expect((await f.app.runtime.prisma.job.findUniqueOrThrow({ where: { id: "v.interval" } })).startAt).toEqual(row.startAt);
    await updateJob("v.interval", { startAt: null });
    const reanchored = await f.app.runtime.prisma.job.findUniqueOrThrow({ where: { id: "v.interval" } });
    expect(reanchored.startAt!.getTime()).toBeGreaterThanOrEqual(row.startAt!.getTime());
    expect(reanchored.startAt).not.toBeNull();
  });

  it("an invalid update changes nothing", async () => {
    await createJob(valid("v.stable"));
    const before = await f.app.runtime.prisma.job.findUniqueOrThrow({ where: { id: "v.stable" } });
    const res = await updateJob("v.stable", { description: "should not stick", cronExpr: "bad cron", id: "v.renamed" });
    expect(fieldsOf(res, "updateJob")).toContain("cronExpr");
    expect(await f.app.runtime.prisma.job.findUniqueOrThrow({ where: { id: "v.stable" } })).toEqual(before);
  });
});

describe("job lifecycle mutations and queries", () => {
  it("disable keeps logs, purge removes only finished ones, delete removes the job and its logs", async () => {
    await createJob(valid("life.one"));
    const prisma = f.app.runtime.prisma;
    const old = new Date(Date.now() - 10 * 86_400_000);
    await prisma.jobLog.createMany({
      data: [
        { jobId: "life.one", trigger: "MANUAL", snapshotParams: {}, status: "SUCCESS", createdAt: old },
        { jobId: "life.one", trigger: "MANUAL", snapshotParams: {}, status: "FAILURE" },
        { jobId: "life.one", trigger: "MANUAL", snapshotParams: {}, status: "RUNNING", createdAt: old },
      ],
    });
    const disabled = await admin(`mutation { disableJob(id: "life.one") { ... on MutationDisableJobSuccess { data { enabled nextFireTimes } } } }`);
    expect(disabled.json.data.disableJob.data).toEqual({ enabled: false, nextFireTimes: [] });
    expect(await prisma.jobLog.count({ where: { jobId: "life.one" } })).toBe(3);

    const cutoff = new Date(Date.now() - 86_400_000).toISOString();
    const purged = await admin(`mutation($t: DateTime) { purgeLogs(jobId: "life.one", olderThan: $t) { ... on MutationPurgeLogsSuccess { data { deleted keptActive } } } }`, { t: cutoff });
    expect(purged.json.data.purgeLogs.data).toEqual({ deleted: 1, keptActive: 1 });

    const busy = await admin(`mutation { deleteJob(id: "life.one") { ${ERR} } }`);
    expect(busy.json.data.deleteJob).toMatchObject({ __typename: "ActionRefusedError", code: "JOB_BUSY" });
    await prisma.jobLog.updateMany({ where: { jobId: "life.one" }, data: { status: "CANCELLED" } });
    const deleted = await admin(`mutation { deleteJob(id: "life.one") { ${ERR} ... on MutationDeleteJobSuccess { data { jobId deletedLogs } } } }`);
    expect(deleted.json.data.deleteJob.data).toEqual({ jobId: "life.one", deletedLogs: 2 });
    expect(await prisma.job.count({ where: { id: "life.one" } })).toBe(0);

    const missing = await admin(`mutation { enableJob(id: "life.one") { ${ERR} } }`);
    expect(missing.json.data.enableJob).toMatchObject({ __typename: "NotFoundError", code: "NOT_FOUND" });
  });

  it("publishes job.changed after job mutations", async () => {
    const seen: unknown[] = [];
    const off = f.app.runtime.events.subscribe("job.changed", (p) => seen.push(p));
    try {
      await createJob(valid("events.a"));
      await updateJob("events.a", { id: "events.b" });
      await admin(`mutation { disableJob(id: "events.b") { __typename } }`);
      await admin(`mutation { deleteJob(id: "events.b") { __typename } }`);
      await expect.poll(() => seen.length).toBe(4);
      expect(seen).toEqual([
        { jobId: "events.a", change: "created" },
        { jobId: "events.b", change: "renamed", previousId: "events.a" },
        { jobId: "events.b", change: "updated" },
        { jobId: "events.b", change: "deleted" },
      ]);
    } finally {
      off();
    }
  });

  it("filters, sorts and pages jobs; logs newest first with filters", async () => {
    for (const id of ["list.a", "list.b", "list.c"]) await createJob(valid(id, { description: `desc ${id}` }));
    await admin(`mutation { disableJob(id: "list.b") { __typename } }`);
    const viewer = (q: string, v: Record<string, unknown> = {}) => postGraphql(f.baseUrl, q, v, bearer(f.tokens.VIEWER));
    const page = await viewer(`{ jobs(first: 2, filter: { text: "LIST." }, sort: { field: ID, direction: DESC }) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`);
    expect(page.json.data.jobs.totalCount).toBe(3);
    expect(page.json.data.jobs.edges.map((e: any) => e.node.id)).toEqual(["list.c", "list.b"]);
    const next = await viewer(`query($c: String) { jobs(first: 2, after: $c, filter: { text: "list." }, sort: { field: ID, direction: DESC }) { edges { node { id } } } }`, { c: page.json.data.jobs.pageInfo.endCursor });
    expect(next.json.data.jobs.edges.map((e: any) => e.node.id)).toEqual(["list.a"]);
    const enabledOnly = await viewer(`{ jobs(filter: { text: "list.", enabled: false }) { edges { node { id } } } }`);
    expect(enabledOnly.json.data.jobs.edges.map((e: any) => e.node.id)).toEqual(["list.b"]);

    const prisma = f.app.runtime.prisma;
    // Ended runs, so both started (Job.lastRun counts only runs that started).
    const a = await prisma.jobLog.create({ data: { jobId: "list.a", trigger: "CRON", snapshotParams: {}, status: "FAILURE", startedAt: new Date(), finishedAt: new Date() } });
    const b = await prisma.jobLog.create({ data: { jobId: "list.a", trigger: "MANUAL", snapshotParams: {}, status: "SUCCESS", startedAt: new Date(), finishedAt: new Date() } });
    const logs = await viewer(`{ jobLogs(filter: { jobId: "list.a" }) { totalCount edges { node { id status } } } }`);
    expect(logs.json.data.jobLogs.edges.map((e: any) => e.node.id)).toEqual([b.id, a.id]);
    const failed = await viewer(`{ jobLogs(filter: { jobId: "list.a", status: [FAILURE], trigger: [CRON] }) { edges { node { id } } } }`);
    expect(failed.json.data.jobLogs.edges.map((e: any) => e.node.id)).toEqual([a.id]);
    const withLast = await viewer(`{ job(id: "list.a") { lastRun { id status } logs(first: 1) { totalCount edges { node { id } } } } }`);
    expect(withLast.json.data.job).toEqual({ lastRun: { id: b.id, status: "SUCCESS" }, logs: { totalCount: 2, edges: [{ node: { id: b.id } }] } });
  });

  it("previews triggers, or names the bad field", async () => {
    const viewer = (q: string) => postGraphql(f.baseUrl, q, {}, bearer(f.tokens.VIEWER));
    const cron = await viewer(`{ cronPreview(expr: "0 9 * * *", timezone: "UTC", count: 3) { __typename ... on QueryCronPreviewSuccess { data } ... on TriggerInvalidError { field message } } }`);
    expect(cron.json.data.cronPreview.data).toHaveLength(3);
    expect(cron.json.data.cronPreview.data[0]).toMatch(/T09:00:00.000Z$/);
    const interval = await viewer(`{ triggerPreview(input: { triggerType: INTERVAL, intervalSeconds: 60, startAt: "2025-01-01T00:00:30Z", count: 2 }) { ... on QueryTriggerPreviewSuccess { data } } }`);
    expect(interval.json.data.triggerPreview.data[0]).toMatch(/:30.000Z$/);
    const bad = await viewer(`{ cronPreview(expr: "* * *") { __typename ... on TriggerInvalidError { field code } } }`);
    expect(bad.json.data.cronPreview).toEqual({ __typename: "TriggerInvalidError", field: "cronExpr", code: "TRIGGER_INVALID" });
    const zone = await viewer(`{ cronPreview(expr: "* * * * *", timezone: "Bad/Zone") { ... on TriggerInvalidError { field } } }`);
    expect(zone.json.data.cronPreview.field).toBe("timezone");
  });

  it("lists handlers, server info and the caller", async () => {
    const res = await postGraphql(f.baseUrl, `{ handlers { handlerPath paramsJsonSchema } serverInfo { name version timeZone storageMode queueBackend } me { name role kind } }`, {}, bearer(f.tokens.VIEWER));
    expect(res.json.data.handlers.map((h: any) => h.handlerPath)).toContain(EXAMPLE_HANDLER);
    expect(res.json.data.serverInfo).toMatchObject({ name: "ConnectHub", timeZone: "Asia/Shanghai", storageMode: "server", queueBackend: "postgres" });
    expect(res.json.data.me).toEqual({ name: "test-viewer", role: "VIEWER", kind: "API_TOKEN" });
  });

  it("refuses queries nested deeper than the limit", async () => {
    const deep = `{ jobLogs { edges { node { retryOf { retryOf { retryOf { retryOf { retryOf { retryOf { retryOf { retryOf { retryOf { retryOf { id } } } } } } } } } } } } } }`;
    const res = await postGraphql(f.baseUrl, deep, {}, bearer(f.tokens.VIEWER));
    expect(res.json.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_DEEP");
  });
});
