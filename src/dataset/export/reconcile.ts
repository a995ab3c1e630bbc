/* eslint-disable powerbi-visuals/non-literal-fs-path -- the companion reads and writes under the folder the user names with --out */
// The manifest checked against the day files on disk at the start of every run, and repaired where they disagree,
// so that a crash, a race or a hand edit never leaves it wrong for the runs after. The rule (also in README
// "Export"): the files on disk are the truth.
// - A listed file that is missing is removed from the list, and the covered range is cut back to end where its day
//   starts (that day and the ones after it are read again); when nothing is left of the range, the run resumes
//   from the range's old start.
// - A day file on disk that is not listed, or whose size, hash, rows or time range differ from its entry, is
//   listed as it is: its figures are read from the file.
// - The watermark never claims more than the files hold: when it is past the covered range's end or past the
//   latest row in any file, it is lowered to the latest row of a file before the covered end.
// Files are read back only when needed: a listed file whose size matches its entry and that is older than the
// manifest is taken as listed.
import { promises as fs } from "node:fs";
import path from "node:path";
import type { TableSchema } from "../../schema.ts";
import { resolveTable } from "../kql/index.ts";
import type { DayStore } from "./day-store.ts";
import type { ExportFormat, Manifest, ManifestFile, ManifestTable } from "./manifest.ts";

export const DAY_FILE_NAME = /^(\d{4}-\d{2}-\d{2})\.(parquet|csv)$/;

/** Whether `day` (yyyy-mm-dd) is a real calendar day. */
export function isCalendarDay(day: string): boolean {
    const ms = Date.parse(`${day}T00:00:00Z`);
    return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === day;
}

export interface TableRepair {
    readonly entry: ManifestTable;
    /** What was wrong and what was done, one line each; empty when the entry agreed with the files. */
    readonly notes: readonly string[];
}

const sameFile = (a: ManifestFile, b: ManifestFile): boolean =>
    a.rows === b.rows && a.bytes === b.bytes && a.sha256 === b.sha256 && a.minTime === b.minTime && a.maxTime === b.maxTime;

/** Pure: the entry made to agree with `actual`, the day files of the table as they are on disk. */
export function repairTableEntry(table: string, entry: ManifestTable, actual: readonly ManifestFile[]): TableRepair {
    const notes: string[] = [];
    const onDisk = new Map(actual.map(f => [f.name, f]));
    const listed = new Map(entry.files.map(f => [f.name, f]));
    const missing = entry.files.filter(f => !onDisk.has(f.name));
    for (const f of missing) notes.push(`${f.name} is listed but missing: removed from the list`);
    for (const f of actual) {
        const was = listed.get(f.name);
        if (!was) notes.push(`${f.name} is on disk but was not listed: listed (${f.rows} rows)`);
        else if (!sameFile(was, f)) notes.push(`${f.name} differs from its entry: entry updated from the file (${f.rows} rows)`);
    }
    let covered = entry.covered;
    let pending = entry.pending ?? null;
    if (covered && missing.length > 0) {
        const cut = Math.min(...missing.map(f => Date.parse(`${f.day}T00:00:00Z`)));
        if (cut < Date.parse(covered.end)) {
            if (cut <= Date.parse(covered.start)) {
                notes.push(`the covered range ${covered.start}–${covered.end} is dropped: it is read again from ${covered.start}`);
                pending = { start: covered.start, end: covered.end };
                covered = null;
            } else {
                const end = new Date(cut).toISOString();
                notes.push(`the covered range ${covered.start}–${covered.end} is cut back to end at ${end}: later days are read again`);
                covered = { start: covered.start, end };
            }
        }
    }
    let watermark = entry.watermark;
    const times = actual.map(f => f.maxTime).filter((t): t is string => t !== null).map(t => Date.parse(t));
    const latest = times.length > 0 ? Math.max(...times) : undefined;
    if (watermark !== null) {
        const mark = Date.parse(watermark);
        if (!covered || mark >= Date.parse(covered.end) || latest === undefined || mark > latest) {
            const end = covered ? Date.parse(covered.end) : -Infinity;
            const before = times.filter(t => t < end);
            const lowered = before.length > 0 ? new Date(Math.max(...before)).toISOString() : null;
            if (lowered !== watermark) {
                notes.push(`the watermark ${watermark} is past what the files hold: lowered to ${lowered ?? "none"}`);
                watermark = lowered;
            }
        }
    }
    if (notes.length === 0) return { entry, notes };
    const files = [...actual].sort((a, b) => a.name.localeCompare(b.name));
    return { entry: { ...entry, files, covered, pending, watermark }, notes: notes.map(n => `${table}: ${n}`) };
}

function knownTable(name: string): TableSchema | undefined {
    try {
        return resolveTable(name);
    } catch {
        return undefined; // a table this version does not know: its entry is left as it is
    }
}

/** The day files (names relative to the workspace folder) of one table and format on disk. */
async function dayFilesOnDisk(folder: string, table: string, format: ExportFormat): Promise<string[]> {
    let names: string[];
    try {
        names = await fs.readdir(path.join(folder, table));
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw error;
    }
    return names.filter(n => {
        const m = DAY_FILE_NAME.exec(n);
        return m !== null && m[2] === format && isCalendarDay(m[1]);
    }).map(n => `${table}/${n}`);
}

/**
 * Checks every table of the manifest (and each of `schemas` that has day files but no entry) against the files on
 * disk; returns the repaired manifest and what was repaired. A table without an entry gets `emptyEntry`'s.
 */
export async function reconcileManifest(
    manifest: Manifest, manifestPath: string, schemas: readonly TableSchema[], store: DayStore, format: ExportFormat,
    emptyEntry: (schema: TableSchema, format: ExportFormat) => ManifestTable,
): Promise<{ manifest: Manifest; notes: string[] }> {
    const folder = path.dirname(manifestPath);
    const manifestMtimeMs = await fs.stat(manifestPath).then(s => s.mtimeMs, () => -Infinity);
    const notes: string[] = [];
    const tables: Record<string, ManifestTable> = { ...manifest.tables };
    const names = new Set([...Object.keys(tables), ...schemas.map(s => s.name)]);
    for (const name of names) {
        const schema = schemas.find(s => s.name === name) ?? knownTable(name);
        if (!schema) continue;
        const entry = tables[name];
        const tableFormat = entry?.format ?? format;
        const listed = new Map((entry?.files ?? []).map(f => [f.name, f]));
        const actual: ManifestFile[] = [];
        for (const name of await dayFilesOnDisk(folder, schema.name, tableFormat)) {
            const file = path.join(folder, ...name.split("/"));
            const stat = await fs.stat(file);
            const known = listed.get(name);
            if (known && known.bytes === stat.size && stat.mtimeMs < manifestMtimeMs) {
                actual.push(known);
                continue;
            }
            const stats = await store.fileStats(schema, tableFormat, file);
            actual.push({ name, day: name.slice(schema.name.length + 1, schema.name.length + 11), ...stats });
        }
        if (!entry) {
            if (actual.length === 0) continue;
            tables[name] = { ...emptyEntry(schema, tableFormat), files: actual };
            notes.push(...actual.map(f => `${name}: ${f.name} is on disk but was not listed: listed (${f.rows} rows)`));
            continue;
        }
        const repaired = repairTableEntry(name, entry, actual);
        tables[name] = repaired.entry;
        notes.push(...repaired.notes);
    }
    return notes.length === 0 ? { manifest, notes } : { manifest: { ...manifest, tables }, notes };
}
