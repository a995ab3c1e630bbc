/* eslint-disable powerbi-visuals/non-literal-fs-path -- the companion reads and writes under the folder the user names with --out */
// The export manifest: DIR/<workspaceId>/manifest.json. It records, per table, what is durably exported, so
// that a rerun fetches only what is new. It is read strictly: a manifest that cannot be trusted stops the run.
import { promises as fs } from "node:fs";
import type { LogAnalyticsType } from "../../schema.ts";
import { UserError } from "../errors.ts";
import { writeFileAtomic } from "./atomic.ts";

export const MANIFEST_NAME = "manifest.json";
export const MANIFEST_KIND = "shadowit-export";
export const MANIFEST_VERSION = 1;

export type ExportFormat = "parquet" | "csv";

export interface ManifestFile {
    /** Path relative to the workspace folder, with forward slashes: `<table>/<yyyy-mm-dd>.<ext>`. */
    readonly name: string;
    readonly day: string;
    readonly rows: number;
    readonly bytes: number;
    readonly sha256: string;
    /** Smallest and largest TimeGenerated in the file (ISO), null when it holds no timed row. */
    readonly minTime: string | null;
    readonly maxTime: string | null;
}

export interface ManifestColumn {
    readonly name: string;
    /** The Log Analytics type. */
    readonly type: LogAnalyticsType;
    /** The type in the file (DuckDB/Parquet logical type, or the CSV header name and text form). */
    readonly fileType: string;
    /** The type the companion's schema expects, when the workspace declares another (the file follows the workspace). */
    readonly expectedType?: LogAnalyticsType;
    /** False for a column the companion's schema does not list (the workspace has it: it is kept). */
    readonly documented?: boolean;
}

export interface ManifestTable {
    readonly format: ExportFormat;
    /** The largest TimeGenerated exported over the contiguous covered range (ISO), null while none. */
    readonly watermark: string | null;
    /** The time range [start, end) whose rows are all in the files (as of the last run's reading). */
    readonly covered: { readonly start: string; readonly end: string } | null;
    /**
     * Every row of the covered range that the service had ingested (ingestion_time()) before this instant is in the
     * files; rows ingested later are looked for at the next run. Absent in manifests of earlier versions.
     */
    readonly ingestedBefore?: string | null;
    /** The range the last run set out to read while it was running; null once it completed. */
    readonly pending?: { readonly start: string; readonly end: string } | null;
    readonly files: readonly ManifestFile[];
    readonly schema: readonly ManifestColumn[];
    /** The KQL run for each window, `{start}` and `{end}` standing for the window's bounds. */
    readonly query: string;
    readonly updated: string;
}

export interface Manifest {
    readonly kind: typeof MANIFEST_KIND;
    readonly version: typeof MANIFEST_VERSION;
    readonly workspaceId: string;
    readonly tool: { readonly name: string; readonly version: string };
    readonly updated: string;
    readonly tables: Readonly<Record<string, ManifestTable>>;
}

function corrupt(file: string, what: string): UserError {
    return new UserError(
        `the export manifest ${file} is not usable: ${what}. Nothing was changed. Move the file away (for example ` +
        `rename it to manifest.json.bak) to start a fresh export into this folder, or export to another --out folder.`,
    );
}

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isIso = (v: unknown): v is string => typeof v === "string" && !Number.isNaN(Date.parse(v));
const isCount = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

