import { defineConfig, type PluginOption } from "vite";
import solid from "vite-plugin-solid";

// Served by the server under /admin (server/src/http/admin-static.ts); `npm run dev -w web` proxies the API.
export default defineConfig({
  base: "/admin/",
  // vite-plugin-solid is typed against the hoisted Vite (vitest's); the plugin itself works with both.
  plugins: [solid() as unknown as PluginOption],
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", reportCompressedSize: true },
  server: {
    proxy: {
      "/graphql": { target: "http://127.0.0.1:8000", ws: true },
      "/auth": "http://127.0.0.1:8000",
    },
  },
});
