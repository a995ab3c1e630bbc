/* eslint-disable powerbi-visuals/non-literal-fs-path -- the companion reads and writes under the folder the user names with --out */
// Day files through DuckDB: the rows of one UTC day are staged as their windows arrive (converted at once into
// DuckDB data chunks held here), then merged with the day's existing file (time-range replacement) and written
// to a temporary file that is renamed over the target.
import { createHash } from "node:crypto";
import { createReadStream, promises as fs } from "node:fs";
import {
    BIGINT, BOOLEAN, DOUBLE, DuckDBDataChunk, DuckDBInstance, DuckDBTableFunction, INTEGER, VARCHAR,
    type DuckDBConnection, type DuckDBType,
} from "@duckdb/node-api";
import duckdb, { type Vector } from "@duckdb/node-bindings";
import type { TableSchema } from "../../schema.ts";
import { UserError } from "../errors.ts";
import { commitTempFile, tempPathFor } from "./atomic.ts";
import {
    CSV_DATETIME_FORMAT, csvHeaderName, outputExpression, quoteIdent, sqlString, stageKindOf,
    typedFromCsv, typedFromStage, type StageKind,
} from "./columns.ts";
import type { ExportFormat } from "./manifest.ts";
import type { Span } from "./windows.ts";

/** Rows per data chunk: DuckDB's vector size, the most a chunk holds. */
const CHUNK_ROWS = 2048;
/** Size of DuckDB's string record (duckdb_string_t) in a VARCHAR vector. */
const STRING_RECORD_BYTES = 16;
const TIME_COLUMN = "TimeGenerated";
/** The table function that scans a stage; its last column numbers the rows in arrival order. */
const SCAN_FUNCTION = "shadowit_stage";
const ORDINAL_COLUMN = "__ord";

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

/** Fails with the column's clear error; never returns. */
type Reject = (value: unknown) => never;

/** The text stored for a value of a text column (dynamic values arrive parsed by the SDK: their JSON text), or null. */
function textOf(value: unknown): string | null {
    if (value === null || value === undefined) return null;
    if (typeof value === "string") return value;
    return (Array.isArray(value) ? stringArrayJson(value) : undefined) ?? JSON.stringify(value) ?? null;
}

/** Characters JSON.stringify escapes in a string (surrogates included, paired or not, to stay on the safe side). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * The JSON text of an array of plain strings (dynamic columns such as AppTags arrive as such arrays), built
 * without JSON.stringify's generic walk; undefined when an element is not a string or would need escaping.
 */
function stringArrayJson(values: readonly unknown[]): string | undefined {
    let text = "[";
    for (let i = 0; i < values.length; i++) {
        const value = values[i];
        if (typeof value !== "string" || NEEDS_ESCAPE.test(value)) return undefined;
        text += i === 0 ? `"${value}"` : `,"${value}"`;
    }
    return `${text}]`;
}

/** A `number` column's value as a double, or null (NaN and infinities pass as they are). */
function numberOf(value: unknown, reject: Reject): number | null {
    if (value === null || value === undefined) return null;
    if (typeof value === "number") return value;
    if (value instanceof Date) {
        const time = value.getTime();
        return Number.isNaN(time) ? null : time;
    }
    if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
    return reject(value);
}

function intOf(value: unknown, reject: Reject): number | null {
    if (value === null || value === undefined) return null;
    if (typeof value === "number" && Number.isInteger(value) && Math.abs(value) <= 2147483647) return value;
    return reject(value);
}

function boolOf(value: unknown, reject: Reject): boolean | null {
    if (value === null || value === undefined) return null;
    if (typeof value === "boolean") return value;
    if (value === 0 || value === 1) return value === 1;
    return reject(value);
}

function duckType(kind: StageKind): DuckDBType {
    switch (kind) {
        case "number": return DOUBLE;
        case "int": return INTEGER;
        case "bool": return BOOLEAN;
        case "text": return VARCHAR;
    }
}

