// Reads exported McasShadowItReporting Parquet files into the preview dataset with DuckDB.
import { readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { DATASET_COLUMNS, DatasetBuilder, DatasetRow, NUMBER_COLUMNS, PreviewDataset, TEXT_COLUMNS } from "./dataset.ts";

/** DIR/<workspaceId>/McasShadowItReporting/<yyyy-mm-dd>.parquet, sorted by day. */
export function exportedParquetFiles(exportDir: string, workspaceId: string): string[] {
    const folder = join(exportDir, workspaceId, "McasShadowItReporting");
    if (!existsSync(folder)) return [];
    return readdirSync(folder).filter(name => /^\d{4}-\d{2}-\d{2}\.parquet$/.test(name)).sort().map(name => join(folder, name));
}

export function sqlString(text: string): string {
    return `'${text.replace(/'/g, "''")}'`;
}

function quoteIdent(name: string): string {
    return `"${name.replace(/"/g, "\"\"")}"`;
}

export async function readParquetDataset(files: readonly string[], source: string): Promise<PreviewDataset> {
    const builder = new DatasetBuilder();
    if (files.length === 0) return builder.build(source);
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
        const from = `read_parquet([${files.map(sqlString).join(", ")}], union_by_name = true)`;
        const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`);
        const types = new Map(described.getRowObjectsJS().map(row => [String(row.column_name), String(row.column_type)]));
        const missing = DATASET_COLUMNS.filter(name => !types.has(name));
        if (missing.length > 0) throw new Error(`the exported Parquet files lack the column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
        const select = [
            ...TEXT_COLUMNS.map(name => {
                const type = types.get(name);
                if (type === undefined) return `NULL AS ${quoteIdent(name)}`;
                // A time is read as its instant (epoch milliseconds), whatever DuckDB's session time zone is.
                if (name === "TimeGenerated" && type.startsWith("TIMESTAMP")) return `epoch_ms(${quoteIdent(name)})::DOUBLE AS ${quoteIdent(name)}`;
                // dynamic columns are written as JSON text; a LIST or STRUCT is turned back into JSON.
                const expression = type === "VARCHAR" ? quoteIdent(name) : `to_json(${quoteIdent(name)})::VARCHAR`;
                return `${expression} AS ${quoteIdent(name)}`;
            }),
            ...NUMBER_COLUMNS.map(name => `CAST(${quoteIdent(name)} AS DOUBLE) AS ${quoteIdent(name)}`),
        ];
        const reader = await connection.runAndReadAll(`SELECT ${select.join(", ")} FROM ${from}`);
        const columns = reader.getColumnsJS();
        const rowCount = columns[0]?.length ?? 0;
        const names = [...TEXT_COLUMNS, ...NUMBER_COLUMNS];
        for (let row = 0; row < rowCount; row++) {
            const record: Record<string, string | number | null> = {};
            names.forEach((name, c) => {
                const value = columns[c][row];
                record[name] = value === null || value === undefined ? null : (typeof value === "number" || typeof value === "string" ? value : String(value));
                if (name === "TimeGenerated") record[name] = utcDayOf(record[name]);
            });
            builder.add(record as DatasetRow);
        }
        return builder.build(source);
    } finally {
        connection.closeSync();
        instance.closeSync();
    }
}

/** The UTC day ("2026-03-02") of an exported TimeGenerated: epoch milliseconds or ISO text; null when it is neither. */
export function utcDayOf(value: string | number | null): string | null {
    if (value === null) return null;
    const ms = typeof value === "number" ? value : Date.parse(value);
    return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : null;
}
