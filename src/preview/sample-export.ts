// Pulls the sample tenant through the companion: the Log Analytics emulator serves it over HTTPS, `runExport`
// queries it with the real LogsQueryClient (trusting the emulator's CA) and writes Parquet, which is then read.
import { runExport } from "../dataset/export/index.ts";
import { startEmulator } from "../dataset/emulator/index.ts";
import { startOfCurrentUtcHour } from "../dataset/sample/index.ts";
import { SUPPORTED_TABLE_NAMES } from "../dataset/tables.ts";
import { PreviewDataset } from "./dataset.ts";
import { exportedParquetFiles, readParquetDataset } from "./parquet.ts";

export interface SampleExportOptions {
    readonly root: string;
    readonly exportDir: string;
    readonly rows: number;
    readonly seed?: number;
    /** Exclusive end of the sample tenant's data (default: the start of the current UTC hour). */
    readonly end?: Date;
    readonly log: (line: string) => void;
    /** Called with the running emulator's close function, so that Ctrl+C during the export can stop it. */
    readonly onEmulator?: (close: () => Promise<void>) => void;
}

export interface SampleExport {
    readonly dataset: PreviewDataset;
    readonly files: string[];
    readonly workspaceId: string;
    readonly exportedRows: number;
}

const DAY_MS = 86_400_000;

export async function exportSample(options: SampleExportOptions): Promise<SampleExport> {
    const { log } = options;
    const end = options.end ?? startOfCurrentUtcHour();
    const emulator = await startEmulator({ port: 0, rows: options.rows, end, ...(options.seed === undefined ? {} : { seed: options.seed }) });
    options.onEmulator?.(() => emulator.close());
    try {
        log(`emulator: Log Analytics API with ${options.rows.toLocaleString("en-US")} sample rows at ${emulator.endpoint}`);
        const notes: string[] = [];
        const summary = await runExport({
            workspace: emulator.workspaceId,
            out: options.exportDir,
            // The sample covers the 30 days before its end; a margin keeps its first hour in range.
            since: new Date(end.getTime() - 32 * DAY_MS),
            until: end,
            format: "parquet",
            // The alerts and sign-ins too, so that the sample's Power BI project (npm start) fills its identity page.
            tables: [...SUPPORTED_TABLE_NAMES],
            token: emulator.token,
            endpoint: emulator.endpoint,
            ca: emulator.caPath,
            progress: "none",
        }, {
            stderr: { write: (text: string) => notes.push(text) },
            env: {},
        });
        const table = summary.tables.find(t => t.table === "McasShadowItReporting");
        const others = summary.tables.filter(t => t !== table).map(t => `${t.rows.toLocaleString("en-US")} ${t.table}`).join(", ");
        log(`export: ${(table?.rows ?? 0).toLocaleString("en-US")} rows through LogsQueryClient in ${table?.requests ?? "?"} requests ` +
            `(${table?.windows ?? "?"} windows) into ${table?.files.length ?? 0} Parquet files${others ? `; also ${others} rows for the Power BI project` : ""}`);
        const files = exportedParquetFiles(options.exportDir, emulator.workspaceId);
        const dataset = await readParquetDataset(files, `sample tenant exported from the Log Analytics emulator (workspace ${emulator.workspaceId})`);
        return { dataset, files, workspaceId: emulator.workspaceId, exportedRows: table?.rows ?? 0 };
    } finally {
        await emulator.close();
        log("emulator: stopped");
    }
}
