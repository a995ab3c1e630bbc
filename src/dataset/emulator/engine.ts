// The embedded DuckDB database holding the emulated workspace's tables, and the conversion of its results into the
// Log Analytics JSON cell encoding.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBConnection, DuckDBInstance, DuckDBTimestampValue, type DuckDBValue } from "@duckdb/node-api";
import type { LogAnalyticsType, TableSchema } from "../../schema.ts";
import { formatDatetimeMicros, formatTimespanMicros, parseDatetimeMicros } from "./literals.ts";
import type { OutputColumn, QueryPlan } from "./planner.ts";
import { INGESTION_TIME_COLUMN, quoteIdent } from "./expressions.ts";

const SQL_TYPE: Record<LogAnalyticsType, string> = {
    string: "VARCHAR", guid: "VARCHAR", dynamic: "VARCHAR", int: "INTEGER", long: "BIGINT", real: "DOUBLE",
    decimal: "DOUBLE", datetime: "TIMESTAMP", bool: "BOOLEAN", timespan: "BIGINT",
};
/** The CSV reader's column types: datetimes travel as epoch microseconds. */
const CSV_TYPE: Record<LogAnalyticsType, string> = { ...SQL_TYPE, datetime: "BIGINT" };
const BATCH_ROWS = 100_000;

export type SourceRow = Readonly<Record<string, unknown>>;

export class BadRowError extends Error {}

/** One result, already encoded as the JSON text of each row, with the byte count of the encoded rows. */
export interface EncodedResult {
    readonly columns: readonly OutputColumn[];
    readonly rows: string[];
    /** True when the engine had more rows than the limits let through. */
    readonly truncated: "rows" | "size" | false;
    readonly bytes: number;
}

export interface ResultLimits {
    readonly rowLimit: number;
    readonly sizeLimitBytes: number;
}

export class Engine {
    private constructor(private readonly instance: DuckDBInstance, private readonly loader: DuckDBConnection,
        readonly tables: readonly TableSchema[], private readonly clock: () => Date) {}

    /** `clock` stamps the ingestion time of appended rows (default the system clock). */
    static async create(tables: readonly TableSchema[], clock: () => Date = () => new Date()): Promise<Engine> {
        const instance = await DuckDBInstance.create(":memory:", { threads: "2" });
        const loader = await instance.connect();
        for (const table of tables) {
            const columns = table.columns.map(c => `${quoteIdent(c.name)} ${SQL_TYPE[c.type]}`).join(", ");
            await loader.run(`CREATE TABLE ${quoteIdent(table.name)} (${columns}, ${quoteIdent(INGESTION_TIME_COLUMN)} TIMESTAMP)`);
        }
        return new Engine(instance, loader, tables, clock);
    }

    /**
     * Bulk-loads rows keyed by column name; missing strings become "" (Kusto strings are never null). Rows go
     * through CSV batches that DuckDB's reader ingests (an order of magnitude faster than appending values one
     * by one from JS); JS builds the next batch while DuckDB reads the last. All or nothing: one bad row and no
     * row of the call is added. Concurrent calls run one after the other.
     */
    append(tableName: string, rows: Iterable<SourceRow>): Promise<number> {
        const run = this.appending.then(() => this.appendNow(tableName, rows));
        this.appending = run.catch(() => undefined);
        return run;
    }

    private appending: Promise<unknown> = Promise.resolve();