function checkTable(file: string, name: string, t: unknown): ManifestTable {
    const where = `table ${JSON.stringify(name)}`;
    if (!isObject(t)) throw corrupt(file, `${where} is not an object`);
    if (t.format !== "parquet" && t.format !== "csv") throw corrupt(file, `${where} has no valid "format"`);
    if (t.watermark !== null && !isIso(t.watermark)) throw corrupt(file, `${where} has an invalid "watermark"`);
    if (t.covered !== null) {
        if (!isObject(t.covered) || !isIso(t.covered.start) || !isIso(t.covered.end)) {
            throw corrupt(file, `${where} has an invalid "covered" range`);
        }
        if (Date.parse(t.covered.start) > Date.parse(t.covered.end)) throw corrupt(file, `${where} has a "covered" range that ends before it starts`);
    }
    if (t.pending !== undefined && t.pending !== null && (!isObject(t.pending) || !isIso(t.pending.start) || !isIso(t.pending.end))) {
        throw corrupt(file, `${where} has an invalid "pending" range`);
    }
    if (t.ingestedBefore !== undefined && t.ingestedBefore !== null && !isIso(t.ingestedBefore)) {
        throw corrupt(file, `${where} has an invalid "ingestedBefore"`);
    }
    if (!Array.isArray(t.files)) throw corrupt(file, `${where} has no "files" list`);
    for (const f of t.files as unknown[]) {
        if (!isObject(f) || typeof f.name !== "string" || typeof f.day !== "string" || !isCount(f.rows) || !isCount(f.bytes)) {
            throw corrupt(file, `${where} lists a file entry without name, day, rows and bytes`);
        }
        // Only a day file of this table in its own folder: never manifest.json, a path out of the folder or a
        // file of another table, which a later run would overwrite or delete.
        const expected = `${name}/${f.day}.${t.format}`;
        if (f.name !== expected || !DAY_PATTERN.test(f.day) || Number.isNaN(Date.parse(`${f.day}T00:00:00Z`)) ||
            new Date(`${f.day}T00:00:00Z`).toISOString().slice(0, 10) !== f.day) {
            throw corrupt(file, `${where} lists ${JSON.stringify(f.name)} for day ${JSON.stringify(f.day)}, which is not a day file of the table (expected a name like ${JSON.stringify(`${name}/2026-03-02.${t.format}`)})`);
        }
        if (typeof f.sha256 !== "string" || !SHA256_PATTERN.test(f.sha256)) {
            throw corrupt(file, `${where} lists ${JSON.stringify(f.name)} with the sha256 ${JSON.stringify(f.sha256)?.slice(0, 80)}, which is not 64 hexadecimal digits`);
        }
    }
    if (!Array.isArray(t.schema)) throw corrupt(file, `${where} has no "schema"`);
    if (typeof t.query !== "string") throw corrupt(file, `${where} has no "query"`);
    return t as unknown as ManifestTable;
}

/** Parses and validates manifest text; `file` is only used in messages. */
export function parseManifest(text: string, file: string, workspaceId: string): Manifest {
    let data: unknown;
    try {
        data = JSON.parse(text);
    } catch (error) {
        throw corrupt(file, `it is not valid JSON (${(error as Error).message})`);
    }
    if (!isObject(data)) throw corrupt(file, "it is not a JSON object");
    if (data.kind !== MANIFEST_KIND) throw corrupt(file, `it is not a shadowit export manifest ("kind" is not "${MANIFEST_KIND}")`);
    if (data.version !== MANIFEST_VERSION) throw corrupt(file, `its version ${JSON.stringify(data.version)} is not supported (expected ${MANIFEST_VERSION})`);
    if (typeof data.workspaceId !== "string") throw corrupt(file, "it has no workspaceId");
    if (data.workspaceId.toLowerCase() !== workspaceId.toLowerCase()) {
        throw corrupt(file, `it belongs to workspace ${data.workspaceId}, not ${workspaceId}`);
    }
    if (!isObject(data.tables)) throw corrupt(file, "it has no \"tables\" object");
    const tables: Record<string, ManifestTable> = {};
    for (const [name, t] of Object.entries(data.tables)) tables[name] = checkTable(file, name, t);
    return { ...(data as unknown as Manifest), tables };
}

/** Reads the manifest, or undefined when there is none yet. */
export async function readManifest(file: string, workspaceId: string): Promise<Manifest | undefined> {
    let text: string;
    try {
        text = await fs.readFile(file, "utf8");
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw new UserError(`cannot read the export manifest ${file}: ${(error as Error).message}`);
    }
    return parseManifest(text, file, workspaceId);
}

export async function writeManifest(file: string, manifest: Manifest): Promise<void> {
    await writeFileAtomic(file, `${JSON.stringify(manifest, null, 2)}\n`);
}
