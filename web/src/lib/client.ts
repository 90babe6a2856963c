import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange, type CombinedError } from "@urql/core";
import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";

export interface ApiClientOptions {
  /** The session's CSRF token, sent with every HTTP GraphQL request (the cookie alone is not enough). */
  csrfToken: () => string | undefined;
  /** Called when the server says the session is gone, so the admin can return to the login screen. */
  onUnauthenticated: () => void;
}

export interface ApiClient {
  urql: Client;
  /** Closes the WebSocket; call when the session ends (a new session needs a new, re-authenticated socket). */
  dispose(): void;
}

// A CSRF refusal means the token no longer matches a live session: logging in again fixes both.
const UNAUTHENTICATED_CODES = new Set(["UNAUTHENTICATED", "SESSION_EXPIRED", "CSRF_TOKEN_INVALID"]);

/** True when an operation failed because the session is missing or expired. */
export function isUnauthenticated(error: CombinedError): boolean {
  const status = (error.response as Response | undefined)?.status;
  if (status === 401) return true;
  return error.graphQLErrors.some((e) => UNAUTHENTICATED_CODES.has(String(e.extensions?.code ?? "")));
}

function webSocketUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === "https:" ? "wss:" : "ws:"}//${host}/graphql`;
}

/** The urql client for one login session: HTTP for queries/mutations, graphql-ws for subscriptions. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  // The socket authenticates from the same-origin session cookie when it connects.
  const ws: WsClient = createWsClient({ url: webSocketUrl(), lazy: true, retryAttempts: Infinity, lazyCloseTimeout: 3000 });
  const urql = new Client({
    url: "/graphql",
    preferGetMethod: false,
    requestPolicy: "cache-and-network",
    fetchOptions: () => {
      const token = options.csrfToken();
      const headers: Record<string, string> = token ? { "x-csrf-token": token } : {};
      return { credentials: "same-origin", headers };
    },
    exchanges: [
      mapExchange({
        onError(error) {
          if (isUnauthenticated(error)) options.onUnauthenticated();
        },
      }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? "" };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, {
                next: (value) => sink.next(value as never),
                complete: () => sink.complete(),
                // graphql-ws reports a closed socket as a CloseEvent; urql expects an Error.
                error: (error) => sink.error(error instanceof Error ? error : new Error(`WebSocket closed (${(error as CloseEvent)?.code ?? "?"})`)),
              });
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
  // dispose() waits for a connection attempt in flight, which rejects when that attempt is refused.
  return { urql, dispose: () => void Promise.resolve(ws.dispose()).catch(() => undefined) };
}