function bytesPerValue(kind: StageKind): number {
    switch (kind) {
        case "number": return 8;
        case "int": return 4;
        case "bool": return 1;
        case "text": return STRING_RECORD_BYTES;
    }
}

/** The memory under a view the bindings returned (always a plain ArrayBuffer, never shared). */
function bufferOf(view: Uint8Array): ArrayBuffer {
    return view.buffer as ArrayBuffer;
}

/** DuckDB's order of doubles: NaN above everything. */
function doubleGreater(a: number, b: number): boolean {
    if (Number.isNaN(a)) return !Number.isNaN(b);
    return a > b;
}

/** The staged rows of one day: filled data chunks, in arrival order, kept until the day is written. */
interface Stage {
    readonly columns: readonly { readonly name: string; readonly kind: StageKind }[];
    readonly types: readonly DuckDBType[];
    readonly timeColumn: number;
    readonly chunks: { readonly chunk: DuckDBDataChunk; readonly rows: number }[];
    rows: number;
    /** Smallest and largest staged TimeGenerated (epoch ms, DuckDB's order), null while none. */
    minTime: number | null;
    maxTime: number | null;
}

/**
 * Fills the vectors of one data chunk straight from the rows: numbers, integers and booleans into typed arrays
 * copied in with one call per column, nulls into a validity mask. A text column costs one call into DuckDB per
 * distinct string of the chunk: a repeated string reuses the 16-byte string record DuckDB made for its first
 * occurrence (it points into the same vector's string heap, which lives as long as the chunk).
 */
class ChunkFiller {
    private readonly doubles = new Float64Array(CHUNK_ROWS);
    private readonly ints = new Int32Array(CHUNK_ROWS);
    private readonly bools = new Uint8Array(CHUNK_ROWS);
    /** Validity bits, little-endian 64-bit words as DuckDB keeps them. */
    private readonly validity = new Uint32Array(2 * Math.ceil(CHUNK_ROWS / 64));
    /** For a text column: the row whose string record a row repeats, or -1. */
    private readonly repeats = new Int32Array(CHUNK_ROWS);
    private readonly firstRows = new Map<string, number>();
    private readonly rejects: readonly Reject[];
    /** Time range of the chunk being filled. */
    private minTime: number | null = null;
    private maxTime: number | null = null;

    constructor(table: string, private readonly stage: Stage, private readonly bindings: readonly ColumnBinding[]) {
        this.rejects = bindings.map(binding => (value: unknown) => { throw badValue(table, binding.name, value); });
    }

    /** Fills every column of `chunk` from rows[offset, offset + count); throws at the first value of a wrong type. */
    fill(chunk: DuckDBDataChunk, rows: readonly (readonly unknown[])[], offset: number, count: number): void {
        this.minTime = null;
        this.maxTime = null;
        for (let c = 0; c < this.bindings.length; c++) {
            const binding = this.bindings[c];
            const vector = duckdb.data_chunk_get_vector(chunk.chunk, c);
            const validity = this.validity;
            let nulls: number;
            validity.fill(0xffffffff);
            if (binding.source < 0) {
                validity.fill(0);
                nulls = count;
            } else if (binding.kind === "text") {
                nulls = this.fillText(vector, binding.source, rows, offset, count);
            } else {
                nulls = this.fillFixed(vector, c, rows, offset, count);
            }
            if (nulls > 0) {
                duckdb.vector_ensure_validity_writable(vector);
                duckdb.copy_data_to_vector_validity(vector, 0, validity.buffer, 0, 8 * Math.ceil(count / 64));
            }
        }
    }

    private setNull(row: number): void {
        this.validity[row >>> 5] &= ~(1 << (row & 31));
    }

