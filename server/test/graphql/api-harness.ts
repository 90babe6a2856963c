import { Client, fetchExchange } from "@urql/core";
import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";
import WebSocket from "ws";
import type { Role } from "../../src/generated/prisma/enums.ts";
import { createApiToken } from "../../src/security/auth/index.ts";
import { startApp, tempDataDir } from "../harness/app.ts";
import { createScratchDatabase } from "../harness/postgres.ts";

export const ADMIN_PASSWORD = "correct horse battery staple";
export const EXAMPLE_HANDLER = "extensions.example.job:ExampleJob";

export interface ApiFixture {
  baseUrl: string;
  app: Awaited<ReturnType<typeof startApp>>;
  databaseUrl: string;
  dataDir: string;
  tokens: Record<Role, string>;
  close(): Promise<void>;
}

/** The real app on a scratch database, with an API token per role. */
export async function startApiFixture(env: Record<string, string> = {}, role: "all" | "api" = "all"): Promise<ApiFixture> {
  const db = await createScratchDatabase("connecthub_api");
  const data = tempDataDir();
  const app = await startApp({ DATABASE_URL: db.url, DATA_DIR: data.dir, ADMIN_USERNAME: "admin", ADMIN_PASSWORD, ...env }, role);
  const tokens = {} as Record<Role, string>;
  for (const r of ["VIEWER", "OPERATOR", "ADMIN"] as const) tokens[r] = (await createApiToken(app.runtime.prisma, `test-${r.toLowerCase()}`, r)).token;
  return {
    baseUrl: app.baseUrl,
    app,
    databaseUrl: db.url,
    dataDir: data.dir,
    tokens,
    async close() {
      await app.stop();
      await db.drop();
      data.cleanup();
    },
  };
}

/** An urql client sending the given Bearer token. */
export function urqlClient(baseUrl: string, token: string): Client {
  return new Client({
    url: `${baseUrl}/graphql`,
    exchanges: [fetchExchange],
    requestPolicy: "network-only",
    preferGetMethod: false,
    fetchOptions: { headers: { authorization: `Bearer ${token}` } },
  });
}

/** Raw POST /graphql: status, body text and parsed JSON (for status-code and leak checks). */
export async function postGraphql(baseUrl: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await fetch(`${baseUrl}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: JSON.parse(text) as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> } };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export function wsClient(baseUrl: string, options: { token?: string; headers?: Record<string, string> } = {}): WsClient {
  const url = `${baseUrl.replace(/^http/, "ws")}/graphql`;
  return createWsClient({
    url,
    lazy: true,
    retryAttempts: 0,
    connectionParams: options.token ? { authorization: `Bearer ${options.token}` } : undefined,
    webSocketImpl: options.headers
      ? class extends WebSocket {
          constructor(address: string, protocols?: string | string[]) {
            super(address, protocols, { headers: options.headers });
          }
        }
      : WebSocket,
  });
}

/** Collects a subscription's events until `until` says stop (or the server completes it). */
export function collect<T>(client: WsClient, query: string, variables: Record<string, unknown>, until: (events: T[]) => boolean, timeoutMs = 30_000): Promise<T[]> {
  const events: T[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (dispose(), reject(new Error(`subscription timed out after ${events.length} events: ${JSON.stringify(events).slice(0, 2000)}`))), timeoutMs);
    const dispose = client.subscribe<T>(
      { query, variables },
      {
        next: (msg) => {
          if (msg.errors) return (clearTimeout(timer), dispose(), reject(new Error(JSON.stringify(msg.errors))));
          events.push(msg.data as T);
          if (until(events)) {
            clearTimeout(timer);
            dispose();
            resolve(events);
          }
        },
        error: (err) => (clearTimeout(timer), reject(err instanceof Error ? err : new Error(JSON.stringify(err)))),
        complete: () => (clearTimeout(timer), resolve(events)),
      },
    );
  });
}
