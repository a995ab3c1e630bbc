/* eslint-disable powerbi-visuals/non-literal-fs-path -- the companion reads and writes under the folder the user names with --out */
// Day files through DuckDB: the rows of one UTC day are staged as their windows arrive (converted at once into
// the layout of DuckDB's data chunks, held here and scanned by a table function), then merged with the day's existing file (time-range replacement) and written
// to a temporary file that is renamed over the target.
import { createHash } from "node:crypto";
import { createReadStream, promises as fs } from "node:fs";
import { availableParallelism } from "node:os";
import {
    BIGINT, BOOLEAN, DOUBLE, DuckDBDataChunk, DuckDBInstance, DuckDBTableFunction, INTEGER, VARCHAR,
    type DuckDBConnection, type DuckDBType,
} from "@duckdb/node-api";
import duckdb from "@duckdb/node-bindings";
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

const INT_MAX = 2147483647;
/** A whole number written the one way that reads back the same (no sign on zero, no leading zeros, no exponent). */
const CANONICAL_INTEGER = /^-?(0|[1-9][0-9]{0,9})$/;

/**
 * An `int` column's value: a number, or a string holding a whole number in its canonical form (the text is then
 * exactly the number's, so nothing is lost); anything else, or outside 32 bits, stops the export.
 */
function intOf(value: unknown, reject: Reject): number | null {
    if (value === null || value === undefined) return null;
    const number = typeof value === "string" && CANONICAL_INTEGER.test(value) ? Number(value) : value;
    if (typeof number === "number" && Number.isInteger(number) && Math.abs(number) <= INT_MAX) return number;
    return reject(value);
}

