import { loadConfig } from "../../config/config.ts";
import { openEmbeddedPostgres } from "../../db/embedded-postgres.ts";
import { migrate } from "../../db/migrator.ts";
import { createPrisma, type Prisma } from "../../db/prisma.ts";
import type { EventBus } from "../../events/event-bus.ts";
import { createPostgresEventBus } from "../../events/postgres-event-bus.ts";
import type { CredentialEvents } from "./credential-changes.ts";

/**
 * The database for a CLI command: DATABASE_URL, or the embedded one under DATA_DIR — the running
 * server's PostgreSQL when `npm start` owns it, else started for this command and stopped after.
 */
export async function withCliDatabase<T>(fn: (prisma: Prisma, events: CredentialEvents) => Promise<T>, command = "cli"): Promise<T> {
  const config = loadConfig();
  const embedded = config.DATABASE_URL
    ? null
    : await openEmbeddedPostgres(config.dataDir, { role: command, notice: (message) => process.stderr.write(`connecthub: ${message}\n`) });
  const url = config.DATABASE_URL ?? embedded!.url;
  const prisma = createPrisma(url, 2);
  // API processes may be running (server mode, or `npm start` owning the embedded database):
  // credential changes made here are announced to them.
  let events: EventBus | null = null;
  try {
    await migrate(url);
    events = await createPostgresEventBus(url, { listenTo: [] });
    return await fn(prisma, events);
  } finally {
    await events?.close();
    await prisma.$disconnect();
    await embedded?.stop();
  }
}

/** Reads a password from stdin: the first line (piped), or typed at a prompt without echo. */
export async function readPasswordFromStdin(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = "";
    const onData = (data: Buffer) => {
      for (const ch of data.toString("utf8")) {
        if (ch === "\r" || ch === "\n") {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off("data", onData);
          process.stderr.write("\n");
          return resolve(value);
        }
        if (ch === "\u0003") {
          stdin.setRawMode(false);
          return reject(new Error("cancelled"));
        }
        if (ch === "\u007f") value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on("data", onData);
  });
}
