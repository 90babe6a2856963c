import { createPrisma } from "../../src/db/prisma.ts";
import { Fernet } from "../../src/security/fernet.ts";

/** Two jobs (one with an encrypted secret config), a log, a fire record, a user and a token. */
export async function seedInstallation(databaseUrl: string, key: string): Promise<void> {
  const prisma = createPrisma(databaseUrl, 2);
  try {
    const fernet = new Fernet(key);
    await prisma.job.create({
      data: {
        id: "oa.sync_members",
        cronExpr: "*/5 * * * *",
        handlerPath: "extensions.example.job:ExampleJob",
        publicCfg: { name: "Mars", nested: { list: [1, 2] } },
        secretCfg: fernet.encryptJson({ token: "s3cret-token" }),
        lastRunAt: new Date("2025-03-01T01:00:00.123Z"),
      },
    });
    await prisma.job.create({ data: { id: "example.hello", enabled: false, cronExpr: "0 9 * * 1-5", handlerPath: "extensions.example.job:ExampleJob", publicCfg: { name: "World" } } });
    const log = await prisma.jobLog.create({
      data: {
        jobId: "oa.sync_members",
        status: "SUCCESS",
        trigger: "CRON",
        snapshotParams: { handlerPath: "extensions.example.job:ExampleJob", publicCfg: { name: "Mars" } },
        message: "ok",
        runLog: "INFO 你好\n",
        runLogBytes: Buffer.byteLength("INFO 你好\n"),
        startedAt: new Date("2025-03-01T01:00:00Z"),
        finishedAt: new Date("2025-03-01T01:00:01Z"),
      },
    });
    await prisma.jobLog.create({ data: { jobId: "oa.sync_members", status: "QUEUED", trigger: "MANUAL", snapshotParams: {} } });
    await prisma.fireRecord.create({ data: { jobId: "oa.sync_members", scheduledAt: new Date("2025-03-01T01:00:00Z"), outcome: "FIRED", logId: log.id } });
    await prisma.user.create({ data: { username: "ops", passwordHash: "scrypt$x", role: "ADMIN" } });
    await prisma.apiToken.create({ data: { name: "ci", tokenHash: "h".repeat(64), prefix: "chk_abc", role: "OPERATOR" } });
  } finally {
    await prisma.$disconnect();
  }
}

/** Everything a restore must bring back, in a comparable shape. */
export async function snapshotInstallation(databaseUrl: string) {
  const prisma = createPrisma(databaseUrl, 2);
  try {
    return {
      jobs: await prisma.job.findMany({ orderBy: { id: "asc" }, omit: { updatedAt: true } }),
      logs: await prisma.jobLog.findMany({ orderBy: { id: "asc" } }),
      fires: await prisma.fireRecord.findMany(),
      users: await prisma.user.findMany(),
      tokens: await prisma.apiToken.findMany(),
    };
  } finally {
    await prisma.$disconnect();
  }
}