    private fillFixed(vector: Vector, column: number, rows: readonly (readonly unknown[])[], offset: number, count: number): number {
        const { source, kind } = this.bindings[column];
        const reject = this.rejects[column];
        let nulls = 0;
        switch (kind) {
            case "number": {
                const out = this.doubles;
                for (let r = 0; r < count; r++) {
                    const value = numberOf(rows[offset + r][source], reject);
                    if (value === null) {
                        out[r] = 0;
                        this.setNull(r);
                        nulls++;
                    } else {
                        out[r] = value;
                    }
                }
                if (column === this.stage.timeColumn) this.trackTime(out, count);
                duckdb.copy_data_to_vector(vector, 0, out.buffer, 0, count * 8);
                break;
            }
            case "int": {
                const out = this.ints;
                for (let r = 0; r < count; r++) {
                    const value = intOf(rows[offset + r][source], reject);
                    if (value === null) {
                        out[r] = 0;
                        this.setNull(r);
                        nulls++;
                    } else {
                        out[r] = value;
                    }
                }
                duckdb.copy_data_to_vector(vector, 0, out.buffer, 0, count * 4);
                break;
            }
            case "bool": {
                const out = this.bools;
                for (let r = 0; r < count; r++) {
                    const value = boolOf(rows[offset + r][source], reject);
                    if (value === null) {
                        out[r] = 0;
                        this.setNull(r);
                        nulls++;
                    } else {
                        out[r] = value ? 1 : 0;
                    }
                }
                duckdb.copy_data_to_vector(vector, 0, out.buffer, 0, count);
                break;
            }
            case "text":
                throw new Error("text columns are filled by fillText");
        }
        return nulls;
    }

    /** Widens the chunk's time range by the column's non-null values. */
    private trackTime(values: Float64Array, count: number): void {
        const validity = this.validity;
        for (let r = 0; r < count; r++) {
            if ((validity[r >>> 5] & (1 << (r & 31))) === 0) continue;
            const value = values[r];
            if (this.minTime === null || doubleGreater(this.minTime, value)) this.minTime = value;
            if (this.maxTime === null || doubleGreater(value, this.maxTime)) this.maxTime = value;
        }
    }

    /** Adds a filled chunk to the stage, its rows and time range with it. */
    commit(chunk: DuckDBDataChunk, count: number): void {
        const stage = this.stage;
        stage.chunks.push({ chunk, rows: count });
        stage.rows += count;
        const { minTime, maxTime } = this;
        if (minTime !== null && (stage.minTime === null || doubleGreater(stage.minTime, minTime))) stage.minTime = minTime;
        if (maxTime !== null && (stage.maxTime === null || doubleGreater(maxTime, stage.maxTime))) stage.maxTime = maxTime;
    }

    private fillText(vector: Vector, source: number, rows: readonly (readonly unknown[])[], offset: number, count: number): number {
        const firstRows = this.firstRows;
        const repeats = this.repeats;
        firstRows.clear();
        let nulls = 0;
        let repeated = 0;
        let previous: string | null = null;
        let previousRow = -1;
        for (let r = 0; r < count; r++) {
            const text = textOf(rows[offset + r][source]);
            if (text === null) {
                repeats[r] = -1;
                this.setNull(r);
                nulls++;
                continue;
            }
            // Runs of one value (a tenant, a source system) are common: compare with the previous row first.
            let first = text === previous ? previousRow : firstRows.get(text);
            if (first === undefined) {
                firstRows.set(text, r);
                duckdb.vector_assign_string_element(vector, r, text);
                first = r;
                repeats[r] = -1;
            } else {
                repeats[r] = first;
                repeated++;
            }
            previous = text;
            previousRow = first;
        }
        if (repeated > 0) {
            // A copy of the chunk's string records; the repeats get their first occurrence's record.
            const data = duckdb.vector_get_data(vector, count * STRING_RECORD_BYTES);
            const words = new Uint32Array(bufferOf(data), data.byteOffset, count * 4);
            for (let r = 0; r < count; r++) {
                const first = repeats[r];
                if (first < 0) continue;
                words[4 * r] = words[4 * first];
                words[4 * r + 1] = words[4 * first + 1];
                words[4 * r + 2] = words[4 * first + 2];
                words[4 * r + 3] = words[4 * first + 3];
            }
            duckdb.copy_data_to_vector(vector, 0, words.buffer, words.byteOffset, count * STRING_RECORD_BYTES);
        }
        return nulls;
    }
}

