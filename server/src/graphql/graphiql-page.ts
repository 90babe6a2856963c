import { gzipSync } from "node:zlib";
import type { GraphiQLOptions } from "graphql-yoga";
import type { RouteHandler } from "../http/http-server.ts";

/**
 * GraphiQL served entirely by this server, for intranets without internet. Yoga's default page
 * pulls its JS and CSS from unpkg.com and its favicon from GitHub; `@graphql-yoga/render-graphiql`
 * carries the same build as strings. Its own renderer inlines ~9 MB into every page (the bundle's
 * comments are full of URLs, and nothing is cacheable), so this page links the pieces instead and
 * the route below serves them as files.
 */
export const GRAPHIQL_ASSETS_PATH = "/graphql/graphiql";

interface Asset {
  type: string;
  body: Buffer;
  gzipped: Buffer;
}

/** The bundle's pieces by file name; loaded on the first request (9 MB nobody may ever ask for). */
let assets: Promise<Map<string, Asset>> | undefined;

async function loadAssets(): Promise<Map<string, Asset>> {
  const bundle = await import("@graphql-yoga/render-graphiql/graphiql");
  const favicon = Buffer.from(bundle.favicon.slice(bundle.favicon.indexOf(",") + 1), "base64");
  const files: Array<[string, string, string | Buffer]> = [
    ["yoga-graphiql.js", "text/javascript; charset=utf-8", bundle.js],
    ["yoga-graphiql.css", "text/css; charset=utf-8", bundle.css],
    ["editor.worker.js", "text/javascript; charset=utf-8", bundle.editorWorkerService],
    ["json.worker.js", "text/javascript; charset=utf-8", bundle.jsonWorker],
    ["graphql.worker.js", "text/javascript; charset=utf-8", bundle.graphqlWorker],
    ["favicon.ico", "image/x-icon", favicon],
  ];
  return new Map(
    files.map(([name, type, content]) => {
      const body = typeof content === "string" ? Buffer.from(content) : content;
      return [name, { type, body, gzipped: gzipSync(body) }];
    }),
  );
}

/** Serves the GraphiQL bundle's files under GRAPHIQL_ASSETS_PATH; no credentials needed (no data in them). */
export function graphiqlAssets(): RouteHandler {
  return async (req, res) => {
    const name = new URL(req.url ?? "/", "http://localhost").pathname.slice(GRAPHIQL_ASSETS_PATH.length + 1);
    const asset = (await (assets ??= loadAssets())).get(name);
    if (!asset || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      return void res.end(`No GraphiQL asset ${name}`);
    }
    const gzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    const body = gzip ? asset.gzipped : asset.body;
    res.writeHead(200, {
      "content-type": asset.type,
      "content-length": body.length,
      // Same package version, same bytes; a day is plenty and survives an upgrade gracefully.
      "cache-control": "public, max-age=86400",
      vary: "accept-encoding",
      ...(gzip ? { "content-encoding": "gzip" } : {}),
    });
    res.end(req.method === "HEAD" ? undefined : body);
  };
}

/** `<` escaped so a title or header value can never close the script element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page Yoga returns for GET /graphql with Accept: text/html; every URL in it is on this server. */
export function renderGraphiQLPage(options?: GraphiQLOptions): string {
  const base = GRAPHIQL_ASSETS_PATH;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(String(options?.title ?? "GraphiQL"))}</title>
    <link rel="icon" href="${base}/favicon.ico" />
    <link rel="stylesheet" href="${base}/yoga-graphiql.css" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run GraphiQL.</noscript>
    <div id="root"></div>
    <script>
      self.MonacoEnvironment = {
        globalAPI: false,
        getWorkerUrl: function (_moduleId, label) {
          var files = { editorWorkerService: "editor.worker.js", json: "json.worker.js", graphql: "graphql.worker.js" };
          return "${base}/" + (files[label] || "editor.worker.js");
        },
      };
    </script>
    <script src="${base}/yoga-graphiql.js"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector("#root"), ${scriptJson(options ?? {})});
    </script>
  </body>
</html>
`;
}