    private async appendNow(tableName: string, rows: Iterable<SourceRow>): Promise<number> {
        const table = this.tables.find(t => t.name === tableName);
        if (!table) throw new BadRowError(`Unknown table '${tableName}': the emulator holds ${this.tables.map(t => t.name).join(", ")}.`);
        const dir = await mkdtemp(join(tmpdir(), "shadowit-emulator-"));
        const files = [join(dir, "a.csv"), join(dir, "b.csv")];
        const csvColumns = table.columns.map((c, i) => `'c${i}': '${CSV_TYPE[c.type]}'`).join(", ");
        // One ingestion time for the whole call: its rows are committed together.
        const ingested = BigInt(this.clock().getTime()) * 1000n;
        const select = [
            ...table.columns.map((c, i) => (c.type === "datetime" ? `make_timestamp(c${i})` : `c${i}`)),
            `make_timestamp(${ingested.toString()}::BIGINT)`,
        ].join(", ");
        const insert = (file: string): string =>
            `INSERT INTO ${quoteIdent(table.name)} SELECT ${select} FROM read_csv('${file.replaceAll("'", "''")}', `
            + `header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', new_line = '\\n', `
            + `allow_quoted_nulls = false, max_line_size = 67108864, columns = {${csvColumns}})`;
        let lines: string[] = [];
        let total = 0;
        let batches = 0;
        let inserting: Promise<unknown> = Promise.resolve();
        const flush = async (): Promise<void> => {
            if (lines.length === 0) return;
            const text = lines.join("\n") + "\n";
            lines = [];
            await inserting;
            const file = files[batches++ % 2];
            await writeFile(file, text, "utf8");
            inserting = this.loader.run(insert(file));
        };
        await this.loader.run("BEGIN TRANSACTION");
        try {
            for (const row of rows) {
                const cells = new Array<string>(table.columns.length);
                for (let i = 0; i < table.columns.length; i++) {
                    const column = table.columns[i];
                    cells[i] = toCsvCell(row[column.name], column.type, table.name, column.name, total);
                }
                lines.push(cells.join(","));
                total++;
                if (lines.length === BATCH_ROWS) await flush();
            }
            await flush();
            await inserting;
            await this.loader.run("COMMIT");
        } catch (error) {
            await inserting.catch(() => undefined);
            await this.loader.run("ROLLBACK");
            throw error;
        } finally {
            await rm(dir, { recursive: true, force: true });
        }
        return total;
    }

    async rowCount(tableName: string): Promise<number> {
        const reader = await this.loader.runAndReadAll(`SELECT COUNT(*)::BIGINT FROM ${quoteIdent(tableName)}`);
        return Number(reader.getRows()[0][0]);
    }

    /** Runs a plan, stopping at the row or size limit; interrupted through the signal on timeout. */
    async execute(plan: QueryPlan, limits: ResultLimits, signal?: AbortSignal): Promise<EncodedResult> {
        const connection = await this.instance.connect();
        const onAbort = (): void => connection.interrupt();
        signal?.addEventListener("abort", onAbort);
        try {
            const result = await connection.stream(plan.sql, plan.params);
            const rows: string[] = [];
            let bytes = 0;
            let truncated: EncodedResult["truncated"] = false;
            outer: for (;;) {
                if (signal?.aborted) throw new Error("query interrupted");
                const chunk = await result.fetchChunk();
                if (!chunk || chunk.rowCount === 0) break;
                for (const row of chunk.getRows()) {
                    if (rows.length >= limits.rowLimit) {
                        truncated = "rows";
                        break outer;
                    }
                    const text = encodeRow(row, plan.columns);
                    const size = Buffer.byteLength(text) + 1; // the row and its comma
                    if (bytes + size > limits.sizeLimitBytes) {
                        truncated = "size";
                        break outer;
                    }
                    rows.push(text);
                    bytes += size;
                }
            }
            return { columns: plan.columns, rows, truncated, bytes };
        } finally {
            signal?.removeEventListener("abort", onAbort);
            connection.closeSync();
        }
    }

    /** Runs SQL directly, for tests that check results independently of the KQL path. */
    async sql(text: string): Promise<Record<string, unknown>[]> {
        const connection = await this.instance.connect();
        try {
            const reader = await connection.runAndReadAll(text);
            return reader.getRowObjectsJS();
        } finally {
            connection.closeSync();
        }
    }

    close(): void {
        this.loader.closeSync();
        this.instance.closeSync();
    }
}

function quoteCsv(text: string): string {
    return text.includes('"') ? '"' + text.replaceAll('"', '""') + '"' : '"' + text + '"';
}

