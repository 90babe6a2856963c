import { listHandlers, type HandlerInfo } from "../../plugins/index.ts";
import { builder } from "../builder.ts";

const HandlerRef = builder.objectRef<HandlerInfo>("Handler").implement({
  description: "A BaseJob subclass found under the extension roots; `handlerPath` is what a job names.",
  fields: (t) => ({
    handlerPath: t.exposeString("handlerPath"),
    module: t.exposeString("module"),
    className: t.exposeString("className"),
    description: t.exposeString("description", { nullable: true }),
    descriptions: t.field({
      type: "JSON",
      description: "The description in other languages, by locale (`{\"zh-CN\": \"…\"}`); clients fall back to `description`. Config fields carry theirs as `x-descriptions` in the JSON Schemas.",
      resolve: (h) => h.descriptions,
    }),
    paramsJsonSchema: t.expose("paramsJsonSchema", { type: "JSON", nullable: true, description: "JSON Schema of publicCfg." }),
    secretsJsonSchema: t.expose("secretsJsonSchema", { type: "JSON", nullable: true, description: "JSON Schema of secretCfg (names and types only)." }),
  }),
});

builder.queryField("handlers", (t) => t.field({ type: [HandlerRef], resolve: () => listHandlers() }));
