// Incremental exports (watermark, overlap, late rows, legitimate repeats) and untrustworthy manifests.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { runExport } from "../../src/dataset/export/index.ts";
import type { Manifest } from "../../src/dataset/export/manifest.ts";
import { assertExportMatches, exportedFigures, sum } from "./export-helpers.ts";
import { DAY, END, exportOptions, exportTarget, HOUR, iso, MINUTE, NOW, readManifest, rejectsWithUserError, suiteEmulator, TABLE } from "./export-setup.ts";

function fingerprint(folder: string): Record<string, string> {
    const out: Record<string, string> = {};
    const walk = (dir: string) => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(full);
            else out[path.relative(folder, full)] = createHash("sha256").update(readFileSync(full)).digest("hex");
        }
    };
    walk(folder);
    return out;
}

/** A discovery row like the sample's, at a given time. */
function row(time: number, n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        TenantId: "5a3e7c1d-9b42-4f08-8d6e-2c71b0a4e915", SourceSystem: "Azure", TimeGenerated: new Date(time),
        StreamName: "Late firewall", TotalEvents: 10 + n, BlockedEvents: n % 3, UploadedBytes: 1000 + n, TotalBytes: 5000 + 7 * n,
        DownloadedBytes: 4000 + 6 * n, IpAddress: `10.9.0.${n % 250}`, UserName: `late${n}@contoso.example`,
        EnrichedUserName: `Late User ${n}`, AppName: "Dropbox", AppId: 11627, AppCategory: "Cloud storage",
        AppTags: ["unsanctioned"], AppScore: 6, Type: TABLE, ...overrides,
    };
}

