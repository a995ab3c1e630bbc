/* eslint-disable powerbi-visuals/non-literal-fs-path -- the companion reads and writes under the folder the user names with --out */
// Day files through DuckDB: the rows of one UTC day are staged in an in-memory table as their windows arrive,
// then merged with the day's existing file (time-range replacement) and written to a temporary file that is
// renamed over the target.
import { createHash } from "node:crypto";
import { createReadStream, promises as fs } from "node:fs";
import {
    BOOLEAN, DOUBLE, DuckDBDataChunk, DuckDBInstance, INTEGER, VARCHAR,
    type DuckDBConnection, type DuckDBType, type DuckDBValue,
} from "@duckdb/node-api";
import type { TableSchema } from "../../schema.ts";
import { UserError } from "../errors.ts";
import { commitTempFile, tempPathFor } from "./atomic.ts";
import {
    CSV_DATETIME_FORMAT, csvHeaderName, outputExpression, quoteIdent, sqlString, stageKindOf,
    stageSqlType, typedFromCsv, typedFromStage, type StageKind,
} from "./columns.ts";
import type { ExportFormat } from "./manifest.ts";
import type { Span } from "./windows.ts";

const CHUNK_ROWS = 2048;

export interface WrittenDay {
    /** Rows in the file after the merge. */
    readonly rows: number;
    /** Rows that came from this run's queries. */
    readonly freshRows: number;
    readonly bytes: number;
    readonly sha256: string;
    readonly minTime: string | null;
    readonly maxTime: string | null;
    /** Set when the existing file was left as it was (see `writeDay`). */
    readonly kept?: "no-rows" | "fewer-rows";
}

export interface ColumnBinding {
    /** Index of the schema column in the result's rows, -1 when the result lacks it (stays null). */
    readonly source: number;
    readonly kind: StageKind;
    readonly name: string;
}

/** Maps result columns onto the schema by name: the query projects the schema, but never trust positions. */
export function bindColumns(table: TableSchema, resultColumns: readonly { name?: string }[]): ColumnBinding[] {
    const index = new Map<string, number>();
    resultColumns.forEach((c, i) => { if (c.name !== undefined) index.set(c.name, i); });
    return table.columns.map(column => ({ source: index.get(column.name) ?? -1, kind: stageKindOf(column.type), name: column.name }));
}

function badValue(table: string, column: string, value: unknown): UserError {
    const shown = JSON.stringify(value)?.slice(0, 120) ?? String(value);
    return new UserError(`${table}: column ${column} holds a value of an unexpected type (${typeof value}: ${shown}); the export stops rather than write it wrongly`);
}

type Converter = (value: unknown) => DuckDBValue;

/** One converter per column, chosen once: the per-value path is a null check and a typeof. */
function converterFor(table: string, binding: ColumnBinding): Converter {
    switch (binding.kind) {
        case "text":
            // dynamic values arrive parsed by the SDK; store their JSON text.
            return value => (value === null || value === undefined ? null : typeof value === "string" ? value : JSON.stringify(value));
        case "number":
            return value => {
                if (value === null || value === undefined) return null;
                if (typeof value === "number") return value;
                if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
                if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
                throw badValue(table, binding.name, value);
            };
        case "int":
            return value => {
                if (value === null || value === undefined) return null;
                if (typeof value === "number" && Number.isInteger(value) && Math.abs(value) <= 2147483647) return value;
                throw badValue(table, binding.name, value);
            };
        case "bool":
            return value => {
                if (value === null || value === undefined) return null;
                if (typeof value === "boolean") return value;
                if (value === 0 || value === 1) return value === 1;
                throw badValue(table, binding.name, value);
            };
    }
}

function duckType(kind: StageKind): DuckDBType {
    switch (kind) {
        case "number": return DOUBLE;
        case "int": return INTEGER;
        case "bool": return BOOLEAN;
        case "text": return VARCHAR;
    }
}

/** One DuckDB instance per export run; all calls are serialized by the caller. */
export class DayStore {
    private stageCounter = 0;

