import type { Prisma } from "../db/prisma.ts";
import type { AuditEvent } from "../generated/prisma/client.ts";

const PAGE = 500;

export interface AuditExportFilter {
  since?: Date;
  until?: Date;
  actions?: string[];
}

/** The audit events in the window, oldest first, one JSON object per line (keyset pages, bounded memory). */
export async function* auditJsonLines(prisma: Prisma, filter: AuditExportFilter): AsyncGenerator<string> {
  let after: bigint | null = null;
  for (;;) {
    const page: AuditEvent[] = await prisma.auditEvent.findMany({
      where: {
        ...(after !== null ? { id: { gt: after } } : {}),
        ...(filter.since || filter.until ? { at: { ...(filter.since ? { gte: filter.since } : {}), ...(filter.until ? { lt: filter.until } : {}) } } : {}),
        ...(filter.actions?.length ? { action: { in: filter.actions } } : {}),
      },
      orderBy: { id: "asc" },
      take: PAGE,
    });
    for (const e of page) yield JSON.stringify({ ...e, id: String(e.id), at: e.at.toISOString() }) + "\n";
    if (page.length < PAGE) return;
    after = page[page.length - 1]!.id;
  }
}

/** `--since`: an ISO instant or date, or an age such as 7d, 12h, 30m. */
export function parseSince(text: string, now = new Date()): Date | null {
  const age = /^(\d+)([dhm])$/.exec(text.trim());
  if (age) return new Date(now.getTime() - Number(age[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[age[2] as "d" | "h" | "m"]);
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? null : at;
}