describe("export: incremental runs", () => {
    const running = suiteEmulator({ rows: 4000, seed: 23, days: 5 });

    it("adds only new rows on a second run: late rows inside the overlap once, legitimate repeats kept", async () => {
        const emulator = running();
        const { out, folder } = exportTarget(emulator, "export-incremental");
        const start = END - 3 * DAY;
        const first = await runExport(exportOptions(emulator, out, { since: iso(start) }));
        await assertExportMatches(emulator, folder, start, END);
        const watermark = Date.parse(first.tables[0].watermark ?? "");
        assert.ok(watermark < END && watermark > END - HOUR);
        const filesBefore = fingerprint(folder);

        // Rows that arrive late with times just before the watermark (inside the 15-minute overlap), an exact
        // repeat of a row already exported (it must stay twice), and new rows after the first run's end.
        const [lastRow] = await emulator.query(`SELECT * FROM ${TABLE} WHERE TimeGenerated = (SELECT max(TimeGenerated) FROM ${TABLE}) LIMIT 1`);
        const repeat = { ...lastRow, TimeGenerated: new Date(watermark), AppTags: JSON.parse(String(lastRow.AppTags)) };
        const late = Array.from({ length: 25 }, (_, i) => row(watermark - 5 * MINUTE + i * 1000, i));
        const fresh = Array.from({ length: 60 }, (_, i) => row(END + i * 45_000, 100 + i));
        await emulator.appendRows(TABLE, [...late, repeat, ...fresh]);

        const second = await runExport(exportOptions(emulator, out));
        const figures = await assertExportMatches(emulator, folder, start, END + HOUR);
        const [{ n: reread }] = await emulator.query(`SELECT count(*)::BIGINT AS n FROM ${TABLE} WHERE TimeGenerated >= epoch_ms(${watermark + 1 - 15 * MINUTE})`);
        assert.equal(second.tables[0].rows, Number(reread), "the second run reads only the overlap and what is new");
        assert.ok(sum(figures, "rows") > sum(figures, "distinct"), "the repeated row is kept twice");
        const filesAfter = fingerprint(folder);
        const changed = Object.keys(filesAfter).filter(name => name.endsWith(".parquet") && filesAfter[name] !== filesBefore[name]);
        const touchedDays = new Set([iso(watermark - 15 * MINUTE).slice(0, 10), iso(END).slice(0, 10), iso(END + HOUR - 1).slice(0, 10)]);
        for (const name of changed) assert.ok(touchedDays.has(path.basename(name, ".parquet")), `${name} was rewritten although its day was not re-read`);

        // A third run right away changes nothing.
        const third = await runExport(exportOptions(emulator, out));
        assert.ok(third.tables[0].rows <= second.tables[0].rows);
        await assertExportMatches(emulator, folder, start, END + HOUR);
        assert.equal(readManifest(folder).tables[TABLE].covered?.start, iso(start));
    });

    it("keeps exported history when the workspace no longer returns it (retention)", async () => {
        const emulator = running();
        const { out, folder } = exportTarget(emulator, "export-retention");
        const start = END - 4 * DAY;
        await runExport(exportOptions(emulator, out, { since: iso(start), until: iso(END - 3 * DAY) }));
        const before = fingerprint(folder);
        const beforeFigures = await exportedFigures(folder, TABLE, "parquet");
        // The workspace forgets the earlier half of the first day's exported rows (whatever the hour the range starts
        // at, so that the day still returns some rows and its file holds more).
        const firstDay = `TimeGenerated >= epoch_ms(${start}) AND TimeGenerated < epoch_ms(${(Math.floor(start / DAY) + 1) * DAY})`;
        const countFirstDay = async () => Number((await emulator.query(`SELECT count(*)::BIGINT AS n FROM ${TABLE} WHERE ${firstDay}`))[0].n);
        const held = await countFirstDay();
        await emulator.query(`DELETE FROM ${TABLE} WHERE ${firstDay} AND TimeGenerated < (SELECT quantile_disc(TimeGenerated, 0.5) FROM ${TABLE} WHERE ${firstDay})`);
        const left = await countFirstDay();
        assert.ok(left > 0 && left < held, `the workspace still returns ${left} of the ${held} rows of the first day`);
        const summary = await runExport(exportOptions(emulator, out, { since: iso(start), until: iso(END - 3 * DAY) }));
        assert.deepEqual(summary.tables[0].keptDays, [iso(start).slice(0, 10)]);
        assert.deepEqual(Object.fromEntries(await exportedFigures(folder, TABLE, "parquet")), Object.fromEntries(beforeFigures));
        const after = fingerprint(folder);
        for (const [name, hash] of Object.entries(before)) if (name.endsWith(".parquet")) assert.equal(after[name], hash);

        // Then it forgets the whole day: the file is still kept, and the run still says so.
        await emulator.query(`DELETE FROM ${TABLE} WHERE ${firstDay}`);
        assert.equal(await countFirstDay(), 0);
        const notes: string[] = [];
        const emptied = await runExport(exportOptions(emulator, out, { since: iso(start), until: iso(END - 3 * DAY) }),
            { stderr: { write: (text: string) => { notes.push(text); return true; }, isTTY: false }, env: {} });
        assert.deepEqual(emptied.tables[0].keptDays, [iso(start).slice(0, 10)]);
        assert.match(notes.join(""), new RegExp(`${iso(start).slice(0, 10)}: the workspace returned fewer rows than`));
        const afterEmptied = fingerprint(folder);
        for (const [name, hash] of Object.entries(before)) if (name.endsWith(".parquet")) assert.equal(afterEmptied[name], hash);
    });
});

