import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

/** The admin's JavaScript budget, gzipped (all chunks together: what a first visit downloads at most). */
export const JS_BUDGET_GZIP_BYTES = 150 * 1024;

/** Gzipped sizes of every built JS file under `dist/assets`. */
export function measureBundle(dist) {
  const assets = path.join(dist, "assets");
  const files = readdirSync(assets)
    .filter((name) => name.endsWith(".js"))
    .map((name) => {
      const bytes = readFileSync(path.join(assets, name));
      return { name, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    });
  return { files, totalGzip: files.reduce((sum, f) => sum + f.gzip, 0) };
}
