import { build } from "esbuild";
import { join } from "node:path";

/** The benchmark page's script (host, DataView builder, Vega and Vega-Lite), bundled for the browser. */
export async function bundlePage(root: string): Promise<string> {
    const result = await build({
        entryPoints: [join(root, "bench", "page", "entry.ts")],
        bundle: true,
        format: "iife",
        platform: "browser",
        target: "es2022",
        minify: true,
        write: false,
        logLevel: "warning",
    });
    return result.outputFiles[0].text;
}