describe("export: manifests that cannot be trusted", () => {
    const running = suiteEmulator({ rows: 1500, seed: 31, days: 3 });

    it("refuses a corrupt or foreign manifest, names it, and changes nothing", async () => {
        const emulator = running();
        const { out, folder } = exportTarget(emulator, "export-corrupt");
        await runExport(exportOptions(emulator, out, { since: iso(END - 2 * DAY), until: iso(END) }));
        const manifestPath = path.join(folder, "manifest.json");
        const valid = readFileSync(manifestPath, "utf8");
        const variants = [
            ["{\"kind\": \"shadowit-export\", \"version\": 1, \"tables\": {", /not valid JSON/],
            [JSON.stringify({ ...JSON.parse(valid), workspaceId: "11111111-2222-4333-8444-555555555555" }), /belongs to workspace 11111111-2222-4333-8444-555555555555/],
            [JSON.stringify({ ...JSON.parse(valid), tables: { [TABLE]: { format: "parquet", files: "all of them" } } }), /table "McasShadowItReporting"/],
        ] as const;
        for (const [text, pattern] of variants) {
            writeFileSync(manifestPath, text);
            const before = fingerprint(folder);
            const requests = emulator.requestCount();
            const error = await rejectsWithUserError(runExport(exportOptions(emulator, out)), /Move the file away/, pattern);
            assert.ok(error.message.includes(manifestPath), `the message names ${manifestPath}: ${error.message}`);
            assert.deepEqual(fingerprint(folder), before, "nothing in the export folder changed");
            assert.equal(emulator.requestCount(), requests, "nothing was queried");
        }
    });

    it("refuses file entries that are not day files of the table, or whose sha256 is not 64 hex digits", async () => {
        const emulator = running();
        const { out, folder } = exportTarget(emulator, "export-bad-entries");
        await runExport(exportOptions(emulator, out, { since: iso(END - 2 * DAY), until: iso(END) }));
        const manifestPath = path.join(folder, "manifest.json");
        const valid = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
        const entry = valid.tables[TABLE];
        const [first] = entry.files;
        const withFile = (changes: Record<string, unknown>): string =>
            JSON.stringify({ ...valid, tables: { [TABLE]: { ...entry, files: [{ ...first, ...changes }, ...entry.files.slice(1)] } } });
        const variants: [string, RegExp][] = [
            [withFile({ name: "manifest.json" }), /lists "manifest\.json" for day "\d{4}-\d{2}-\d{2}", which is not a day file of the table/],
            [withFile({ name: `${TABLE}/../../victim/${first.day}.parquet` }), /lists "McasShadowItReporting\/\.\.\/\.\.\/victim\/.*" for day .*not a day file of the table/],
            [withFile({ name: `SecurityAlert/${first.day}.parquet` }), /lists "SecurityAlert\/.*not a day file of the table/],
            [withFile({ name: `${TABLE}/2026-02-30.parquet`, day: "2026-02-30" }), /lists "McasShadowItReporting\/2026-02-30\.parquet" for day "2026-02-30", which is not a day file/],
            [withFile({ name: `${TABLE}/${first.day}.csv` }), /not a day file of the table \(expected a name like "McasShadowItReporting\/2026-03-02\.parquet"\)/],
            [withFile({ sha256: 12345 }), /with the sha256 12345, which is not 64 hexadecimal digits/],
            [withFile({ sha256: "ABC" }), /with the sha256 "ABC", which is not 64 hexadecimal digits/],
        ];
        for (const [text, pattern] of variants) {
            writeFileSync(manifestPath, text);
            const before = fingerprint(folder);
            const requests = emulator.requestCount();
            await rejectsWithUserError(runExport(exportOptions(emulator, out)), /is not usable/, /Move the file away/, pattern);
            assert.deepEqual(fingerprint(folder), before, "nothing in the export folder changed");
            assert.equal(emulator.requestCount(), requests, "nothing was queried");
        }
    });
});

describe("export: rows ingested hours after their time", () => {
    // The emulator's clock stamps each appended row's ingestion time; it moves forward as the test goes.
    let ingestedAt = END;
    const running = suiteEmulator({ rows: 2000, seed: 37, days: 4, clock: () => new Date(ingestedAt) });

    it("exports a row that arrives hours late exactly once, and duplicates nothing", async () => {
        const emulator = running();
        const { out, folder } = exportTarget(emulator, "export-late-rows");
        const start = END - 3 * DAY;
        const first = await runExport(exportOptions(emulator, out, { since: iso(start) }));
        const watermark = Date.parse(first.tables[0].watermark ?? "");
        assert.ok(watermark > END - HOUR && watermark < END);
        assert.equal(readManifest(folder).tables[TABLE].ingestedBefore, iso(NOW - 15 * MINUTE));

        // An hour after the first run, rows arrive with times 5 hours and 30 hours before the watermark (far outside the
        // 15-minute overlap), together with a new row after it.
        ingestedAt = NOW + HOUR;
        const late = [row(watermark - 5 * HOUR, 1, { UserName: "late-five-hours@contoso.example" }),
            row(watermark - 30 * HOUR, 2, { UserName: "late-thirty-hours@contoso.example" })];
        await emulator.appendRows(TABLE, [...late, row(NOW + 30 * MINUTE, 3)]);
        const notes: string[] = [];
        const second = await runExport(exportOptions(emulator, out, { now: new Date(NOW + 2 * HOUR) }), { stderr: { write: (t: string) => notes.push(t) } });
        // Every row of the workspace once, the late ones included: nothing lost, nothing twice.
        const figures = await assertExportMatches(emulator, folder, start, NOW + 2 * HOUR);
        const exported = await exportedRowsOf(folder, ["late-five-hours@contoso.example", "late-thirty-hours@contoso.example"]);
        assert.deepEqual(exported, { "late-five-hours@contoso.example": 1, "late-thirty-hours@contoso.example": 1 });
        assert.equal(sum(figures, "rows"), Number((await emulator.query(`SELECT count(*)::BIGINT AS n FROM ${TABLE} WHERE TimeGenerated >= epoch_ms(${start})`))[0].n));
        const lateDays = [...new Set(late.map(r => iso((r.TimeGenerated as Date).getTime()).slice(0, 10)))].sort();
        assert.match(notes.join(""), new RegExp(`${TABLE}: 2 row\\(s\\) ingested since ${iso(NOW - 15 * MINUTE)} have times in days already exported \\(${lateDays.join(", ")}\\): reading again from ${lateDays[0]}T00:00:00.000Z`));
        assert.equal(second.tables[0].range?.start, `${lateDays[0]}T00:00:00.000Z`);
        assert.equal(readManifest(folder).tables[TABLE].ingestedBefore, iso(NOW + 2 * HOUR - 15 * MINUTE));

        // Nothing arrived since: the next run reads no day again and changes no file of those days.
        const before = fingerprint(folder);
        const third = await runExport(exportOptions(emulator, out, { now: new Date(NOW + 3 * HOUR) }));
        assert.ok(Date.parse(third.tables[0].range?.start ?? iso(NOW)) > NOW, `the third run reads only the last minutes: ${third.tables[0].range?.start}`);
        for (const day of lateDays) {
            const name = path.join(TABLE, `${day}.parquet`);
            assert.equal(fingerprint(folder)[name], before[name], `${name} is not rewritten`);
        }
        await assertExportMatches(emulator, folder, start, NOW + 3 * HOUR);
    });

    it("refuses a watermark later than now, says what to do, and queries nothing", async () => {
        const emulator = running();
        const { out, folder } = exportTarget(emulator, "export-future");
        await runExport(exportOptions(emulator, out, { since: iso(END - DAY) }));
        const manifestPath = path.join(folder, "manifest.json");
        const manifest = readManifest(folder);
        const future = iso(NOW + 6 * HOUR);
        writeFileSync(manifestPath, JSON.stringify({ ...manifest, tables: { [TABLE]: { ...manifest.tables[TABLE], watermark: future } } }));
        const before = fingerprint(folder);
        const requests = emulator.requestCount();
        const error = await rejectsWithUserError(
            runExport(exportOptions(emulator, out)),
            new RegExp(`says ${TABLE} was read up to ${future} \\(its watermark\\), which is later than now \\(${iso(NOW)}\\)`),
            /Check this machine's clock; then move manifest\.json away .* rerun with --since/,
        );
        assert.equal(error.exitCode, 1);
        assert.deepEqual(fingerprint(folder), before);
        assert.equal(emulator.requestCount(), requests, "nothing was queried");
    });
});

/** How many exported rows each of `users` has, over every day file. */
async function exportedRowsOf(folder: string, users: readonly string[]): Promise<Record<string, number>> {
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
        const glob = path.join(folder, TABLE, "*.parquet").replaceAll("'", "''");
        const result = await connection.runAndReadAll(`SELECT UserName, count(*)::BIGINT AS n FROM read_parquet('${glob}') GROUP BY UserName`);
        const counts = new Map(result.getRowObjectsJS().map(r => [String(r.UserName), Number(r.n)]));
        return Object.fromEntries(users.map(u => [u, counts.get(u) ?? 0]));
    } finally {
        connection.closeSync();
        instance.closeSync();
    }
}
