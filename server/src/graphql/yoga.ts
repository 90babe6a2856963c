import { GraphQLError, NoSchemaIntrospectionCustomRule } from "graphql";
import { createYoga, type Plugin, type YogaServerInstance } from "graphql-yoga";
import { maskLiveSecrets } from "../logging/live-secrets.ts";
import { logger } from "../logging/logger.ts";
import { graphqlMetricsPlugin } from "../observability/graphql-metrics-plugin.ts";
import type { Runtime } from "../runtime.ts";
import { CSRF_HEADER, isCorsOrigin, type ActiveSession, type OriginPolicy, type Principal } from "../security/auth/index.ts";
import type { GraphQLContext, RequestClient } from "./context.ts";
import { ApiError } from "./errors.ts";
import { renderGraphiQLPage } from "./graphiql-page.ts";
import { requestLimitPlugins } from "./limits/request-limits.ts";
import { schema } from "./schema/index.ts";

/** What the transports (HTTP handler, WebSocket server) hand to Yoga besides the request. */
export interface ServerContext {
  principal: Principal | null;
  session: ActiveSession | null;
  /** Where the request came from, for the audit log. */
  client?: RequestClient;
}

export type GraphQLServer = YogaServerInstance<ServerContext, GraphQLContext>;

/**
 * Unexpected errors reach clients as "Unexpected error." with code INTERNAL_SERVER_ERROR and are
 * logged in full; GraphQLErrors and the API's typed errors are meant for clients and pass.
 */
function maskError(error: unknown, message: string): Error {
  const original = error instanceof GraphQLError ? (error.originalError ?? null) : error;
  if (error instanceof GraphQLError && (original === null || original instanceof GraphQLError)) {
    // Secret values this process holds (a run's, the webhook settings') never go back in an answer.
    const masked = maskLiveSecrets(error.message);
    return masked === error.message ? error : new GraphQLError(masked, { nodes: error.nodes, path: error.path, extensions: error.extensions });
  }
  if (original instanceof ApiError) {
    return new GraphQLError(maskLiveSecrets(original.message), { nodes: (error as GraphQLError).nodes, path: (error as GraphQLError).path, extensions: Object.keys(original.params).length ? { code: original.code, params: original.params } : { code: original.code } });
  }
  logger().error({ err: original ?? error }, "unexpected error in a GraphQL operation");
  return new GraphQLError(message, {
    nodes: error instanceof GraphQLError ? error.nodes : undefined,
    path: error instanceof GraphQLError ? error.path : undefined,
    extensions: { code: "INTERNAL_SERVER_ERROR" },
  });
}

function validationRules(introspection: boolean): Plugin {
  return {
    onValidate({ addValidationRule }) {
      if (!introspection) addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}

/**
 * The headers GraphiQL starts with. A logged-in user gets the CSRF header pre-filled, unless the
 * browser says the page was requested from another site (Sec-Fetch-Site): a cookie-carrying
 * cross-site GET must not get the token printed into the page.
 */
function graphiqlHeaders(request: Request, session: ActiveSession | null | undefined): string {
  const site = request.headers.get("sec-fetch-site");
  const sameSite = site === null || site === "same-origin" || site === "none";
  return session && sameSite
    ? JSON.stringify({ [CSRF_HEADER]: session.csrfToken }, null, 2)
    : JSON.stringify({ Authorization: "Bearer <token from `npm run cli -- token create`>" }, null, 2);
}

/** Credentialed CORS only for CORS_ORIGINS; other origins get no CORS headers at all. */
function corsFor(policy: OriginPolicy) {
  return (request: Request) => {
    const origin = request.headers.get("origin");
    if (!isCorsOrigin(origin, policy)) return false as const;
    return { origin: [origin], credentials: true, methods: ["GET", "POST"], allowedHeaders: ["content-type", "authorization", CSRF_HEADER], maxAge: 600 };
  };
}

export function createGraphQLServer(runtime: Runtime): GraphQLServer {
  const log = logger();
  return createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: "/graphql",
    landingPage: false,
    renderGraphiQL: renderGraphiQLPage,
    // The page itself holds no data. Logged-in users get their CSRF header pre-filled; API clients
    // paste `{"Authorization": "Bearer …"}` into the headers tab.
    graphiql: (request, serverContext) => ({
      title: `${runtime.config.APP_NAME} GraphQL`,
      credentials: "same-origin",
      headers: graphiqlHeaders(request, serverContext?.session),
      shouldPersistHeaders: false,
    }),
    cors: corsFor({ trustProxy: runtime.config.TRUST_PROXY, corsOrigins: runtime.config.CORS_ORIGINS }),
    context: ({ principal, session, client }) => ({ runtime, principal: principal ?? null, session: session ?? null, client: client ?? null }),
    maskedErrors: { maskError },
    logging: {
      debug: (...args) => log.debug(args.map(String).join(" ")),
      info: (...args) => log.info(args.map(String).join(" ")),
      warn: (...args) => log.warn(args.map(String).join(" ")),
      error: (...args) => log.error(args.map(String).join(" ")),
    },
    plugins: [
      validationRules(runtime.config.GRAPHQL_INTROSPECTION),
      ...(runtime.config.METRICS_ENABLED ? [graphqlMetricsPlugin()] : []),
      ...requestLimitPlugins({ maxCost: runtime.config.GRAPHQL_MAX_COST, maxResponseBytes: runtime.config.GRAPHQL_MAX_RESPONSE_BYTES }),
    ],
  });
}
