import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { RouteHandler } from "./http-server.ts";

export const ADMIN_DIST = fileURLToPath(new URL("../../../web/dist", import.meta.url));

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
};

const PLACEHOLDER = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>ConnectHub</title>
<body style="font-family:system-ui;margin:3rem"><h1>ConnectHub</h1>
<p>管理台尚未构建 / The admin has not been built: run <code>npm run build -w web</code>.</p>
<p>GraphQL: <a href="/graphql">/graphql</a> · Health: <a href="/health">/health</a></p></body></html>`;

/** Serves the built SolidJS admin under /admin; unknown paths fall back to index.html (client routing). */
export function adminStatic(dist = ADMIN_DIST): RouteHandler {
  const indexPath = path.join(dist, "index.html");
  return async (req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    if (pathname === "/admin") {
      res.writeHead(301, { location: "/admin/" });
      return void res.end();
    }
    if (!existsSync(indexPath)) {
      res.writeHead(200, { "content-type": TYPES[".html"]! });
      return void res.end(PLACEHOLDER);
    }
    const relative = pathname.slice("/admin/".length);
    const file = path.resolve(dist, relative);
    const inside = file.startsWith(dist + path.sep);
    if (inside && relative && existsSync(file)) {
      const immutable = relative.startsWith("assets/");
      res.writeHead(200, {
        "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
        "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
      });
      return void res.end(await readFile(file));
    }
    res.writeHead(200, { "content-type": TYPES[".html"]!, "cache-control": "no-cache" });
    res.end(readFileSync(indexPath));
  };
}
