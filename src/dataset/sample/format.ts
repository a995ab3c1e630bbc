// Row formatting for sample files: CSV with the Log Analytics portal's export header, or JSON lines.
import type { ColumnSchema, TableSchema } from "../../schema.ts";

/** The portal's CSV header name: datetime columns carry " [UTC]" (e.g. `TimeGenerated [UTC]`). */
export function csvHeaderName(column: ColumnSchema): string {
    return column.type === "datetime" ? `${column.name} [UTC]` : column.name;
}

/** RFC 4180 quoting: only fields with a comma, quote or line break (or edge spaces) are quoted. */
export function csvField(text: string): string {
    return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, "\"\"")}"` : text;
}

/** A cell's text: datetimes ISO 8601 with Z, dynamic as JSON, null and undefined empty. */
export function cellText(column: ColumnSchema, value: unknown): string {
    if (value === null || value === undefined) return "";
    if (value instanceof Date) return value.toISOString();
    if (column.type === "dynamic") return typeof value === "string" ? value : JSON.stringify(value);
    if (typeof value === "object") return JSON.stringify(value);
    return String(value);
}

export function csvHeader(table: TableSchema): string {
    return `${table.columns.map(c => csvField(csvHeaderName(c))).join(",")}\n`;
}

export function csvLine(table: TableSchema, row: Readonly<Record<string, unknown>>): string {
    return `${table.columns.map(c => csvField(cellText(c, row[c.name]))).join(",")}\n`;
}

/** One JSON object per line, columns in schema order; datetimes ISO strings, dynamic values as JSON values. */
export function jsonLine(table: TableSchema, row: Readonly<Record<string, unknown>>): string {
    const out: Record<string, unknown> = {};
    for (const c of table.columns) {
        const value = row[c.name];
        out[c.name] = value instanceof Date ? value.toISOString() : value ?? null;
    }
    return `${JSON.stringify(out)}\n`;
}
