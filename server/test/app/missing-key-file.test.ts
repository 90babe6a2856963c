import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startApp, tempDataDir } from "../harness/app.ts";
import { createScratchDatabase } from "../harness/postgres.ts";

const data = tempDataDir();
afterAll(() => data.cleanup());

describe("a missing key file while encrypted secrets exist", () => {
  it("starts without generating a new key, reports it in /ready, and refuses new secrets naming the fix", async () => {
    const db = await createScratchDatabase();
    const env = { DATABASE_URL: db.url, DATA_DIR: data.dir, ADMIN_PASSWORD: "correct-horse-battery" };
    const keyPath = path.join(data.dir, "fernet.key");
    let app = await startApp(env);
    try {
      await app.runtime.prisma.job.create({
        data: {
          id: "oa.with_secret",
          cronExpr: "0 0 1 1 *",
          handlerPath: "extensions.example.job:ExampleJob",
          publicCfg: { name: "x" },
          secretCfg: app.runtime.fernet().encryptJson({ api_key: "k-123" }),
        },
      });
      await app.stop();
      rmSync(keyPath);

      app = await startApp(env);
      expect(existsSync(keyPath)).toBe(false);
      expect(app.runtime.fernetKey).toBeNull();
      expect(app.runtime.keyProblem).toMatchObject({ code: "FERNET_KEY_FILE_MISSING" });
      expect(() => app.runtime.fernet()).toThrow(/Restore fernet.key from backup/);

      const ready = await fetch(`${app.baseUrl}/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ secrets: { ok: false, error: expect.stringContaining(keyPath) } });

      const login = await fetch(`${app.baseUrl}/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "admin", password: "correct-horse-battery" }),
      });
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
      const res = await fetch(`${app.baseUrl}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, "x-csrf-token": csrfToken },
        body: JSON.stringify({
          query: `mutation($i: CreateJobInput!) { createJob(input: $i) { __typename ... on ValidationError { fieldErrors { field message } } } }`,
          variables: { i: { id: "new.job", cronExpr: "0 0 1 1 *", handlerPath: "extensions.example.job:ExampleJob", publicCfg: { name: "y" }, secretCfg: { api_key: "k-456" } } },
        }),
      });
      const body = (await res.json()) as { data: { createJob: { __typename: string; fieldErrors: Array<{ field: string; message: string }> } } };
      expect(body.data.createJob.__typename).toBe("ValidationError");
      expect(body.data.createJob.fieldErrors).toContainEqual({ field: "secretCfg", message: expect.stringContaining("Restore fernet.key from backup") });
      expect(await app.runtime.prisma.job.count({ where: { id: "new.job" } })).toBe(0);
    } finally {
      await app.stop();
      await db.drop();
    }
  });
});
