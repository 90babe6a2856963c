import pg from "pg";

export interface TracedStatement {
  text: string;
  values: unknown[];
  ms: number;
}

/**
 * Records every statement sent through `pg` (Prisma's adapter uses the same module) while `fn`
 * runs, with its client-side duration: which SQL one GraphQL request costs, and where the time goes.
 */
export async function traceSql(fn: () => Promise<unknown>): Promise<TracedStatement[]> {
  // Prisma's adapter queries through a Pool (promise form); transactions through a Client.
  const protos = [pg.Pool.prototype, pg.Client.prototype] as unknown as Array<{ query: (...args: any[]) => any }>;
  const originals = protos.map((p) => p.query);
  const seen: TracedStatement[] = [];
  protos.forEach((proto, i) => {
    const original = originals[i]!;
    proto.query = function (this: unknown, ...args: any[]) {
      const config = args[0];
      const text: string = typeof config === "string" ? config : config?.text;
      const values: unknown[] = (typeof config === "string" ? args[1] : config?.values) ?? [];
      const t0 = performance.now();
      const result = original.apply(this, args);
      // Callback-form calls (the Pool's own, on its client) return nothing and are not counted twice.
      if (result && typeof result.then === "function" && text) {
        result.then(
          () => seen.push({ text, values, ms: performance.now() - t0 }),
          () => undefined,
        );
      }
      return result;
    };
  });
  try {
    await fn();
  } finally {
    protos.forEach((proto, i) => (proto.query = originals[i]!));
  }
  return seen;
}

/** EXPLAIN (ANALYZE, BUFFERS) of a traced statement on its own connection. */
export async function explain(databaseUrl: string, statement: TracedStatement): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`, statement.values as unknown[]);
    return rows.map((r: Record<string, string>) => r["QUERY PLAN"]).join("\n");
  } finally {
    await client.end();
  }
}
