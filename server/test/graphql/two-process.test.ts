import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, collect, EXAMPLE_HANDLER, postGraphql, startApiFixture, wsClient, type ApiFixture } from "./api-harness.ts";
import { startWorkerProcess } from "./worker-process.ts";

interface Ev { jobLogUpdated: { kind: string; logId: number; status: string | null; offset: number | null; text: string | null; nextOffset: number | null } }

let api: ApiFixture;
let worker: ReturnType<typeof startWorkerProcess>;
beforeAll(async () => {
  // The API process runs no worker: every run executes in the child process.
  api = await startApiFixture({}, "api");
  worker = startWorkerProcess(api.databaseUrl, path.join(api.dataDir, "fernet.key"));
});
afterAll(async () => {
  await worker?.stop();
  await api?.close();
});

describe("events from a worker process", () => {
  it("reach a WebSocket subscriber on the API process over LISTEN/NOTIFY, in order and complete", async () => {
    const created = await postGraphql(
      api.baseUrl,
      `mutation($i: CreateJobInput!) { createJob(input: $i) { __typename } }`,
      { i: { id: "two.proc", cronExpr: "0 0 1 1 *", handlerPath: EXAMPLE_HANDLER, publicCfg: { name: "Two" }, secretCfg: {} } },
      bearer(api.tokens.ADMIN),
    );
    expect(created.json.data.createJob.__typename).toBe("MutationCreateJobSuccess");
    const run = await postGraphql(api.baseUrl, `mutation { runNow(jobId: "two.proc") { ... on MutationRunNowSuccess { data { id } } } }`, {}, bearer(api.tokens.OPERATOR));
    const logId = run.json.data.runNow.data.id as number;

    const client = wsClient(api.baseUrl, { token: api.tokens.VIEWER });
    const events = await collect<Ev>(
      client,
      `subscription($logId: Int) { jobLogUpdated(logId: $logId) { kind logId status offset text nextOffset } }`,
      { logId },
      () => false,
      60_000,
    ).catch((error) => {
      throw new Error(`${(error as Error).message}\nworker stderr:\n${worker.stderr().slice(-3000)}`);
    });
    await client.dispose();

    const statuses = events.filter((e) => e.jobLogUpdated.kind === "STATUS").map((e) => e.jobLogUpdated.status);
    expect(statuses.at(-1)).toBe("SUCCESS");
    expect(statuses).toContain("RUNNING");
    let offset = 0;
    let text = "";
    for (const { jobLogUpdated: e } of events.filter((x) => x.jobLogUpdated.kind === "OUTPUT")) {
      expect(e.offset).toBe(offset);
      offset = e.nextOffset!;
      text += e.text;
    }
    const row = await api.app.runtime.prisma.jobLog.findUniqueOrThrow({ where: { id: logId } });
    expect(row.workerId).not.toBe(api.app.runtime.instanceId);
    expect(text).toBe(row.runLog);
    expect(text).toContain("Run ended SUCCESS");
  });
});
