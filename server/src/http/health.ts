import type { Runtime } from "../runtime.ts";

export function health(runtime: Runtime) {
  return { ok: true, name: runtime.config.APP_NAME };
}

const CHECK_TIMEOUT_MS = 3000;

async function check(fn: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS))),
    ]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Readiness: can this process reach its database, its queue store and its event transport right
 * now? 503 names the stores that are away (`unavailable`); each recovers by itself (connections
 * are re-opened with backoff), and this turns 200 again once they are back.
 */
export async function readiness(runtime: Runtime): Promise<{ status: number; body: Record<string, unknown> }> {
  const [database, queue] = await Promise.all([
    check(() => runtime.prisma.$queryRaw`SELECT 1`),
    check(() => runtime.queue.ping()),
  ]);
  const events = runtime.events.health();
  const unavailable = [
    ...(database.ok ? [] : ["database"]),
    ...(queue.ok ? [] : ["queue"]),
    ...(events.ok ? [] : ["events"]),
  ];
  const ok = unavailable.length === 0;
  // A missing key file does not make the process unready (jobs without secrets still run),
  // but operators must see it.
  const secrets = runtime.keyProblem ? { ok: false, error: runtime.keyProblem.message } : { ok: true };
  return {
    status: ok ? 200 : 503,
    body: {
      ok,
      ...(ok ? {} : { unavailable, error: `${unavailable.join(", ")} unavailable; reconnecting` }),
      database,
      queue: { ...queue, backend: runtime.queue.backend },
      events: { ...events, transport: runtime.events.transport },
      secrets,
      storage: runtime.config.storageMode,
    },
  };
}
