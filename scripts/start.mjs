#!/usr/bin/env node
// `npm start`: builds the visual, pulls the sample tenant through the Log Analytics emulator with the companion,
// and serves the preview page. `npm start -- --data FILE.csv` previews a Log Analytics CSV export instead.
import { register } from "tsx/esm/api";
import { register as registerCommonJs } from "tsx/cjs/api";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

const usage = `usage: npm start [-- --data FILE.csv] [--rows N] [--port P]

  (no options)     build the visual, export the sample tenant from the local Log Analytics
                   emulator through the Azure SDK, write its Power BI project to
                   .tmp/sample-project, and serve the preview at http://127.0.0.1:8080
  --data FILE.csv  preview a Log Analytics CSV export (McasShadowItReporting) instead
  --rows N         sample tenant rows (default 100000)
  --port P         port to serve on (default: the PORT environment variable, else 8080)
`;

function fail(message) {
    console.error(`npm start: ${message}`);
    process.exit(2);
}

let args;
try {
    args = parseArgs({
        options: {
            data: { type: "string" },
            rows: { type: "string" },
            port: { type: "string" },
            help: { type: "boolean", short: "h" },
        },
        allowPositionals: false,
    }).values;
} catch (error) {
    fail(`${error.message} (run "npm start -- --help" to see the options)`);
}
if (args.help) {
    console.log(usage);
    process.exit(0);
}

function integerOption(text, name, min, max) {
    if (!/^\d+$/.test(text.trim())) fail(`${name} must be a whole number, got ${JSON.stringify(text)}`);
    const value = Number(text);
    if (value < min || value > max) fail(`${name} must be between ${min} and ${max}, got ${value}`);
    return value;
}

const portText = args.port ?? process.env.PORT ?? "8080";
const port = integerOption(portText, args.port ? "--port" : "PORT", 1, 65535);
const rows = args.rows === undefined ? undefined : integerOption(args.rows, "--rows", 1, 10_000_000);
// npm runs scripts in the package's folder: a relative --data path means the folder npm start was typed in (INIT_CWD).
const invokedIn = process.env.npm_lifecycle_event === "start" && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
const dataFile = args.data === undefined ? undefined : resolve(invokedIn, args.data);

// The preview and companion modules are TypeScript compiled as CommonJS (package.json has no "type").
register();
registerCommonJs();
const previewModule = await import(pathToFileURL(join(root, "src", "preview", "start.ts")).href);
// A CommonJS module arrives as the namespace's default export.
const { startPreview } = previewModule.startPreview ? previewModule : previewModule.default;

const log = line => console.log(`[start] ${line}`);

const sampleProjectModule = await import(pathToFileURL(join(root, "src", "dataset", "report", "sample-project.ts")).href);
const sampleProject = sampleProjectModule.writeSampleProject ? sampleProjectModule : sampleProjectModule.default;

/** The sample tenant's Power BI project over the export: a failure is reported and the preview still runs. */
function writeSampleProject(running) {
    try {
        const pbip = sampleProject.writeSampleProject({
            exportDir: running.exportDir,
            workspaceId: running.workspaceId,
            visualFile: running.visualFile,
            out: join(root, ".tmp", "sample-project"),
            now: new Date(),
        });
        log(`Power BI project of the sample tenant: ${pbip} (open it in Power BI Desktop and refresh)`);
    } catch (error) {
        log(`could not write the sample tenant's Power BI project: ${error instanceof Error ? error.message : String(error)}`);
    }
}
let preview = null;
let stopping = false;
const cleanups = [];

async function stop(signal) {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    try {
        for (const cleanup of cleanups) await cleanup().catch(() => undefined);
        if (preview) await preview.close();
    } finally {
        log("stopped");
        process.exit(0);
    }
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));

try {
    preview = await startPreview({ root, port, dataFile, rows, log, onCleanup: stop => cleanups.push(stop) });
    if (stopping) await preview.close();
    else {
        if (preview.exportDir && preview.workspaceId) writeSampleProject(preview);
        log(`open ${preview.url} (Ctrl+C stops)`);
    }
} catch (error) {
    console.error(`npm start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
}
