import type { Prisma } from "../db/prisma.ts";
import type { Prisma as PrismaNs } from "../generated/prisma/client.ts";
import { logger } from "../logging/logger.ts";
import type { AuditEntry } from "./audit-event.ts";

/**
 * Group commit for audit events: the first event goes to the database at once; events that arrive
 * while that INSERT is under way wait for it and then go together in one multi-row INSERT. A lone
 * action waits for one INSERT as before; concurrent actions (a burst of Run Now) share statements
 * instead of paying one each. Every caller still waits until its own event is stored.
 */
const MAX_BATCH = 100;

interface Pending {
  row: PrismaNs.AuditEventCreateManyInput;
  entry: AuditEntry;
  done: () => void;
}

interface Writer {
  queue: Pending[];
  flushing: boolean;
}

const writers = new WeakMap<Prisma, Writer>();

function logFailure(err: unknown, entry: AuditEntry): void {
  logger().error({ err, action: entry.action, actor: entry.actor.name }, "could not write the audit event");
}

async function writeBatch(prisma: Prisma, batch: Pending[]): Promise<void> {
  try {
    await prisma.auditEvent.createMany({ data: batch.map((p) => p.row) });
    return;
  } catch (err) {
    if (batch.length === 1) return logFailure(err, batch[0]!.entry);
  }
  // One row the database refuses must not lose the others of its batch.
  for (const p of batch) {
    await prisma.auditEvent.createMany({ data: [p.row] }).catch((err) => logFailure(err, p.entry));
  }
}

async function flush(prisma: Prisma, writer: Writer): Promise<void> {
  writer.flushing = true;
  try {
    while (writer.queue.length) {
      const batch = writer.queue.splice(0, MAX_BATCH);
      await writeBatch(prisma, batch);
      for (const p of batch) p.done();
    }
  } finally {
    writer.flushing = false;
  }
}

/** Stores one row; resolves once it is written (or its failure logged). Never rejects. */
export function appendAuditRow(prisma: Prisma, row: PrismaNs.AuditEventCreateManyInput, entry: AuditEntry): Promise<void> {
  let writer = writers.get(prisma);
  if (!writer) writers.set(prisma, (writer = { queue: [], flushing: false }));
  const w = writer;
  return new Promise<void>((resolve) => {
    w.queue.push({ row, entry, done: resolve });
    if (!w.flushing) void flush(prisma, w);
  });
}
