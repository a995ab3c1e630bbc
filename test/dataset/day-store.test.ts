// DayStore end to end: SDK-shaped rows (Date objects for datetime, parsed values for dynamic) are staged, written
// to Parquet or CSV, and read back with a separate DuckDB instance; every value, type, null and the row order
// must come back exactly as the rows gave them.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { UserError } from "../../src/dataset/errors.ts";
import { DayStore, duckdbThreads, rowGroupSize } from "../../src/dataset/export/day-store.ts";
import { bindColumns } from "../../src/dataset/export/stage.ts";
import { MCAS_SHADOW_IT_REPORTING, type TableSchema } from "../../src/schema.ts";

/** Every staging kind: datetime and long (doubles), real, int, bool, string, dynamic. */
const ALL_KINDS: TableSchema = {
    name: "AllKinds",
    columns: [
        { name: "TimeGenerated", type: "datetime" },
        { name: "Name", type: "string" },
        { name: "Details", type: "dynamic" },
        { name: "Count", type: "long" },
        { name: "Ratio", type: "real" },
        { name: "Code", type: "int" },
        { name: "Enabled", type: "bool" },
        { name: "SeenAt", type: "datetime" },
    ],
};
const RESULT_COLUMNS = ALL_KINDS.columns.map(c => ({ name: c.name, type: c.type }));

const DAY = Date.UTC(2026, 9, 26);
const HOUR = 3_600_000;
const SPAN = { start: DAY, end: DAY + 24 * HOUR };

function sqlString(text: string): string {
    return `'${text.replace(/'/g, "''")}'`;
}

/** Strings a workspace may hold: markup, quotes, separators, control characters, every UTF-8 length. */
const HOSTILE = [
    "", " ", "a", "twelve bytes", "thirteen byte", "comma, separated, \"quoted\"", "semi;colon\ttab",
    "line one\nline two\r\nline three", "<script>alert('x')</script>", "O'Brien \\ backslash", "'single' \"double\" `back`",
    "NULL", "null", "\\N", "ünïcödé ß 中文 العربية", "emoji 🎉👩‍💻 flags 🇫🇷", "🎉", "\u0001\u001f control", "x".repeat(10_000),
    "é".repeat(6), "é".repeat(7), "long repeated value that does not fit inline in a string record",
];

/** Realistic and hostile rows: 5,000 rows over several chunks, repeated and unique strings, nulls in every column. */
function hostileRows(count: number, startMs: number): unknown[][] {
    const rows: unknown[][] = [];
    for (let i = 0; i < count; i++) {
        const text = i % 7 === 0 ? `unique ${i} ${"y".repeat(i % 40)}` : HOSTILE[i % HOSTILE.length];
        rows.push([
            i % 97 === 13 ? null : new Date(startMs + i * 1_000),
            i % 31 === 5 ? null : text,
            i % 11 === 0 ? null : i % 3 === 0 ? ["sanctioned", text] : i % 3 === 1 ? { nested: { text, n: i } } : i % 6 === 2 ? [] : [i, null, text],
            i % 17 === 0 ? null : i % 5 === 0 ? 9_007_199_254_740_991 - i : i % 5 === 1 ? -i : i * 1_000_003,
            i % 19 === 0 ? null : i % 4 === 0 ? 0.1 * i : i % 4 === 1 ? -1.5e300 : i % 4 === 2 ? 5e-324 : i / 7,
            i % 23 === 0 ? null : i % 2 === 0 ? 2_147_483_647 - i : -2_147_483_647 + i,
            i % 29 === 0 ? null : i % 2 === 0,
            i % 13 === 0 ? null : new Date(startMs - i * 60_000),
        ]);
    }
    return rows;
}

/** What the file must hold for a row, in the form `readBack` gives: timestamps in epoch ms, BIGINT as bigint. */
function expected(row: readonly unknown[]): unknown[] {
    const [time, name, details, count, ratio, code, enabled, seen] = row;
    return [
        time === null ? null : (time as Date).getTime(),
        name,
        details === null ? null : JSON.stringify(details),
        count === null ? null : BigInt(count as number),
        ratio,
        code,
        enabled,
        seen === null ? null : (seen as Date).getTime(),
    ];
}

