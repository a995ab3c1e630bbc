// Incremental exports (watermark, overlap, late rows, legitimate repeats) and untrustworthy manifests.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { startEmulator, type RunningEmulator } from "../../src/dataset/emulator/index.ts";
import { UserError } from "../../src/dataset/errors.ts";
import { runExport, type ExportOptions } from "../../src/dataset/export/index.ts";
import type { Manifest } from "../../src/dataset/export/manifest.ts";
import { startOfCurrentUtcHour } from "../../src/dataset/sample/index.ts";
import { emulatorFigures, exportedFigures, sum, tempDir } from "./export-helpers.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MINUTE = 60_000;
const TABLE = "McasShadowItReporting";
const END = startOfCurrentUtcHour().getTime() - 2 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

function optionsFor(emulator: RunningEmulator, out: string, extra: Partial<ExportOptions> = {}): ExportOptions {
    return { workspace: emulator.workspaceId, out, endpoint: emulator.endpoint, ca: emulator.caPath, token: emulator.token, progress: "none", ...extra };
}

function manifestOf(folder: string): Manifest {
    return JSON.parse(readFileSync(path.join(folder, "manifest.json"), "utf8")) as Manifest;
}

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
    let emulator: RunningEmulator;
    before(async () => {
        emulator = await startEmulator({ port: 0, rows: 4000, seed: 23, end: new Date(END), days: 5 });
    });
    after(async () => emulator?.close());

    it("adds only new rows on a second run: late rows inside the overlap once, legitimate repeats kept", async () => {
        const out = tempDir("export-incremental");
        const folder = path.join(out, emulator.workspaceId);
        const start = END - 3 * DAY;
        const first = await runExport(optionsFor(emulator, out, { since: iso(start) }));
        await assertMatches(folder, start, END);
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

        const second = await runExport(optionsFor(emulator, out));
        const figures = await assertMatches(folder, start, END + HOUR);
        const [{ n: reread }] = await emulator.query(`SELECT count(*)::BIGINT AS n FROM ${TABLE} WHERE TimeGenerated >= epoch_ms(${watermark + 1 - 15 * MINUTE})`);
        assert.equal(second.tables[0].rows, Number(reread), "the second run reads only the overlap and what is new");
        assert.ok(sum(figures, "rows") > sum(figures, "distinct"), "the repeated row is kept twice");
        const filesAfter = fingerprint(folder);
        const changed = Object.keys(filesAfter).filter(name => name.endsWith(".parquet") && filesAfter[name] !== filesBefore[name]);
        const touchedDays = new Set([iso(watermark - 15 * MINUTE).slice(0, 10), iso(END).slice(0, 10), iso(END + HOUR - 1).slice(0, 10)]);
        for (const name of changed) assert.ok(touchedDays.has(path.basename(name, ".parquet")), `${name} was rewritten although its day was not re-read`);

        // A third run right away changes nothing.
        const third = await runExport(optionsFor(emulator, out));
        assert.ok(third.tables[0].rows <= second.tables[0].rows);
        await assertMatches(folder, start, END + HOUR);
        assert.equal(manifestOf(folder).tables[TABLE].covered?.start, iso(start));
    });

    it("keeps exported history when the workspace no longer returns it (retention)", async () => {
        const out = tempDir("export-retention");
        const folder = path.join(out, emulator.workspaceId);
        const start = END - 4 * DAY;
        await runExport(optionsFor(emulator, out, { since: iso(start), until: iso(END - 3 * DAY) }));
        const before = fingerprint(folder);
        const beforeFigures = await exportedFigures(folder, TABLE, "parquet");
        await emulator.query(`DELETE FROM ${TABLE} WHERE TimeGenerated >= epoch_ms(${start}) AND TimeGenerated < epoch_ms(${start + 6 * HOUR})`);
        const summary = await runExport(optionsFor(emulator, out, { since: iso(start), until: iso(END - 3 * DAY) }));
        assert.deepEqual(summary.tables[0].keptDays, [iso(start).slice(0, 10)]);
        assert.deepEqual(Object.fromEntries(await exportedFigures(folder, TABLE, "parquet")), Object.fromEntries(beforeFigures));
        const after = fingerprint(folder);
        for (const [name, hash] of Object.entries(before)) if (name.endsWith(".parquet")) assert.equal(after[name], hash);
    });

    async function assertMatches(folder: string, start: number, end: number) {
        const expected = await emulatorFigures(emulator, start, end);
        const actual = await exportedFigures(folder, TABLE, "parquet");
        assert.deepEqual(Object.fromEntries(actual), Object.fromEntries(expected));
        return actual;
    }
});

describe("export: manifests that cannot be trusted", () => {
    let emulator: RunningEmulator;
    before(async () => {
        emulator = await startEmulator({ port: 0, rows: 1500, seed: 31, end: new Date(END), days: 3 });
    });
    after(async () => emulator?.close());

    it("refuses a corrupt or foreign manifest, names it, and changes nothing", async () => {
        const out = tempDir("export-corrupt");
        const folder = path.join(out, emulator.workspaceId);
        await runExport(optionsFor(emulator, out, { since: iso(END - 2 * DAY), until: iso(END) }));
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
            await assert.rejects(runExport(optionsFor(emulator, out)), (error: unknown) =>
                error instanceof UserError && error.message.includes(manifestPath) && /Move the file away/.test(error.message) && pattern.test(error.message));
            assert.deepEqual(fingerprint(folder), before, "nothing in the export folder changed");
            assert.equal(emulator.requestCount(), requests, "nothing was queried");
        }
    });
});
