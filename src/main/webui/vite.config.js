import { defineConfig } from "vite";

export default defineConfig({
  // Every asset (the emoji font's pieces included) is a file of its own, never inlined as a data: URL:
  // the page's Content-Security-Policy allows fonts and images from its own origin only.
  build: { outDir: "dist", sourcemap: false, assetsInlineLimit: 0 },
});