async function readBack(connection: DuckDBConnection, file: string): Promise<unknown[][]> {
    const result = await connection.runAndReadAll(
        `SELECT epoch_ms(TimeGenerated)::DOUBLE, Name, Details, Count, Ratio, Code, Enabled, epoch_ms(SeenAt)::DOUBLE FROM read_parquet(${sqlString(file)})`,
    );
    return result.getRowsJS();
}

async function describeFile(connection: DuckDBConnection, file: string): Promise<string[]> {
    const result = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`);
    return result.getRowObjectsJS().map(r => `${String(r.column_name)} ${String(r.column_type)}`);
}

describe("DayStore", () => {
    let store: DayStore;
    let reader: DuckDBInstance;
    let connection: DuckDBConnection;
    let work: string;

    before(async () => {
        store = await DayStore.open();
        reader = await DuckDBInstance.create(":memory:");
        connection = await reader.connect();
        work = mkdtempSync(path.join(os.tmpdir(), "shadowit-day-store-"));
    });

    after(() => {
        store.close();
        connection.closeSync();
        reader.closeSync();
        rmSync(work, { recursive: true, force: true });
    });

    async function writeNew(rows: readonly (readonly unknown[])[][], file: string, ordered: boolean, table = ALL_KINDS) {
        const stage = await store.createStage(table);
        try {
            for (const piece of rows) await store.append(stage, table, bindColumns(table, table === ALL_KINDS ? RESULT_COLUMNS : table.columns), piece);
            const written = await store.writeDay(stage, table, file.endsWith(".csv") ? "csv" : "parquet", file, SPAN, false, ordered);
            return { written, maxStaged: await store.maxStagedTime(stage) };
        } finally {
            await store.dropStage(stage);
        }
    }

    it("writes hostile and realistic rows to Parquet with every value, type and null as given, in arrival order", async () => {
        const rows = hostileRows(5_000, DAY + HOUR);
        const file = path.join(work, "hostile.parquet");
        const { written, maxStaged } = await writeNew([rows.slice(0, 1_234), rows.slice(1_234)], file, true);
        assert.ok(written);
        assert.equal(written.rows, 5_000);
        assert.equal(written.freshRows, 5_000);
        const times = rows.map(r => r[0]).filter((t): t is Date => t instanceof Date).map(t => t.getTime());
        assert.equal(written.minTime, new Date(Math.min(...times)).toISOString());
        assert.equal(written.maxTime, new Date(Math.max(...times)).toISOString());
        assert.equal(maxStaged, Math.max(...times));
        assert.deepEqual(await describeFile(connection, file), [
            "TimeGenerated TIMESTAMP", "Name VARCHAR", "Details VARCHAR", "Count BIGINT", "Ratio DOUBLE", "Code INTEGER", "Enabled BOOLEAN", "SeenAt TIMESTAMP",
        ]);
        const back = await readBack(connection, file);
        assert.equal(back.length, rows.length);
        for (let i = 0; i < rows.length; i++) assert.deepEqual(back[i], expected(rows[i]), `row ${i}`);
        assert.ok(back.some(r => r[1] === "x".repeat(10_000)));
        assert.ok(back.some(r => r[1] === "") && back.some(r => r[1] === null), "empty strings and nulls stay apart");
    });

    it("stores each distinct text once per stage, across appends and past one 2,048-text vector", async () => {
        // 5,000 distinct names (inline and out-of-line records) over three appends, each later append reusing texts
        // an earlier one stored in an earlier vector, in a different order.
        const names = Array.from({ length: 5_000 }, (_, i) => i % 2 === 0 ? `u${i}` : `user.number.${i}@contoso.example`);
        const piece = (count: number, step: number, start: number) => hostileRows(count, DAY + start * 1_000)
            .map((row, i) => [row[0], i % 41 === 3 ? null : names[(i * step) % names.length], ...row.slice(2)]);
        const pieces = [piece(5_000, 1, 0), piece(4_100, 7, 5_000), piece(3_000, 13, 9_100)];
        const file = path.join(work, "strings.parquet");
        const { written } = await writeNew(pieces, file, true);
        assert.equal(written?.rows, 12_100);
        const back = await readBack(connection, file);
        assert.deepEqual(back.map(r => r[1]), pieces.flat().map(r => r[1]));
    });

    it("leaves one core to Node's thread, which feeds DuckDB's scan of the stage", () => {
        assert.deepEqual([1, 2, 3, 8, 64].map(duckdbThreads), [1, 1, 2, 7, 63]);
    });

    it("splits a day file into row groups that all of DuckDB's threads encode, in row order", async () => {
        assert.equal(rowGroupSize(33_000, 2), 18_432, "two groups of whole 2,048-row vectors");
        assert.equal(rowGroupSize(1_000, 8), 16_384, "never below 16,384 rows");
        assert.equal(rowGroupSize(10_000_000, 8), 122_880, "never above DuckDB's default");
        assert.equal(rowGroupSize(40_000, 1), 40_960, "one thread: one group");
        const rows = hostileRows(40_000, DAY + HOUR);
        const file = path.join(work, "row-groups.parquet");
        await writeNew([rows], file, true);
        const threads = duckdbThreads(os.availableParallelism());
        const groups = (await connection.runAndReadAll(
            `SELECT row_group_id, any_value(row_group_num_rows) FROM parquet_metadata(${sqlString(file)}) GROUP BY row_group_id ORDER BY row_group_id`,
        )).getRows().map(([, n]) => Number(n));
        const size = rowGroupSize(40_000, threads);
        assert.deepEqual(groups, Array.from({ length: Math.ceil(40_000 / size) }, (_, i) => Math.min(size, 40_000 - i * size)));
        const back = await readBack(connection, file);
        for (let i = 0; i < rows.length; i += 997) assert.deepEqual(back[i], expected(rows[i]), `row ${i}`);
    });

    it("sorts by TimeGenerated, arrival order breaking ties, when windows arrived out of order", async () => {
        const later = hostileRows(3_000, DAY + 12 * HOUR);
        const earlier = hostileRows(2_500, DAY + HOUR).map(r => [r[0] === null ? null : new Date(DAY + 12 * HOUR), ...r.slice(1)]);
        const file = path.join(work, "unordered.parquet");
        const { written } = await writeNew([later, earlier], file, false);
        assert.equal(written?.rows, 5_500);
        const arrival = [...later, ...earlier].map((row, index) => ({ row, index }));
        // DuckDB sorts NULLs last; equal times keep their arrival order.
        arrival.sort((a, b) => {
            const ta = a.row[0] === null ? Infinity : (a.row[0] as Date).getTime();
            const tb = b.row[0] === null ? Infinity : (b.row[0] as Date).getTime();
            return ta - tb || a.index - b.index;
        });
        const back = await readBack(connection, file);
        assert.deepEqual(back, arrival.map(a => expected(a.row)));
    });

    it("writes the same values to CSV, quoted so that separators, quotes and newlines survive", async () => {
        const rows = hostileRows(2_600, DAY + HOUR);
        const file = path.join(work, "hostile.csv");
        const { written } = await writeNew([rows], file, true);
        assert.equal(written?.rows, rows.length);
        const result = await connection.runAndReadAll(
            `SELECT "TimeGenerated [UTC]", Name, Details, Count, Code, Enabled FROM read_csv(${sqlString(file)}, header = true, all_varchar = true, ` +
            `delim = ',', quote = '"', escape = '"')`,
        );
        const back = result.getRowsJS();
        assert.equal(back.length, rows.length);
        for (let i = 0; i < rows.length; i++) {
            const [time, name, details, count, , code, enabled] = rows[i];
            assert.deepEqual(back[i], [
                time === null ? null : (time as Date).toISOString(),
                // DuckDB's CSV reader reads an empty field as NULL: the file itself keeps "" apart from nothing.
                name === "" ? null : name,
                details === null ? null : JSON.stringify(details),
                count === null ? null : String(count),
                code === null ? null : String(code),
                enabled === null ? null : String(enabled),
            ], `row ${i}`);
        }
    });

    it("keeps guid, timespan and decimal columns as the text the service sends, in Parquet and CSV", async () => {
        const table: TableSchema = {
            name: "OtherKinds",
            columns: [
                { name: "TimeGenerated", type: "datetime" }, { name: "Id", type: "guid" }, { name: "Took", type: "timespan" }, { name: "Price", type: "decimal" },
            ],
        };
        const rows = [
            [new Date(DAY + HOUR), "5a3e7c1d-9b42-4f08-8d6e-2c71b0a4e915", "00:01:30.5000000", "12345678901234567890.125"],
            [new Date(DAY + 2 * HOUR), null, "1.02:03:04", 0.1],
        ];
        for (const format of ["parquet", "csv"] as const) {
            const file = path.join(work, `other-kinds.${format}`);
            const { written } = await writeNew([rows], file, true, table);
            assert.equal(written?.rows, 2);
            const source = format === "parquet" ? `read_parquet(${sqlString(file)})` : `read_csv(${sqlString(file)}, header = true, all_varchar = true)`;
            const back = (await connection.runAndReadAll(`SELECT Id, Took, Price FROM ${source}`)).getRowsJS();
            assert.deepEqual(back, [
                ["5a3e7c1d-9b42-4f08-8d6e-2c71b0a4e915", "00:01:30.5000000", "12345678901234567890.125"],
                [null, "1.02:03:04", "0.1"],
            ], format);
        }
    });

    it("converts what the SDK may hand over: numeric strings, invalid dates, 0/1 booleans, missing result columns", async () => {
        const table = ALL_KINDS;
        const stage = await store.createStage(table);
        const file = path.join(work, "coerced.parquet");
        try {
            // The result lacks SeenAt: that column stays null.
            const bindings = bindColumns(table, RESULT_COLUMNS.slice(0, 7));
            await store.append(stage, table, bindings, [
                // An int column may hold a whole number as its canonical text (AppId "15600" where int was expected).
                [new Date(DAY + HOUR), 42, "plain text dynamic", " 123 ", "2.5", "7", 1],
                [new Date(Number.NaN), true, null, 2 ** 53, -0.25, "-2147483647", "false"],
                [String(DAY + 2 * HOUR), null, "\"quoted\"", "1e3", Number.MAX_VALUE, 0, false],
            ]);
            const written = await store.writeDay(stage, table, "parquet", file, SPAN, false, true);
            assert.equal(written?.rows, 3);
            assert.equal(written?.maxTime, new Date(DAY + 2 * HOUR).toISOString());
        } finally {
            await store.dropStage(stage);
        }
        assert.deepEqual(await readBack(connection, file), [
            [DAY + HOUR, "42", "plain text dynamic", 123n, 2.5, 7, true, null],
            [null, "true", null, 9_007_199_254_740_992n, -0.25, -2_147_483_647, false, null],
            [DAY + 2 * HOUR, null, "\"quoted\"", 1000n, Number.MAX_VALUE, 0, false, null],
        ]);
    });

    for (const [column, value, shown] of [
        ["Count", "twelve", "string: \"twelve\""],
        ["Count", { bytes: 1 }, "object: {\"bytes\":1}"],
        ["Ratio", "", "string: \"\""],
        ["Code", 1.5, "number: 1.5"],
        ["Code", 2_147_483_648, "number: 2147483648"],
        ["Code", "07", "string: \"07\""],
        ["Code", "7.0", "string: \"7.0\""],
        ["Code", "2147483648", "string: \"2147483648\""],
        ["Enabled", "yes", "string: \"yes\""],
        ["Enabled", 2, "number: 2"],
        ["TimeGenerated", "yesterday", "string: \"yesterday\""],
    ] as const) {
        it(`stops with a clear error for ${shown} in ${column}`, async () => {
            const stage = await store.createStage(ALL_KINDS);
            try {
                const rows = hostileRows(3_000, DAY + HOUR);
                const index = ALL_KINDS.columns.findIndex(c => c.name === column);
                rows[2_500][index] = value;
                await assert.rejects(
                    store.append(stage, ALL_KINDS, bindColumns(ALL_KINDS, RESULT_COLUMNS), rows),
                    (error: unknown) => error instanceof UserError
                        && error.message === `AllKinds: column ${column} holds a value of an unexpected type (${shown}); the export stops rather than write it wrongly`,
                );
            } finally {
                await store.dropStage(stage);
            }
        });
    }

    it("refuses a long beyond BIGINT when writing, and leaves no file behind", async () => {
        const rows = hostileRows(10, DAY + HOUR);
        rows[4][3] = 1e20;
        const file = path.join(work, "overflow.parquet");
        await assert.rejects(writeNew([rows], file, true), /out of range|Conversion/i);
        assert.equal(existsSync(file), false);
        assert.deepEqual(readdirSync(work).filter(n => n.startsWith("overflow")), []);
    });

    it("merges into an existing day file: rows outside the span stay, rows inside are replaced", async () => {
        const file = path.join(work, "merge.parquet");
        const first = hostileRows(3_000, DAY);
        await writeNew([first], file, true);
        const span = { start: DAY + 30 * 60_000, end: DAY + 24 * HOUR };
        const fresh = hostileRows(2_100, span.start).filter(r => r[0] !== null);
        const stage = await store.createStage(ALL_KINDS);
        let written;
        try {
            await store.append(stage, ALL_KINDS, bindColumns(ALL_KINDS, RESULT_COLUMNS), fresh);
            written = await store.writeDay(stage, ALL_KINDS, "parquet", file, span, true, true);
        } finally {
            await store.dropStage(stage);
        }
        const before = first.filter(r => r[0] !== null && (r[0] as Date).getTime() < span.start);
        const timeless = first.filter(r => r[0] === null);
        assert.ok(before.length > 1_000 && before.length < first.length - timeless.length, "the span cuts the old rows");
        assert.equal(written?.rows, before.length + fresh.length + timeless.length);
        assert.equal(written?.freshRows, fresh.length);
        const back = await readBack(connection, file);
        // Old rows before the span, the fresh rows, then old rows without a time (in no defined order among themselves).
        assert.deepEqual(back.slice(0, before.length + fresh.length), [...before, ...fresh].map(expected));
        const byText = (a: unknown[], b: unknown[]) => String(a).localeCompare(String(b));
        assert.deepEqual(back.slice(before.length + fresh.length).sort(byText), timeless.map(expected).sort(byText));
    });

    it("keeps the existing file when the rerun brought fewer rows for the span", async () => {
        const file = path.join(work, "keep.parquet");
        await writeNew([hostileRows(100, DAY + HOUR)], file, true);
        const stage = await store.createStage(ALL_KINDS);
        try {
            await store.append(stage, ALL_KINDS, bindColumns(ALL_KINDS, RESULT_COLUMNS), hostileRows(10, DAY + HOUR));
            assert.equal(await store.writeDay(stage, ALL_KINDS, "parquet", file, SPAN, true, true), undefined);
        } finally {
            await store.dropStage(stage);
        }
        assert.equal((await readBack(connection, file)).length, 100);
    });

    it("writes nothing for an empty stage, and a dropped stage is gone", async () => {
        const stage = await store.createStage(MCAS_SHADOW_IT_REPORTING);
        await store.append(stage, MCAS_SHADOW_IT_REPORTING, bindColumns(MCAS_SHADOW_IT_REPORTING, MCAS_SHADOW_IT_REPORTING.columns), []);
        const file = path.join(work, "empty.parquet");
        assert.equal(await store.writeDay(stage, MCAS_SHADOW_IT_REPORTING, "parquet", file, SPAN, false, true), undefined);
        assert.equal(await store.maxStagedTime(stage), undefined);
        assert.equal(existsSync(file), false);
        await store.dropStage(stage);
        await assert.rejects(store.append(stage, MCAS_SHADOW_IT_REPORTING, bindColumns(MCAS_SHADOW_IT_REPORTING, MCAS_SHADOW_IT_REPORTING.columns), [[]]), /no stage named/);
    });
});
