import type { Server } from "node:http";
import { GraphQLError, type ExecutionArgs } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { logger } from "../logging/logger.ts";
import type { Runtime } from "../runtime.ts";
import {
  clientIp,
  CLOSE_CREDENTIALS_ENDED,
  credentialsFromConnectionParams,
  credentialsFromUpgrade,
  currentCredentials,
  type Credentials,
  type LiveCredentials,
} from "../security/auth/index.ts";
import type { GraphQLServer } from "./yoga.ts";

type Executor = { execute: (args: ExecutionArgs) => unknown; subscribe: (args: ExecutionArgs) => unknown };

/** A client must authenticate (send connection_init) this soon after the socket opens. */
const CONNECTION_INIT_TIMEOUT_MS = 3000;

interface SocketState {
  credentials: Credentials;
  untrack: () => void;
}

/**
 * graphql-ws on /graphql of the app's HTTP server. A connection is accepted with
 * `connectionParams.authorization = "Bearer …"` or the session cookie of the upgrade request
 * (from an allowed Origin only); otherwise it is closed with 4403. Messages larger than
 * WS_MAX_PAYLOAD_BYTES close the socket (1009) as soon as their frame header arrives, before any
 * authentication. While open, the socket is tracked by `live`: logout, revocation and user changes
 * in any process close it (4401/4403), and every operation re-checks the credentials in the
 * database. Operations run through Yoga's envelop, so limits, masking and introspection rules are
 * the same as over HTTP.
 */
export function attachWebSocketServer(runtime: Runtime, server: Server, yoga: GraphQLServer, live: LiveCredentials) {
  const { config, prisma } = runtime;
  const policy = { trustProxy: config.TRUST_PROXY, corsOrigins: config.CORS_ORIGINS };
  const wss = new WebSocketServer({ server, path: "/graphql", maxPayload: config.WS_MAX_PAYLOAD_BYTES });
  const sockets = new WeakMap<object, SocketState>();
  const disposable = useServer(
    {
      connectionInitWaitTimeout: CONNECTION_INIT_TIMEOUT_MS,
      onConnect: async (ctx) => {
        try {
          const found = (await credentialsFromConnectionParams(prisma, ctx.connectionParams)) ?? (await credentialsFromUpgrade(prisma, ctx.extra.request, policy));
          if (!found) return false;
          const socket = ctx.extra.socket;
          const untrack = live.track(found, (code, reason) => socket.close(code, reason));
          socket.once("close", untrack);
          sockets.set(ctx.extra, { credentials: found, untrack });
          return true;
        } catch (err) {
          logger().info({ err }, "WebSocket connection refused");
          return false;
        }
      },
      execute: (args) => (args.rootValue as Executor).execute(args) as never,
      subscribe: (args) => (args.rootValue as Executor).subscribe(args) as never,
      onSubscribe: async (ctx, _id, payload) => {
        const state = sockets.get(ctx.extra);
        // The credentials as they are now, not as they were at connect time.
        const found = state ? await currentCredentials(prisma, state.credentials) : null;
        if (!found) {
          state?.untrack();
          setImmediate(() => ctx.extra.socket.close(CLOSE_CREDENTIALS_ENDED, "The credentials of this connection were ended; log in again."));
          return [new GraphQLError("The credentials of this connection were ended (logged out, expired or revoked); log in again.", { extensions: { code: "UNAUTHENTICATED" } })];
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          principal: found.principal,
          session: found.session,
          client: { address: clientIp(ctx.extra.request, runtime.config.TRUST_PROXY), userAgent: ctx.extra.request.headers["user-agent"] ?? null },
        });
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const args: ExecutionArgs = {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        return errors.length ? errors : args;
      },
    },
    wss,
  );

  return {
    async close(): Promise<void> {
      for (const client of wss.clients) client.terminate();
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
