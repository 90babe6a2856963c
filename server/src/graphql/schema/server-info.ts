import { readFileSync } from "node:fs";
import type { Runtime } from "../../runtime.ts";
import type { Principal } from "../../security/auth/index.ts";
import { builder } from "../builder.ts";
import { RoleEnum } from "./enums.ts";

const VERSION = (JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string }).version;

const ServerInfoRef = builder.objectRef<Runtime>("ServerInfo").implement({
  fields: (t) => ({
    name: t.string({ resolve: (r) => r.config.APP_NAME }),
    version: t.string({ resolve: () => VERSION }),
    timeZone: t.string({ description: "The server's TIMEZONE: jobs without their own zone use it.", resolve: (r) => r.config.TIMEZONE }),
    storageMode: t.string({ description: "embedded (PostgreSQL run by ConnectHub under DATA_DIR) or server (DATABASE_URL).", resolve: (r) => r.config.storageMode }),
    queueBackend: t.string({ description: "Where Agenda keeps its queue: mongodb or postgres.", resolve: (r) => r.config.queueBackend }),
    eventTransport: t.string({ description: "How live events travel: memory (one process) or postgres (LISTEN/NOTIFY).", resolve: (r) => r.events.transport }),
    now: t.field({ type: "DateTime", resolve: () => new Date() }),
  }),
});

const PrincipalKind = builder.enumType("PrincipalKind", { values: ["USER", "API_TOKEN"] as const });

const ViewerRef = builder.objectRef<Principal>("Viewer").implement({
  description: "Who is calling: a logged-in user or an API token.",
  fields: (t) => ({
    kind: t.field({ type: PrincipalKind, resolve: (p) => p.kind }),
    name: t.exposeString("name", { description: "Username, or the token's name." }),
    role: t.field({ type: RoleEnum, resolve: (p) => p.role }),
  }),
});

builder.queryFields((t) => ({
  serverInfo: t.field({ type: ServerInfoRef, resolve: (_root, _args, ctx) => ctx.runtime }),
  me: t.field({ type: ViewerRef, resolve: (_root, _args, ctx) => ctx.principal! }),
}));