    private constructor(private readonly connection: DuckDBConnection, private readonly instance: DuckDBInstance) {}

    static async open(): Promise<DayStore> {
        const instance = await DuckDBInstance.create(":memory:");
        const connection = await instance.connect();
        return new DayStore(connection, instance);
    }

    close(): void {
        this.connection.closeSync();
        this.instance.closeSync();
    }

    /** Creates the staging table of one day and returns its name. */
    async createStage(table: TableSchema): Promise<string> {
        const name = `stage_${++this.stageCounter}`;
        const columns = table.columns.map(c => `${quoteIdent(c.name)} ${stageSqlType(stageKindOf(c.type))}`).join(", ");
        await this.connection.run(`CREATE TABLE ${name} (${columns})`);
        return name;
    }

    async dropStage(stage: string): Promise<void> {
        await this.connection.run(`DROP TABLE IF EXISTS ${stage}`);
    }

    /** Appends result rows column by column, in chunks (no per-value call into DuckDB). */
    async append(stage: string, table: TableSchema, bindings: readonly ColumnBinding[], rows: readonly (readonly unknown[])[]): Promise<void> {
        if (rows.length === 0) return;
        const types = bindings.map(b => duckType(b.kind));
        const converters = bindings.map(b => converterFor(table.name, b));
        const appender = await this.connection.createAppender(stage);
        try {
            for (let offset = 0; offset < rows.length; offset += CHUNK_ROWS) {
                const count = Math.min(CHUNK_ROWS, rows.length - offset);
                const chunk = DuckDBDataChunk.create(types, count);
                for (let c = 0; c < bindings.length; c++) {
                    const source = bindings[c].source;
                    const convert = converters[c];
                    const values = new Array<DuckDBValue>(count);
                    if (source < 0) {
                        values.fill(null);
                    } else {
                        for (let r = 0; r < count; r++) values[r] = convert(rows[offset + r][source]);
                    }
                    chunk.setColumnValues(c, values);
                }
                appender.appendDataChunk(chunk);
            }
            appender.flushSync();
        } finally {
            appender.closeSync();
        }
    }

    private existingRelation(table: TableSchema, file: string, format: ExportFormat): string {
        if (format === "parquet") {
            const columns = table.columns.map(c => quoteIdent(c.name)).join(", ");
            return `(SELECT ${columns} FROM read_parquet(${sqlString(file)}))`;
        }
        const textColumns = table.columns.map(c => `${sqlString(csvHeaderName(c))}: 'VARCHAR'`).join(", ");
        const source = `read_csv(${sqlString(file)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = {${textColumns}})`;
        return `(SELECT ${table.columns.map(typedFromCsv).join(", ")} FROM ${source})`;
    }

