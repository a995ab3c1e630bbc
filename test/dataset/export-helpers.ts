// Shared by the export specs: expected per-day figures from the sample tenant's rows, the same figures read back
// from an export folder with DuckDB, and the assertion that the two agree.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { RunningEmulator } from "../../src/dataset/emulator/index.ts";
import { TABLE } from "./export-setup.ts";

export interface DayFigures {
    rows: number;
    totalBytes: number;
    uploadedBytes: number;
    /** Distinct (TimeGenerated, StreamName, UserName, IpAddress, AppId, TotalBytes) tuples. */
    distinct: number;
}

export type Figures = Map<string, DayFigures>;

/** The same figures computed by the emulator's own database over [start, end): the ground truth. */
export async function emulatorFigures(emulator: RunningEmulator, start: number, end: number): Promise<Figures> {
    const range = `TimeGenerated >= epoch_ms(${start}) AND TimeGenerated < epoch_ms(${end})`;
    const totals = await emulator.query(
        `SELECT strftime(TimeGenerated, '%Y-%m-%d') AS day, count(*)::BIGINT AS n, sum(TotalBytes)::DOUBLE AS total, sum(UploadedBytes)::DOUBLE AS uploaded ` +
        `FROM McasShadowItReporting WHERE ${range} GROUP BY day`,
    );
    const distinct = await emulator.query(
        `SELECT strftime(TimeGenerated, '%Y-%m-%d') AS day, count(*)::BIGINT AS n FROM (SELECT DISTINCT TimeGenerated, StreamName, UserName, ` +
        `IpAddress, AppId, TotalBytes FROM McasShadowItReporting WHERE ${range}) GROUP BY day`,
    );
    const distinctByDay = new Map(distinct.map(r => [String(r.day), Number(r.n)]));
    const out: Figures = new Map();
    for (const r of totals.sort((a, b) => String(a.day).localeCompare(String(b.day)))) {
        const day = String(r.day);
        out.set(day, { rows: Number(r.n), totalBytes: Number(r.total), uploadedBytes: Number(r.uploaded), distinct: distinctByDay.get(day) ?? 0 });
    }
    return out;
}

function sqlString(text: string): string {
    return `'${text.replace(/'/g, "''")}'`;
}

/** Per-day figures of an export folder's files, read with DuckDB; the day comes from the file name. */
export async function exportedFigures(folder: string, table: string, format: "parquet" | "csv"): Promise<Figures> {
    const dir = path.join(folder, table);
    const files = readdirSync(dir).filter(n => n.endsWith(`.${format}`)).sort();
    const out: Figures = new Map();
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
        for (const name of files) {
            const file = path.join(dir, name);
            const source = format === "parquet"
                ? `(SELECT TimeGenerated, StreamName, UserName, IpAddress, AppId, TotalBytes, UploadedBytes FROM read_parquet(${sqlString(file)}))`
                : `(SELECT strptime("TimeGenerated [UTC]", '%Y-%m-%dT%H:%M:%S.%gZ') AS TimeGenerated, StreamName, UserName, IpAddress, CAST(AppId AS INTEGER) AS AppId, ` +
                  `CAST(TotalBytes AS BIGINT) AS TotalBytes, CAST(UploadedBytes AS BIGINT) AS UploadedBytes FROM read_csv(${sqlString(file)}, header = true, all_varchar = true))`;
            const result = await connection.runAndReadAll(
                `SELECT count(*)::BIGINT, sum(TotalBytes)::DOUBLE, sum(UploadedBytes)::DOUBLE, ` +
                `(SELECT count(*) FROM (SELECT DISTINCT TimeGenerated, StreamName, UserName, IpAddress, AppId, TotalBytes FROM ${source}))::BIGINT, ` +
                `count(*) FILTER (WHERE strftime(TimeGenerated, '%Y-%m-%d') <> ${sqlString(name.slice(0, 10))})::BIGINT FROM ${source}`,
            );
            const [rows, totalBytes, uploadedBytes, distinct, misplaced] = result.getRows()[0];
            if (Number(misplaced) !== 0) throw new Error(`${name} holds ${misplaced} rows of another day`);
            out.set(name.slice(0, 10), { rows: Number(rows), totalBytes: Number(totalBytes ?? 0), uploadedBytes: Number(uploadedBytes ?? 0), distinct: Number(distinct) });
        }
    } finally {
        connection.closeSync();
        instance.closeSync();
    }
    return out;
}

export function sum(figures: Figures, key: keyof DayFigures): number {
    let n = 0;
    for (const f of figures.values()) n += f[key];
    return n;
}

/**
 * Asserts that the export folder holds exactly the emulator's rows of [start, end), day by day, and that the range
 * holds rows at all; returns the exported figures.
 */
export async function assertExportMatches(emulator: RunningEmulator, folder: string, start: number, end: number, format: "parquet" | "csv" = "parquet"): Promise<Figures> {
    const expected = await emulatorFigures(emulator, start, end);
    const actual = await exportedFigures(folder, TABLE, format);
    assert.deepEqual(Object.fromEntries(actual), Object.fromEntries(expected));
    assert.ok(sum(expected, "rows") > 0, "the range holds rows");
    return actual;
}
