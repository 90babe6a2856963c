import { describe, expect, it } from "vitest";
import { testRun } from "../../server/test/stand-ins/run-context.ts";
import { ExampleJob } from "./job.ts";

describe("ExampleJob", () => {
  it("returns and logs a greeting to params.name", async () => {
    const { ctx, log } = testRun("example.hello");
    const result = await new ExampleJob().run({ name: "Mars" }, {}, ctx);
    expect(result).toEqual({ greeting: "Hello, Mars!" });
    expect(log.records().some((r) => r.msg === "Hello, Mars!" && r.job_id === "example.hello")).toBe(true);
  });

  it("logs the api_key masked, never in clear", async () => {
    const { ctx, log } = testRun();
    await new ExampleJob().run({ name: "Mars" }, { api_key: "abSECRETVALUEyz" }, ctx);
    expect(log.text()).not.toContain("abSECRETVALUEyz");
    expect(log.text()).toContain("ab****yz");
  });

  it("rejects params without a name", () => {
    const { ctx } = testRun();
    expect(() => new ExampleJob().run({} as never, {}, ctx)).toThrow();
    expect(ExampleJob.paramsSchema.safeParse({ name: "x" }).success).toBe(true);
  });
});
