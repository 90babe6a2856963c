import type { Server } from "node:http";
import type { ExecutionArgs } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { logger } from "../logging/logger.ts";
import type { Runtime } from "../runtime.ts";
import { clientIp, credentialsFromConnectionParams, credentialsFromUpgrade, type Credentials } from "../security/auth/index.ts";
import type { GraphQLServer } from "./yoga.ts";

type Executor = { execute: (args: ExecutionArgs) => unknown; subscribe: (args: ExecutionArgs) => unknown };

/**
 * graphql-ws on /graphql of the app's HTTP server. A connection is accepted with
 * `connectionParams.authorization = "Bearer …"` or the session cookie of the upgrade request
 * (same-origin only); otherwise it is closed with 4403. Operations run through Yoga's envelop,
 * so limits, masking and introspection rules are the same as over HTTP.
 */
export function attachWebSocketServer(runtime: Runtime, server: Server, yoga: GraphQLServer) {
  const wss = new WebSocketServer({ server, path: "/graphql" });
  const credentials = new WeakMap<object, Credentials>();
  const disposable = useServer(
    {
      onConnect: async (ctx) => {
        try {
          const found = (await credentialsFromConnectionParams(runtime.prisma, ctx.connectionParams)) ?? (await credentialsFromUpgrade(runtime.prisma, ctx.extra.request));
          if (!found) return false;
          credentials.set(ctx.extra, found);
          return true;
        } catch (err) {
          logger().info({ err }, "WebSocket connection refused");
          return false;
        }
      },
      execute: (args) => (args.rootValue as Executor).execute(args) as never,
      subscribe: (args) => (args.rootValue as Executor).subscribe(args) as never,
      onSubscribe: async (ctx, _id, payload) => {
        const found = credentials.get(ctx.extra);
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          principal: found?.principal ?? null,
          session: found?.session ?? null,
          client: { address: clientIp(ctx.extra.request, runtime.config.TRUST_PROXY), userAgent: ctx.extra.request.headers["user-agent"] ?? null },
        });
        const args: ExecutionArgs = {
          schema,
          operationName: payload.operationName,
          document: parse(payload.query),
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
