import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

export interface OpenSocket {
  client: Client;
  /** Resolves with the close code once the server closes the socket. */
  closed: Promise<number>;
  /** Events received by `watch`. */
  events: unknown[];
  /** Runs one operation; resolves with its result (errors included) or the error it ended with. */
  ask(query: string, variables?: Record<string, unknown>): Promise<{ data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> }>;
  /** Starts a subscription whose events land in `events`. */
  watch(query: string): void;
  dispose(): Promise<void>;
}

/** A graphql-ws client that connects at once and reports how the server closed it. */
export async function openSocket(baseUrl: string, options: { token?: string; headers?: Record<string, string> }): Promise<OpenSocket> {
  let resolveClosed!: (code: number) => void;
  const closed = new Promise<number>((r) => (resolveClosed = r));
  let resolveConnected!: () => void;
  const connected = new Promise<void>((r) => (resolveConnected = r));
  const headers = options.headers;
  const client = createClient({
    url: `${baseUrl.replace(/^http/, "ws")}/graphql`,
    lazy: false,
    retryAttempts: 0,
    // The close is what the tests observe (through `closed`); not an error to print.
    onNonLazyError: () => undefined,
    connectionParams: options.token ? { authorization: `Bearer ${options.token}` } : undefined,
    webSocketImpl: headers
      ? class extends WebSocket {
          constructor(address: string, protocols?: string | string[]) {
            super(address, protocols, { headers });
          }
        }
      : WebSocket,
    on: { connected: () => resolveConnected(), closed: (e) => resolveClosed((e as { code?: number })?.code ?? 0) },
  });
  await Promise.race([connected, closed.then((code) => Promise.reject(new Error(`socket closed with ${code} before it connected`)))]);
  const events: unknown[] = [];
  return {
    client,
    closed,
    events,
    ask: (query, variables = {}) =>
      new Promise((resolve) => {
        let result: any = null;
        client.subscribe(
          { query, variables },
          {
            next: (v) => (result = v),
            error: (err) => resolve(Array.isArray(err) ? { errors: err } : { errors: [{ message: String((err as Error)?.message ?? (err as { reason?: string })?.reason ?? err) }] }),
            complete: () => resolve(result ?? { errors: [{ message: "completed without a result" }] }),
          },
        );
      }),
    watch: (query) => void client.subscribe({ query }, { next: (v) => events.push(v), error: () => undefined, complete: () => undefined }),
    dispose: () => client.dispose() as Promise<void>,
  };
}