/**
 * The table function `shadowit_stage('<stage>')`: the staged rows of a stage, chunk by chunk, with the ordinal
 * column last. Each call copies one held chunk into DuckDB's output chunk (one copy per column); the string
 * records it copies point into the held chunk's string heap, which lives until the stage is dropped, after
 * every query over it has finished.
 */
function stageScanFunction(stages: ReadonlyMap<string, Stage>): DuckDBTableFunction {
    const ordinals = new Uint32Array(2 * CHUNK_ROWS);
    const allValid = new Uint32Array(2 * Math.ceil(CHUNK_ROWS / 64)).fill(0xffffffff);
    return DuckDBTableFunction.create({
        name: SCAN_FUNCTION,
        parameterTypes: [VARCHAR],
        bindFunction: info => {
            const name = String(info.getParameter(0));
            const stage = stages.get(name);
            if (!stage) {
                info.setError(`no staged rows named ${name}`);
                return;
            }
            stage.columns.forEach((column, i) => info.addResultColumn(column.name, stage.types[i]));
            info.addResultColumn(ORDINAL_COLUMN, BIGINT);
            info.setCardinality(stage.rows, true);
            info.setBindData({ stage });
        },
        initFunction: info => info.setInitData({ next: 0, ordinal: 0 }),
        mainFunction: (info, output) => {
            const { stage } = info.bindData as { stage: Stage };
            const state = info.initData as { next: number; ordinal: number };
            const held = stage.chunks[state.next];
            if (!held) {
                output.rowCount = 0;
                return;
            }
            state.next++;
            const count = held.rows;
            output.rowCount = count;
            const validityBytes = 8 * Math.ceil(count / 64);
            for (let c = 0; c < stage.columns.length; c++) {
                const from = duckdb.data_chunk_get_vector(held.chunk.chunk, c);
                const to = duckdb.data_chunk_get_vector(output.chunk, c);
                const data = duckdb.vector_get_data(from, count * bytesPerValue(stage.columns[c].kind));
                duckdb.copy_data_to_vector(to, 0, bufferOf(data), data.byteOffset, data.byteLength);
                const validity = duckdb.vector_get_validity(from, validityBytes);
                if (validity) {
                    duckdb.vector_ensure_validity_writable(to);
                    duckdb.copy_data_to_vector_validity(to, 0, bufferOf(validity), validity.byteOffset, validityBytes);
                } else if (duckdb.vector_get_validity(to, validityBytes)) {
                    duckdb.copy_data_to_vector_validity(to, 0, allValid.buffer, 0, validityBytes);
                }
            }
            // BIGINT ordinals as little-endian (low word, high word) pairs: below 2^53, no BigInt needed.
            for (let r = 0; r < count; r++) {
                const ordinal = state.ordinal + r;
                ordinals[2 * r] = ordinal % 0x100000000;
                ordinals[2 * r + 1] = Math.floor(ordinal / 0x100000000);
            }
            state.ordinal += count;
            duckdb.copy_data_to_vector(duckdb.data_chunk_get_vector(output.chunk, stage.columns.length), 0, ordinals.buffer, 0, count * 8);
        },
    });
}

/**
 * zstd's fastest level: on discovery rows its pages come out no larger than at DuckDB's default level 3 (dictionary
 * and run-length encoding do most of the work before compression), and the file is written faster.
 */
const ZSTD_LEVEL = 1;

/** DuckDB's default rows per Parquet row group, and the fewest this writer puts in one. */
const DEFAULT_ROW_GROUP = 122_880;
const MIN_ROW_GROUP = 16_384;

