// Bundles the console's browser script (console/app.ts) into dist/public/console.js.
import { build } from "esbuild"

await build({
  entryPoints: [new URL("../console/app.ts", import.meta.url).pathname],
  outfile: new URL("../dist/public/console.js", import.meta.url).pathname,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  logLevel: "warning"
})
