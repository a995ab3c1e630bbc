// The `npm start` pipeline: build the visual, pull the sample tenant through the real Log Analytics client from
// the local emulator (or read a CSV export), and serve the preview page.
import { rmSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { ensurePackagedVisual } from "./build.ts";
import { readPackagedVisual } from "./pbiviz.ts";
import { readPreviewCsv } from "./data-file.ts";
import { PreviewDataset } from "./dataset.ts";
import { startPreviewServer } from "./server.ts";
import { exportSample } from "./sample-export.ts";

export interface StartPreviewOptions {
    /** Repository root (holds pbiviz.json and dist/). */
    readonly root: string;
    readonly host?: string;
    /** 0 picks a free port. */
    readonly port: number;
    /** Preview a Log Analytics CSV export instead of the sample tenant. */
    readonly dataFile?: string;
    /** Sample tenant rows (McasShadowItReporting). */
    readonly rows?: number;
    readonly seed?: number;
    /** Exclusive end of the sample tenant's data (default: the start of the current UTC hour). */
    readonly sampleEnd?: Date;
    /** Where the export lands; default <root>/.tmp/sample-export. */
    readonly exportDir?: string;
    /** Rows per DataView segment (default: the visual's window, 30,000). */
    readonly windowSize?: number;
    readonly log?: (line: string) => void;
    /** Receives a stop function for anything started before startPreview returns (the emulator), for Ctrl+C. */
    readonly onCleanup?: (stop: () => Promise<void>) => void;
}

export interface RunningPreview {
    readonly url: string;
    readonly dataset: PreviewDataset;
    readonly visualFile: string;
    /** The Parquet files read (sample path) or the CSV file. */
    readonly files: readonly string[];
    readonly exportDir: string | null;
    readonly workspaceId: string | null;
    close(): Promise<void>;
}

export const DEFAULT_SAMPLE_PREVIEW_ROWS = 100_000;

function readCsv(dataFile: string, log: (line: string) => void): { dataset: PreviewDataset; file: string } {
    const { dataset, ignoredColumns, notes, file } = readPreviewCsv(dataFile);
    for (const note of notes) log(`data: ${note}`);
    log(`data: read ${dataset.rowCount.toLocaleString("en-US")} rows from ${dataFile}` +
        (ignoredColumns.length > 0 ? ` (not used by the visual: ${ignoredColumns.join(", ")})` : ""));
    return { dataset, file };
}

export async function startPreview(options: StartPreviewOptions): Promise<RunningPreview> {
    const log = options.log ?? (() => undefined);
    const root = resolve(options.root);
    const host = options.host ?? "127.0.0.1";

    let dataset: PreviewDataset;
    let files: string[];
    let exportDir: string | null = null;
    let workspaceId: string | null = null;
    // A CSV file is checked first: a bad file fails in a second, not after a build.
    const csv = options.dataFile ? readCsv(options.dataFile, log) : null;
    const built = await ensurePackagedVisual(root, log);
    const visual = readPackagedVisual(built.file);
    if (csv) {
        dataset = csv.dataset;
        files = [csv.file];
    } else {
        exportDir = resolve(options.exportDir ?? join(root, ".tmp", "sample-export"));
        // A fresh export each start: the sample tenant's time range moves with the clock.
        rmSync(exportDir, { recursive: true, force: true });
        const exported = await exportSample({ exportDir, rows: options.rows ?? DEFAULT_SAMPLE_PREVIEW_ROWS, seed: options.seed, end: options.sampleEnd, log, root, onEmulator: options.onCleanup });
        dataset = exported.dataset;
        files = exported.files;
        workspaceId = exported.workspaceId;
        log(`data: read ${dataset.rowCount.toLocaleString("en-US")} rows from ${files.length} Parquet files under ${relative(root, exportDir) || exportDir}`);
    }

    const server = await startPreviewServer({ host, port: options.port, visual, dataset, windowSize: options.windowSize });
    log(`preview: serving ${visual.displayName} ${visual.version} at ${server.url}`);
    return { url: server.url, dataset, visualFile: built.file, files, exportDir, workspaceId, close: () => server.close() };
}
