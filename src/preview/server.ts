// A small static server for the preview page: the page and its script, the packaged visual's bundle and styles,
// and the dataset as JSON. Binds 127.0.0.1 only.
import { createServer, IncomingMessage, ServerResponse } from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AddressInfo } from "node:net";
import { build } from "esbuild";
import type { PackagedVisual } from "./pbiviz.ts";
import type { PreviewDataset } from "./dataset.ts";

export interface PreviewServerOptions {
    readonly host: string;
    readonly port: number;
    readonly visual: PackagedVisual;
    readonly dataset: PreviewDataset;
    /** Rows per DataView segment; defaults to the visual's data-reduction window. */
    readonly windowSize?: number;
}

export interface PreviewServer {
    readonly url: string;
    close(): Promise<void>;
}

export class PortInUseError extends Error {
    constructor(host: string, port: number) {
        super(`port ${port} on ${host} is already in use: stop the program that uses it, or choose another port ` +
            `with the PORT environment variable (for example PORT=8081)`);
        this.name = "PortInUseError";
    }
}

// The companion and preview modules run as CommonJS under tsx (package.json has no "type": "module").
const PREVIEW_DIR = __dirname;

/** Compiles the page script (page.ts and the modules it imports) for the browser. */
export async function bundlePageScript(): Promise<string> {
    const result = await build({
        entryPoints: [join(PREVIEW_DIR, "page.ts")],
        bundle: true,
        format: "iife",
        target: "es2020",
        platform: "browser",
        write: false,
        logLevel: "silent",
        legalComments: "none",
    });
    return result.outputFiles[0].text;
}

interface Asset {
    readonly type: string;
    readonly body: string | Buffer;
}

const SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
};

export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
    const { visual } = options;
    const meta = {
        guid: visual.guid,
        displayName: visual.displayName,
        version: visual.version,
        apiVersion: visual.apiVersion,
        capabilities: visual.capabilities,
        stringResources: visual.stringResources,
        windowSize: options.windowSize ?? null,
        source: options.dataset.source,
    };
    const assets = new Map<string, Asset>([
        ["/", { type: "text/html; charset=utf-8", body: readFileSync(join(PREVIEW_DIR, "index.html")) }],
        ["/preview.css", { type: "text/css; charset=utf-8", body: readFileSync(join(PREVIEW_DIR, "page.css")) }],
        ["/preview.js", { type: "text/javascript; charset=utf-8", body: await bundlePageScript() }],
        ["/visual/visual.js", { type: "text/javascript; charset=utf-8", body: visual.js }],
        ["/visual/visual.css", { type: "text/css; charset=utf-8", body: visual.css }],
        ["/visual/meta.json", { type: "application/json; charset=utf-8", body: JSON.stringify(meta) }],
        ["/data.json", { type: "application/json; charset=utf-8", body: JSON.stringify(options.dataset) }],
    ]);

    const server = createServer((request: IncomingMessage, response: ServerResponse) => {
        const path = new URL(request.url ?? "/", "http://localhost").pathname;
        const asset = assets.get(path === "/index.html" ? "/" : path);
        if (request.method !== "GET" && request.method !== "HEAD") {
            response.writeHead(405, { allow: "GET, HEAD", ...SECURITY_HEADERS }).end();
            return;
        }
        if (path === "/favicon.ico") {
            response.writeHead(204, SECURITY_HEADERS).end();
            return;
        }
        if (!asset) {
            response.writeHead(404, { "content-type": "text/plain; charset=utf-8", ...SECURITY_HEADERS }).end("not found\n");
            return;
        }
        const body = typeof asset.body === "string" ? Buffer.from(asset.body, "utf8") : asset.body;
        response.writeHead(200, { "content-type": asset.type, "content-length": body.length, ...SECURITY_HEADERS });
        response.end(request.method === "HEAD" ? undefined : body);
    });

    await new Promise<void>((resolve, reject) => {
        server.once("error", (error: NodeJS.ErrnoException) => {
            reject(error.code === "EADDRINUSE" ? new PortInUseError(options.host, options.port) : error);
        });
        server.listen(options.port, options.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://${options.host}:${port}/`,
        close: () => new Promise<void>(resolve => {
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    };
}
