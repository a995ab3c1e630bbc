// The rows of one UTC day, staged as their windows arrive: converted at once into the layout of DuckDB's data
// chunks (typed arrays, validity masks, string records) and held here until the day is written.
import { DOUBLE, BOOLEAN, DuckDBDataChunk, INTEGER, VARCHAR, type DuckDBType } from "@duckdb/node-api";
import duckdb from "@duckdb/node-bindings";
import type { TableSchema } from "../../schema.ts";
import { TIME_COLUMN } from "../tables.ts";
import { stageKindOf, type StageKind } from "./columns.ts";
import { badValue, boolOf, intOf, numberOf, textOf, type Reject } from "./stage-values.ts";

/** Rows per data chunk: DuckDB's vector size, the most a chunk holds. */
export const CHUNK_ROWS = 2048;
/** Size of DuckDB's string record (duckdb_string_t) in a VARCHAR vector. */
const STRING_RECORD_BYTES = 16;

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
export interface StagedChunk {
    readonly rows: number;
    readonly data: readonly ArrayBuffer[];
    readonly validity: readonly (Uint32Array | null)[];
}

/** The staged rows of one day, in arrival order, kept until the day is written. */
export interface Stage {
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

/** A stage of `table`'s columns with no rows yet. */
export function emptyStage(table: TableSchema): Stage {
    const columns = table.columns.map(c => ({ name: c.name, kind: stageKindOf(c.type) }));
    return {
        columns, types: columns.map(c => duckType(c.kind)), timeColumn: columns.findIndex(c => c.name === TIME_COLUMN),
        chunks: [], strings: new StageStrings(), rows: 0, minTime: null, maxTime: null,
    };
}

/**
 * Converts result rows into data chunks of the stage (see ChunkFiller). A value of the wrong type stops with a
 * clear error; the chunks converted before it stay staged.
 */
export function stageRows(stage: Stage, table: TableSchema, bindings: readonly ColumnBinding[], rows: readonly (readonly unknown[])[]): void {
    if (bindings.length !== stage.columns.length || bindings.some((b, i) => b.kind !== stage.columns[i].kind)) {
        throw new Error(`the column bindings do not match the stage of ${table.name}`);
    }
    if (rows.length === 0) return;
    const filler = new ChunkFiller(table.name, stage, bindings);
    for (let offset = 0; offset < rows.length; offset += CHUNK_ROWS) {
        filler.commit(filler.fill(rows, offset, Math.min(CHUNK_ROWS, rows.length - offset)));
    }
}

/** Frees the chunks' string heaps now rather than whenever the garbage collector gets to them. */
export function releaseStage(stage: Stage): void {
    stage.chunks.length = 0;
    stage.strings.release();
}