/** One CSV cell for the bulk loader: strings always quoted, null as an empty unquoted cell, datetimes as epoch µs. */
function toCsvCell(value: unknown, type: LogAnalyticsType, table: string, column: string, rowIndex: number): string {
    // No closures here: this runs for every cell of a million-row load.
    let why: string;
    if (value === null || value === undefined) {
        return type === "string" || type === "guid" || type === "dynamic" ? '""' : "";
    }
    switch (type) {
        case "string":
        case "guid":
            return quoteCsv(typeof value === "string" ? value : String(value));
        case "dynamic":
            return quoteCsv(typeof value === "string" ? value : JSON.stringify(value));
        case "long":
        case "timespan":
            if (typeof value === "bigint" && value >= -(2n ** 63n) && value < 2n ** 63n) return value.toString();
            if (typeof value === "number" && Number.isSafeInteger(value)) return value.toString();
            if (typeof value === "string" && /^-?\d{1,18}$/.test(value)) return value;
            why = "expected a whole number";
            break;
        case "int":
            if (typeof value === "number" && Number.isInteger(value) && Math.abs(value) <= 2_147_483_647) return value.toString();
            if (typeof value === "bigint" && value >= -2_147_483_648n && value <= 2_147_483_647n) return value.toString();
            why = "expected a 32-bit whole number";
            break;
        case "real":
        case "decimal":
            if (typeof value === "number") return Number.isNaN(value) ? "nan" : value === Infinity ? "inf" : value === -Infinity ? "-inf" : value.toString();
            if (typeof value === "bigint") return Number(value).toString();
            why = "expected a number";
            break;
        case "bool":
            if (typeof value === "boolean") return value ? "true" : "false";
            why = "expected true or false";
            break;
        case "datetime": {
            if (value instanceof Date && !Number.isNaN(value.getTime())) return (BigInt(value.getTime()) * 1000n).toString();
            if (typeof value === "string") {
                const micros = parseDatetimeMicros(value);
                if (micros !== undefined) return micros.toString();
            }
            why = "expected a Date or an ISO 8601 date-time";
            break;
        }
    }
    throw new BadRowError(`${table} row ${rowIndex + 1}, column ${column}: ${why} (got ${describe(value)}).`);
}

function describe(value: unknown): string {
    const text = typeof value === "string" ? JSON.stringify(value) : typeof value === "bigint" ? `${value}n` : String(value);
    return text.length > 60 ? text.slice(0, 57) + "..." : text;
}

/** One row as Log Analytics writes it: datetimes as ISO text with Z, dynamic as JSON text, longs as exact numbers. */
export function encodeRow(row: readonly DuckDBValue[], columns: readonly OutputColumn[]): string {
    const cells: string[] = new Array<string>(columns.length);
    for (let i = 0; i < columns.length; i++) cells[i] = encodeCell(row[i], columns[i].type);
    return "[" + cells.join(",") + "]";
}

function encodeCell(value: DuckDBValue, type: LogAnalyticsType): string {
    if (value === null || value === undefined) {
        return type === "string" || type === "dynamic" || type === "guid" ? '""' : "null";
    }
    switch (type) {
        case "datetime":
            if (value instanceof DuckDBTimestampValue) return JSON.stringify(formatDatetimeMicros(value.micros));
            break;
        case "timespan":
            if (typeof value === "bigint") return JSON.stringify(formatTimespanMicros(value));
            break;
        case "long":
        case "int":
            if (typeof value === "bigint" || typeof value === "number") return value.toString();
            break;
        case "real":
        case "decimal":
            if (typeof value === "number") return Number.isFinite(value) ? JSON.stringify(value) : JSON.stringify(String(value));
            break;
        case "bool":
            if (typeof value === "boolean") return value ? "true" : "false";
            break;
        case "string":
        case "guid":
        case "dynamic":
            if (typeof value === "string") return JSON.stringify(value);
            break;
    }
    return JSON.stringify(String(value));
}