/**
 * Rows per Parquet row group for a file of `rows` rows. DuckDB encodes row groups in parallel, but a day of a
 * small or mid-sized tenant fits in one default row group, which one thread encodes while the others wait: the day
 * is split evenly over the threads instead (in whole 2,048-row vectors, never below MIN_ROW_GROUP rows), which
 * costs a few percent of file size for the extra row-group metadata.
 */
export function rowGroupSize(rows: number, threads: number): number {
    const share = Math.ceil(rows / Math.max(1, threads) / CHUNK_ROWS) * CHUNK_ROWS;
    return Math.min(DEFAULT_ROW_GROUP, Math.max(MIN_ROW_GROUP, share));
}

/** One DuckDB instance per export run; all calls are serialized by the caller. */
export class DayStore {
    private stageCounter = 0;
    private readonly stages = new Map<string, Stage>();

    private constructor(
        private readonly connection: DuckDBConnection, private readonly instance: DuckDBInstance, private readonly threads: number,
    ) {}

    static async open(): Promise<DayStore> {
        const instance = await DuckDBInstance.create(":memory:");
        const connection = await instance.connect();
        const threads = Number((await connection.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0]);
        const store = new DayStore(connection, instance, Number.isInteger(threads) && threads > 0 ? threads : 1);
        connection.registerTableFunction(stageScanFunction(store.stages));
        return store;
    }

    close(): void {
        for (const stage of [...this.stages.keys()]) this.release(stage);
        this.connection.closeSync();
        this.instance.closeSync();
    }

    /** Creates the (empty) stage of one day and returns its name. */
    async createStage(table: TableSchema): Promise<string> {
        const name = `stage_${++this.stageCounter}`;
        const columns = table.columns.map(c => ({ name: c.name, kind: stageKindOf(c.type) }));
        this.stages.set(name, {
            columns, types: columns.map(c => duckType(c.kind)), timeColumn: columns.findIndex(c => c.name === TIME_COLUMN),
            chunks: [], rows: 0, minTime: null, maxTime: null,
        });
        return name;
    }

    async dropStage(stage: string): Promise<void> {
        this.release(stage);
    }

    private release(name: string): void {
        const stage = this.stages.get(name);
        if (!stage) return;
        this.stages.delete(name);
        // Frees the chunks' string heaps now rather than whenever the garbage collector gets to them.
        for (const held of stage.chunks) held.chunk.reset();
        stage.chunks.length = 0;
    }

    private stage(name: string): Stage {
        const stage = this.stages.get(name);
        if (!stage) throw new Error(`no stage named ${name}: it was dropped or never created`);
        return stage;
    }

    /** The staged rows as a relation, with the arrival ordinal in `__ord`. */
    private scan(stage: string): string {
        return `${SCAN_FUNCTION}(${sqlString(stage)})`;
    }

