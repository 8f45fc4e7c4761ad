/// <reference types="vitest/config" />
import { defineConfig } from "vite";

// The server (workspace/frontend.py) serves dist/index.html for the app's routes and dist/assets/*.
// In development, Vite serves the page and forwards the API and the websockets to `dealroom serve`.
// Host and Origin are kept as the page's (no changeOrigin): the server accepts a session cookie on a
// websocket only from the page's own origin.
const backend = "http://127.0.0.1:8000";

export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // The room chunk (TipTap + ProseMirror + Yjs) is ~550 kB raw, ~173 kB gzipped, and loads only
    // on /rooms/{id}; the sign-in and list pages do not wait for it. The internal pane (notes, rep
    // panel) and the product facts dialog are chunks of their own, loaded when needed.
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: {
      "/api": { target: backend },
      "/ws": { target: backend, ws: true },
    },
  },
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.ts"],
  },
});