    /**
     * Writes the day file `target`: the rows of `existing` (if any) outside `fresh` (the span this run read)
     * plus the staged rows, ordered by TimeGenerated. When the staged rows are fewer than the existing file
     * holds inside the span (a rerun over data the workspace no longer retains), the existing file is kept
     * as it is: an export never loses history it already has.
     */
    async writeDay(
        stage: string, table: TableSchema, format: ExportFormat, target: string, fresh: Span, existing: boolean, ordered: boolean,
    ): Promise<WrittenDay | undefined> {
        const time = quoteIdent("TimeGenerated");
        const start = `epoch_ms(${fresh.start})`;
        const end = `epoch_ms(${fresh.end})`;
        const staged = `(SELECT ${table.columns.map(typedFromStage).join(", ")}, rowid AS __ord FROM ${stage})`;
        const freshCount = await this.scalar(`SELECT count(*) FROM ${stage}`);
        if (!existing) {
            if (freshCount === 0) return undefined;
            // A new day file: straight from the staging table, sorted only when windows arrived out of order.
            const stats = await this.connection.runAndReadAll(`SELECT min(${time}), max(${time}) FROM ${stage}`);
            const [min, max] = stats.getRows()[0];
            const select = table.columns.map(c => outputExpression(c, format)).join(", ");
            const order = ordered ? "" : ` ORDER BY ${time}, __ord`;
            const written = await this.copyOut(`SELECT ${select} FROM ${staged}${order}`, format, target);
            return {
                ...written, rows: freshCount, freshRows: freshCount,
                minTime: typeof min === "number" ? new Date(min).toISOString() : null,
                maxTime: typeof max === "number" ? new Date(max).toISOString() : null,
            };
        }
        // An existing day file: keep its rows outside the span read now, replace those inside it.
        const old = this.existingRelation(table, target, format);
        let existingInSpan: number;
        try {
            existingInSpan = await this.scalar(`SELECT count(*) FROM ${old} WHERE ${time} >= ${start} AND ${time} < ${end}`);
        } catch (error) {
            throw new UserError(
                `cannot read the exported file ${target} back to merge new rows into it (${(error as Error).message.split("\n")[0]}); ` +
                "the file is left as it is: move it away and rerun with --since to refetch that day",
            );
        }
        if (freshCount < existingInSpan) return undefined;
        const parts = [
            `SELECT *, 1 AS __part FROM ${staged}`,
            `SELECT *, 0 AS __ord, CASE WHEN ${time} < ${start} THEN 0 ELSE 2 END AS __part FROM ${old} WHERE ${time} IS NULL OR ${time} < ${start} OR ${time} >= ${end}`,
        ];
        const merged = `merged_${stage}`;
        await this.connection.run(`CREATE OR REPLACE TEMP TABLE ${merged} AS SELECT * EXCLUDE (__part, __ord) FROM (${parts.join(" UNION ALL BY NAME ")}) ORDER BY __part, ${time}, __ord`);
        try {
            const stats = await this.connection.runAndReadAll(
                `SELECT count(*)::BIGINT, strftime(min(${time}), '${CSV_DATETIME_FORMAT}'), strftime(max(${time}), '${CSV_DATETIME_FORMAT}') FROM ${merged}`,
            );
            const [rowCount, minTime, maxTime] = stats.getRows()[0];
            const select = table.columns.map(c => outputExpression(c, format)).join(", ");
            const written = await this.copyOut(`SELECT ${select} FROM ${merged}`, format, target);
            return {
                ...written, rows: Number(rowCount), freshRows: freshCount,
                minTime: typeof minTime === "string" ? minTime : null,
                maxTime: typeof maxTime === "string" ? maxTime : null,
            };
        } finally {
            await this.connection.run(`DROP TABLE IF EXISTS ${merged}`);
        }
    }

    /** Writes a query's rows to a temporary file next to `target`, then renames it over `target`. */
    private async copyOut(select: string, format: ExportFormat, target: string): Promise<{ bytes: number; sha256: string }> {
        const temp = tempPathFor(target);
        const options = format === "parquet" ? "FORMAT parquet, COMPRESSION zstd" : "FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"', ESCAPE '\"'";
        try {
            await this.connection.run(`COPY (${select}) TO ${sqlString(temp)} (${options})`);
            const hashed = await hashFile(temp);
            await commitTempFile(temp, target);
            return hashed;
        } catch (error) {
            await fs.rm(temp, { force: true }).catch(() => undefined);
            throw error;
        }
    }

    /** Largest TimeGenerated staged (epoch ms), or undefined. */
    async maxStagedTime(stage: string): Promise<number | undefined> {
        const result = await this.connection.runAndReadAll(`SELECT max(${quoteIdent("TimeGenerated")}) FROM ${stage}`);
        const value = result.getRows()[0][0];
        return typeof value === "number" ? value : undefined;
    }

    private async scalar(sql: string): Promise<number> {
        const result = await this.connection.runAndReadAll(sql);
        return Number(result.getRows()[0][0]);
    }
}

async function hashFile(file: string): Promise<{ bytes: number; sha256: string }> {
    const hash = createHash("sha256");
    let bytes = 0;
    for await (const chunk of createReadStream(file)) {
        hash.update(chunk as Buffer);
        bytes += (chunk as Buffer).length;
    }
    return { bytes, sha256: hash.digest("hex") };
}

