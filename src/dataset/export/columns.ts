// How each Log Analytics column type is staged, stored and formatted in the export files. Pure: SQL text only.
import type { ColumnSchema, LogAnalyticsType, TableSchema } from "../../schema.ts";
import { findTable } from "../tables.ts";
import type { ExportFormat, ManifestColumn } from "./manifest.ts";

/**
 * The staging type a value is appended as. Numbers stay JS numbers all the way into DuckDB (no BigInt per
 * value): `long` and `datetime` (epoch ms) are staged as DOUBLE, which is exact for every integer the SDK can
 * deliver (it parses JSON numbers, so a long above 2^53 has already lost precision before it reaches us).
 */
export type StageKind = "text" | "number" | "int" | "bool";

export function stageKindOf(type: LogAnalyticsType): StageKind {
    switch (type) {
        case "long": case "real": case "datetime": return "number";
        case "int": return "int";
        case "bool": return "bool";
        default: return "text";
    }
}

/** The column type in the Parquet file (as DuckDB names it). */
export function fileSqlType(type: LogAnalyticsType): string {
    switch (type) {
        case "datetime": return "TIMESTAMP";
        case "long": return "BIGINT";
        case "int": return "INTEGER";
        case "real": return "DOUBLE";
        case "bool": return "BOOLEAN";
        default: return "VARCHAR";
    }
}

export function quoteIdent(name: string): string {
    return `"${name.replace(/"/g, "\"\"")}"`;
}

export function sqlString(text: string): string {
    return `'${text.replace(/'/g, "''")}'`;
}

/** The Log Analytics portal's CSV export names datetime columns with a ` [UTC]` suffix. */
export function csvHeaderName(column: ColumnSchema): string {
    return column.type === "datetime" ? `${column.name} [UTC]` : column.name;
}

/** ISO 8601 in UTC with milliseconds and a Z, the same text as JavaScript's Date#toISOString. */
export const CSV_DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%gZ";

/** Typed expression for a staged column. */
export function typedFromStage(column: ColumnSchema): string {
    const c = quoteIdent(column.name);
    switch (column.type) {
        case "datetime": return `epoch_ms(CAST(round(${c}) AS BIGINT)) AS ${c}`;
        case "long": return `CAST(${c} AS BIGINT) AS ${c}`;
        default: return `${c} AS ${c}`;
    }
}

/** Typed expression for a column read back from an exported CSV file (all columns read as text). */
export function typedFromCsv(column: ColumnSchema): string {
    const source = quoteIdent(csvHeaderName(column));
    const c = quoteIdent(column.name);
    const type = fileSqlType(column.type);
    if (column.type === "datetime") return `CAST(strptime(${source}, '${CSV_DATETIME_FORMAT}') AS TIMESTAMP) AS ${c}`;
    if (type === "VARCHAR") return `${source} AS ${c}`;
    return `CAST(${source} AS ${type}) AS ${c}`;
}

/** Output expression of a typed column for the file format. */
export function outputExpression(column: ColumnSchema, format: ExportFormat): string {
    const c = quoteIdent(column.name);
    if (format === "csv" && column.type === "datetime") {
        return `strftime(${c}, '${CSV_DATETIME_FORMAT}') AS ${quoteIdent(csvHeaderName(column))}`;
    }
    return c;
}

/**
 * The columns of the files as the manifest lists them: the workspace's columns in its order, each with the type it
 * declares and the file type; a type other than the companion's expected one, and a column the companion does not
 * list, are marked.
 */
export function manifestSchema(table: TableSchema, format: ExportFormat): ManifestColumn[] {
    const expected = new Map(findTable(table.name)?.columns.map(c => [c.name, c.type]) ?? []);
    return table.columns.map(column => {
        const expectedType = expected.get(column.name);
        return {
            name: format === "csv" ? csvHeaderName(column) : column.name,
            type: column.type,
            fileType: format === "csv"
                ? (column.type === "datetime" ? "VARCHAR (ISO 8601 UTC)" : column.type === "dynamic" ? "VARCHAR (JSON)" : fileSqlType(column.type))
                : column.type === "dynamic" ? "VARCHAR (JSON)" : fileSqlType(column.type),
            ...(expectedType === undefined ? { documented: false } : expectedType !== column.type ? { expectedType } : {}),
        };
    });
}
