import { fileURLToPath } from "node:url";
import { JS_BUDGET_GZIP_BYTES, measureBundle } from "./bundle-size.mjs";

const { files, totalGzip } = measureBundle(fileURLToPath(new URL("../dist", import.meta.url)));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
for (const f of files) console.log(`  ${f.name}  ${kb(f.bytes)} (gzip ${kb(f.gzip)})`);
console.log(`admin JS total: ${kb(totalGzip)} gzipped (budget ${kb(JS_BUDGET_GZIP_BYTES)})`);
if (totalGzip > JS_BUDGET_GZIP_BYTES) {
  console.error("admin JS is over its gzip budget");
  process.exit(1);
}