function boolOf(value: unknown, reject: Reject): boolean | null {
    if (value === null || value === undefined) return null;
    if (typeof value === "boolean") return value;
    if (value === 0 || value === 1) return value === 1;
    if (value === "true" || value === "false") return value === "true";
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

/**
 * Up to 2,048 staged rows as DuckDB lays out a data chunk: per column, the vector's data (values, or the string
 * records of text) and its validity mask when some rows are null. The scan copies them into DuckDB's vectors.
 */
interface StagedChunk {
    readonly rows: number;
    readonly data: readonly ArrayBuffer[];
    readonly validity: readonly (Uint32Array | null)[];
}

/** The staged rows of one day, in arrival order, kept until the day is written. */
interface Stage {
    readonly columns: readonly { readonly name: string; readonly kind: StageKind }[];
    readonly types: readonly DuckDBType[];
    readonly timeColumn: number;
    readonly chunks: StagedChunk[];
    readonly strings: StageStrings;
    rows: number;
    /** Smallest and largest staged TimeGenerated (epoch ms, DuckDB's order), null while none. */
    minTime: number | null;
    maxTime: number | null;
}

/**
 * Every distinct text of a stage, stored once in DuckDB string vectors of its own ("slots"), with a copy of their
 * 16-byte string records here. A text column's vector then gets the records of its rows' slots in one copy: they
 * point into these vectors' string heaps, which live until the stage is dropped, as do the chunks that use them.
 */
class StageStrings {
    private readonly slots = new Map<string, number>();
    private readonly vectors: DuckDBDataChunk[] = [];
    /** String records by slot: 4 words each, valid below `synced`. */
    private records = new Uint32Array(4 * CHUNK_ROWS);
    private used = 0;
    private synced = 0;

    /** The slot of `text`, stored now if the stage has not seen it. */
    slotOf(text: string): number {
        const known = this.slots.get(text);
        if (known !== undefined) return known;
        const slot = this.used++;
        const within = slot % CHUNK_ROWS;
        if (within === 0) this.vectors.push(DuckDBDataChunk.create([VARCHAR], CHUNK_ROWS));
        duckdb.vector_assign_string_element(duckdb.data_chunk_get_vector(this.vectors[this.vectors.length - 1].chunk, 0), within, text);
        this.slots.set(text, slot);
        return slot;
    }

    /** The string records of every slot, read back from DuckDB for the slots stored since the last call. */
    recordsOfAllSlots(): Uint32Array {
        if (this.synced === this.used) return this.records;
        if (this.records.length < 4 * this.used) {
            const grown = new Uint32Array(Math.max(2 * this.records.length, 4 * this.used));
            grown.set(this.records.subarray(0, 4 * this.synced));
            this.records = grown;
        }
        for (let first = this.synced - (this.synced % CHUNK_ROWS); first < this.used; first += CHUNK_ROWS) {
            const count = Math.min(CHUNK_ROWS, this.used - first);
            const data = duckdb.vector_get_data(duckdb.data_chunk_get_vector(this.vectors[first / CHUNK_ROWS].chunk, 0), count * STRING_RECORD_BYTES);
            this.records.set(new Uint32Array(bufferOf(data), data.byteOffset, count * 4), 4 * first);
        }
        this.synced = this.used;
        return this.records;
    }

    release(): void {
        for (const vector of this.vectors) vector.reset();
        this.vectors.length = 0;
        this.slots.clear();
        this.used = 0;
        this.synced = 0;
    }
}

/**
 * Converts rows into staged chunks: numbers, integers and booleans into typed arrays with a validity mask, text
 * into the string records of its slots in the stage (StageStrings).
 */
class ChunkFiller {
    /** Validity bits, little-endian 64-bit words as DuckDB keeps them. */
    private readonly validity = new Uint32Array(2 * Math.ceil(CHUNK_ROWS / 64));
    /** For a text column: each row's slot in the stage's strings, or -1 for null. */
    private readonly slots = new Int32Array(CHUNK_ROWS);
    private readonly rejects: readonly Reject[];
    /** Time range of the chunk being filled. */
    private minTime: number | null = null;
    private maxTime: number | null = null;

    constructor(table: string, private readonly stage: Stage, private readonly bindings: readonly ColumnBinding[]) {
        this.rejects = bindings.map(binding => (value: unknown) => { throw badValue(table, binding.name, value); });
    }

    /** Converts rows[offset, offset + count); throws at the first value of a wrong type. */
    fill(rows: readonly (readonly unknown[])[], offset: number, count: number): StagedChunk {
        this.minTime = null;
        this.maxTime = null;
        const data: ArrayBuffer[] = [];
        const validities: (Uint32Array | null)[] = [];
        const validity = this.validity;
        const validityWords = 2 * Math.ceil(count / 64);
        for (let c = 0; c < this.bindings.length; c++) {
            const binding = this.bindings[c];
            let nulls: number;
            validity.fill(0xffffffff);
            if (binding.source < 0) {
                validity.fill(0);
                nulls = count;
                data.push(new ArrayBuffer(count * bytesPerValue(binding.kind)));
            } else if (binding.kind === "text") {
                const words = new Uint32Array(4 * count);
                nulls = this.fillText(words, binding.source, rows, offset, count);
                data.push(words.buffer);
            } else {
                const values = new ArrayBuffer(count * bytesPerValue(binding.kind));
                nulls = this.fillFixed(values, c, rows, offset, count);
                data.push(values);
            }
            validities.push(nulls > 0 ? validity.slice(0, validityWords) : null);
        }
        return { rows: count, data, validity: validities };
    }

    private setNull(row: number): void {
        this.validity[row >>> 5] &= ~(1 << (row & 31));
    }

    private fillFixed(values: ArrayBuffer, column: number, rows: readonly (readonly unknown[])[], offset: number, count: number): number {
        const { source, kind } = this.bindings[column];
        const reject = this.rejects[column];
        let nulls = 0;
        switch (kind) {
            case "number": {
                const out = new Float64Array(values);
                for (let r = 0; r < count; r++) {
                    const value = numberOf(rows[offset + r][source], reject);
                    if (value === null) {
                        this.setNull(r);
                        nulls++;
                    } else {
                        out[r] = value;
                    }
                }
                if (column === this.stage.timeColumn) this.trackTime(out, count);
                break;
            }
            case "int": {
                const out = new Int32Array(values);
                for (let r = 0; r < count; r++) {
                    const value = intOf(rows[offset + r][source], reject);
                    if (value === null) {
                        this.setNull(r);
                        nulls++;
                    } else {
                        out[r] = value;
                    }
                }
                break;
            }
            case "bool": {
                const out = new Uint8Array(values);
                for (let r = 0; r < count; r++) {
                    const value = boolOf(rows[offset + r][source], reject);
                    if (value === null) {
                        this.setNull(r);
                        nulls++;
                    } else {
                        out[r] = value ? 1 : 0;
                    }
                }
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
    commit(chunk: StagedChunk): void {
        const stage = this.stage;
        stage.chunks.push(chunk);
        stage.rows += chunk.rows;
        const { minTime, maxTime } = this;
        if (minTime !== null && (stage.minTime === null || doubleGreater(stage.minTime, minTime))) stage.minTime = minTime;
        if (maxTime !== null && (stage.maxTime === null || doubleGreater(maxTime, stage.maxTime))) stage.maxTime = maxTime;
    }

    private fillText(words: Uint32Array, source: number, rows: readonly (readonly unknown[])[], offset: number, count: number): number {
        const strings = this.stage.strings;
        const slots = this.slots;
        let nulls = 0;
        let previous: string | null = null;
        let previousSlot = -1;
        for (let r = 0; r < count; r++) {
            const text = textOf(rows[offset + r][source]);
            if (text === null) {
                slots[r] = -1;
                this.setNull(r);
                nulls++;
                continue;
            }
            // Runs of one value (a tenant, a source system) are common: compare with the previous row first.
            if (text !== previous) {
                previous = text;
                previousSlot = strings.slotOf(text);
            }
            slots[r] = previousSlot;
        }
        const records = strings.recordsOfAllSlots();
        for (let r = 0; r < count; r++) {
            const slot = slots[r];
            if (slot < 0) continue;
            words[4 * r] = records[4 * slot];
            words[4 * r + 1] = records[4 * slot + 1];
            words[4 * r + 2] = records[4 * slot + 2];
            words[4 * r + 3] = records[4 * slot + 3];
        }
        return nulls;
    }
}

/**
 * The table function `shadowit_stage('<stage>')`: the staged rows of a stage, chunk by chunk, with the ordinal
 * column last. Each call copies one staged chunk into DuckDB's output chunk (one copy per column); the string
 * records it copies point into the stage's string vectors, which live until the stage is dropped, after every
 * query over it has finished.
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
            const staged = stage.chunks[state.next];
            if (!staged) {
                output.rowCount = 0;
                return;
            }
            state.next++;
            const count = staged.rows;
            output.rowCount = count;
            const validityBytes = 8 * Math.ceil(count / 64);
            for (let c = 0; c < stage.columns.length; c++) {
                const to = duckdb.data_chunk_get_vector(output.chunk, c);
                const data = staged.data[c];
                duckdb.copy_data_to_vector(to, 0, data, 0, data.byteLength);
                const validity = staged.validity[c];
                if (validity) {
                    duckdb.vector_ensure_validity_writable(to);
                    duckdb.copy_data_to_vector_validity(to, 0, validity.buffer as ArrayBuffer, 0, validityBytes);
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

/**
 * DuckDB's threads for `cores` cores: all but one, which stays with Node's thread. That thread stages rows, parses
 * the service's responses and feeds every chunk of a COPY through the stage's table function, a scan DuckDB runs
 * on one thread; a DuckDB thread that competes with it for a core slows the whole write.
 */
export function duckdbThreads(cores: number): number {
    return Math.max(1, Math.floor(cores) - 1);
}

/** One DuckDB instance per export run; all calls are serialized by the caller. */
export class DayStore {
    private stageCounter = 0;
    private readonly stages = new Map<string, Stage>();

    private constructor(
        private readonly connection: DuckDBConnection, private readonly instance: DuckDBInstance, private readonly threads: number,
    ) {}

    static async open(): Promise<DayStore> {
        const instance = await DuckDBInstance.create(":memory:", { threads: String(duckdbThreads(availableParallelism())) });
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
            chunks: [], strings: new StageStrings(), rows: 0, minTime: null, maxTime: null,
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
        stage.chunks.length = 0;
        stage.strings.release();
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
            filler.commit(filler.fill(rows, offset, Math.min(CHUNK_ROWS, rows.length - offset)));
        }
    }

    /**
     * An exported day file as a relation, by column name: the schema's columns typed as the schema says, and the
     * columns of the file that the schema no longer has (an earlier run's workspace had them) kept as they are,
     * after the schema's (`kept`). A schema column the file lacks is left to the union (null in the old rows).
     */
    private async existingRelation(table: TableSchema, file: string, format: ExportFormat): Promise<{ relation: string; kept: string[] }> {
        if (format === "parquet") {
            const source = `read_parquet(${sqlString(file)})`;
            const names = new Set(table.columns.map(c => c.name));
            const kept = (await this.columnNames(source)).filter(name => !names.has(name));
            return { relation: `(SELECT * FROM ${source})`, kept };
        }
        // The writer tells an empty string (`""`) from a null (a bare empty field); reading back keeps them apart,
        // so that a merged file has the same bytes as a clean export's. Every value is read as its text.
        const source = `read_csv(${sqlString(file)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"', ` +
            "allow_quoted_nulls = false)";
        const headers = await this.columnNames(source);
        const byHeader = new Map(table.columns.map(c => [csvHeaderName(c), c]));
        const typed = headers.map(header => {
            const column = byHeader.get(header);
            return column ? typedFromCsv(column) : quoteIdent(header);
        });
        const kept = headers.filter(header => !byHeader.has(header));
        return { relation: `(SELECT ${typed.join(", ")} FROM ${source})`, kept };
    }

    private async columnNames(source: string): Promise<string[]> {
        const described = await this.connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
        return described.getRows().map(row => String(row[0]));
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
        const { relation: old, kept } = await this.existingRelation(table, target, format);
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
            const select = [...table.columns.map(c => outputExpression(c, format)), ...kept.map(quoteIdent)].join(", ");
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
        try {
            const { relation: old } = await this.existingRelation(table, target, format);
            return await this.scalar(`SELECT count(*) FROM ${old} WHERE ${time} >= epoch_ms(${span.start}) AND ${time} < epoch_ms(${span.end})`);
        } catch (error) {
            throw new UserError(
                `cannot read the exported file ${target} back to merge new rows into it (${(error as Error).message.split("\n")[0]}); ` +
                "the file is left as it is: move it away and rerun with --since to refetch that day",
            );
        }
    }

    /** Rows, TimeGenerated range, size and hash of an exported day file, read from the file itself. */
    async fileStats(table: TableSchema, format: ExportFormat, target: string): Promise<Omit<WrittenDay, "freshRows" | "kept">> {
        const time = quoteIdent(TIME_COLUMN);
        let row: unknown[];
        try {
            // Inside the try: a file that cannot be read fails already when its columns are listed.
            const { relation: old } = await this.existingRelation(table, target, format);
            const stats = await this.connection.runAndReadAll(
                `SELECT count(*)::BIGINT, strftime(min(${time}), '${CSV_DATETIME_FORMAT}'), strftime(max(${time}), '${CSV_DATETIME_FORMAT}') FROM ${old}`,
            );
            row = stats.getRows()[0];
        } catch (error) {
            throw new UserError(
                `cannot read the exported file ${target} to check the manifest against it (${(error as Error).message.split("\n")[0]}); ` +
                "nothing was changed: move the file away and rerun with --since to refetch that day",
            );
        }
        const [rowCount, minTime, maxTime] = row;
        return {
            ...await hashFile(target), rows: Number(rowCount),
            minTime: typeof minTime === "string" ? minTime : null, maxTime: typeof maxTime === "string" ? maxTime : null,
        };
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