    /**
     * Converts result rows into data chunks of the stage (see ChunkFiller). A value of the wrong type stops the
     * append with a clear error; the chunks converted before it stay staged.
     */
    async append(stage: string, table: TableSchema, bindings: readonly ColumnBinding[], rows: readonly (readonly unknown[])[]): Promise<void> {
        const staged = this.stage(stage);
        if (bindings.length !== staged.columns.length || bindings.some((b, i) => b.kind !== staged.columns[i].kind)) {
            throw new Error(`the column bindings do not match the stage of ${table.name}`);
        }
        if (rows.length === 0) return;
        const filler = new ChunkFiller(table.name, staged, bindings);
        for (let offset = 0; offset < rows.length; offset += CHUNK_ROWS) {
            const count = Math.min(CHUNK_ROWS, rows.length - offset);
            const chunk = DuckDBDataChunk.create(staged.types, count);
            filler.fill(chunk, rows, offset, count);
            filler.commit(chunk, count);
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
        const staged = this.stage(stage);
        const time = quoteIdent(TIME_COLUMN);
        const start = `epoch_ms(${fresh.start})`;
        const end = `epoch_ms(${fresh.end})`;
        const typed = `(SELECT ${table.columns.map(typedFromStage).join(", ")}, ${ORDINAL_COLUMN} FROM ${this.scan(stage)})`;
        const freshCount = staged.rows;
        if (!existing) {
            if (freshCount === 0) return undefined;
            // A new day file: straight from the staged rows, sorted only when windows arrived out of order.
            const { minTime: min, maxTime: max } = staged;
            const select = table.columns.map(c => outputExpression(c, format)).join(", ");
            const order = ordered ? "" : ` ORDER BY ${time}, ${ORDINAL_COLUMN}`;
            const written = await this.copyOut(`SELECT ${select} FROM ${typed}${order}`, format, target, freshCount);
            return {
                ...written, rows: freshCount, freshRows: freshCount,
                minTime: min !== null ? new Date(min).toISOString() : null,
                maxTime: max !== null ? new Date(max).toISOString() : null,
            };
        }
        // An existing day file: keep its rows outside the span read now, replace those inside it.
        const old = this.existingRelation(table, target, format);
        const existingInSpan = await this.rowsInSpan(table, format, target, fresh);
        if (freshCount < existingInSpan) return undefined;
        const parts = [
            `SELECT *, 1 AS __part FROM ${typed}`,
            `SELECT *, 0 AS ${ORDINAL_COLUMN}, CASE WHEN ${time} < ${start} THEN 0 ELSE 2 END AS __part FROM ${old} WHERE ${time} IS NULL OR ${time} < ${start} OR ${time} >= ${end}`,
        ];
        const merged = `merged_${stage}`;
        await this.connection.run(`CREATE OR REPLACE TEMP TABLE ${merged} AS SELECT * EXCLUDE (__part, ${ORDINAL_COLUMN}) FROM (${parts.join(" UNION ALL BY NAME ")}) ORDER BY __part, ${time}, ${ORDINAL_COLUMN}`);
        try {
            const stats = await this.connection.runAndReadAll(
                `SELECT count(*)::BIGINT, strftime(min(${time}), '${CSV_DATETIME_FORMAT}'), strftime(max(${time}), '${CSV_DATETIME_FORMAT}') FROM ${merged}`,
            );
            const [rowCount, minTime, maxTime] = stats.getRows()[0];
            const select = table.columns.map(c => outputExpression(c, format)).join(", ");
            const written = await this.copyOut(`SELECT ${select} FROM ${merged}`, format, target, Number(rowCount));
            return {
                ...written, rows: Number(rowCount), freshRows: freshCount,
                minTime: typeof minTime === "string" ? minTime : null,
                maxTime: typeof maxTime === "string" ? maxTime : null,
            };
        } finally {
            await this.connection.run(`DROP TABLE IF EXISTS ${merged}`);
        }
    }

    /** Rows of the exported file `target` inside `span`: what a rerun over that span must bring back at least. */
    async rowsInSpan(table: TableSchema, format: ExportFormat, target: string, span: Span): Promise<number> {
        const time = quoteIdent(TIME_COLUMN);
        const old = this.existingRelation(table, target, format);
        try {
            return await this.scalar(`SELECT count(*) FROM ${old} WHERE ${time} >= epoch_ms(${span.start}) AND ${time} < epoch_ms(${span.end})`);
        } catch (error) {
            throw new UserError(
                `cannot read the exported file ${target} back to merge new rows into it (${(error as Error).message.split("\n")[0]}); ` +
                "the file is left as it is: move it away and rerun with --since to refetch that day",
            );
        }
    }

    /** Writes a query's `rows` rows to a temporary file next to `target`, then renames it over `target`. */
    private async copyOut(select: string, format: ExportFormat, target: string, rows: number): Promise<{ bytes: number; sha256: string }> {
        const temp = tempPathFor(target);
        const options = format === "parquet"
            ? `FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL ${ZSTD_LEVEL}, ROW_GROUP_SIZE ${rowGroupSize(rows, this.threads)}`
            : "FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"', ESCAPE '\"'";
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
        return this.stage(stage).maxTime ?? undefined;
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

