// shadowit export against the local Log Analytics emulator, through the real LogsQueryClient over HTTPS.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { runExport } from "../../src/dataset/export/index.ts";
import { assertExportMatches, emulatorFigures, exportedFigures, sum } from "./export-helpers.ts";
import { DAY, END, exportOptions, exportTarget, HOUR, iso, readManifest, rejectsWithUserError, suiteEmulator, TABLE } from "./export-setup.ts";

describe("export: windows, bisection and output", () => {
    const running = suiteEmulator({ rows: 12_000, seed: 11, days: 14 });

    it("exports every row of the range into per-day Parquet files across many windows", async () => {
        const emulator = running();
        const { out, folder } = exportTarget(emulator, "export-split");
        const start = END - 4 * DAY;
        const summary = await runExport(exportOptions(emulator, out, { since: iso(start), until: iso(END), rowBudget: 120 }));
        assert.equal(summary.folder, folder);
        const figures = await assertExportMatches(emulator, folder, start, END);
        const table = summary.tables[0];
        assert.equal(table.rows, sum(figures, "rows"));
        assert.ok(table.windows > 4 * 4, `the small row budget splits each day into several windows (got ${table.windows})`);

        const manifest = readManifest(folder);
        const entry = manifest.tables[TABLE];
        assert.equal(manifest.workspaceId, emulator.workspaceId);
        assert.equal(entry.format, "parquet");
        assert.deepEqual(entry.covered, { start: iso(start), end: iso(END) });
        const [{ max }] = await emulator.query(`SELECT epoch_ms(max(TimeGenerated))::DOUBLE AS max FROM ${TABLE} WHERE TimeGenerated < epoch_ms(${END})`);
        assert.equal(entry.watermark, iso(Number(max)));
        assert.equal(entry.files.reduce((n, f) => n + f.rows, 0), sum(figures, "rows"));
        for (const f of entry.files) {
            assert.match(f.name, /^McasShadowItReporting\/\d{4}-\d{2}-\d{2}\.parquet$/);
            assert.equal(readFileSync(path.join(folder, f.name)).length, f.bytes);
        }
        assert.match(entry.query, /McasShadowItReporting\n\| where TimeGenerated >= \{start\} and TimeGenerated < \{end\}/);
        assert.deepEqual(entry.schema.find(c => c.name === "TimeGenerated"), { name: "TimeGenerated", type: "datetime", fileType: "TIMESTAMP" });

        const instance = await DuckDBInstance.create(":memory:");
        const connection = await instance.connect();
        const file = path.join(folder, entry.files[0].name).replace(/'/g, "''");
        const types = Object.fromEntries((await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`)).getRows().map(r => [String(r[0]), String(r[1])]));
        const tags = (await connection.runAndReadAll(`SELECT DISTINCT AppTags FROM read_parquet('${file}')`)).getRows().map(r => String(r[0]));
        connection.closeSync();
        instance.closeSync();
        assert.equal(types.TimeGenerated, "TIMESTAMP");
        assert.equal(types.TotalBytes, "BIGINT");
        assert.equal(types.AppId, "INTEGER");
        assert.equal(types.AppTags, "VARCHAR");
        for (const t of tags) assert.ok(Array.isArray(JSON.parse(t)), `AppTags ${t} is JSON array text`);
    });

    it("writes CSV with the portal's header, ISO datetimes and JSON tags, and merges an incremental rerun into it", async () => {
        const emulator = running();
        const { out, folder } = exportTarget(emulator, "export-csv");
        const start = END - 2 * DAY;
        await runExport(exportOptions(emulator, out, { since: iso(start), until: iso(END - HOUR), format: "csv", rowBudget: 400 }));
        await assertExportMatches(emulator, folder, start, END - HOUR, "csv");
        const firstFile = readdirSync(path.join(folder, TABLE)).sort()[0];
        const text = readFileSync(path.join(folder, TABLE, firstFile), "utf8");
        const [header, firstRow] = text.split("\n");
        assert.equal(header, "TenantId,SourceSystem,TimeGenerated [UTC],StreamName,TotalEvents,BlockedEvents,UploadedBytes,TotalBytes,DownloadedBytes,IpAddress,UserName,EnrichedUserName,AppName,AppId,AppCategory,AppTags,AppScore,Type");
        assert.match(firstRow, /^[0-9a-f-]{36},Azure,\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z,/);
        assert.match(text, /,"\[""(sanctioned|unsanctioned)[^"]*""\]",/, "dynamic tags are JSON text, quoted as RFC 4180 asks");

        // Incremental: a rerun reads from the watermark minus the overlap up to the new end, and rewrites the
        // touched CSV day file without duplicating what it already held.
        const second = await runExport(exportOptions(emulator, out, { until: iso(END), format: "csv" }));
        assert.ok(second.tables[0].range && Date.parse(second.tables[0].range.start) > END - 2 * HOUR, "only the tail is read again");
        await assertExportMatches(emulator, folder, start, END, "csv");
        await rejectsWithUserError(runExport(exportOptions(emulator, out, { format: "parquet" })), /exported as csv; rerun with --format csv/);
    });

    it("writes nothing for a range without data, reports 0 rows and still records the range as covered", async () => {
        const emulator = running();
        const { out, folder } = exportTarget(emulator, "export-empty");
        const start = END - 40 * DAY;
        const summary = await runExport(exportOptions(emulator, out, { since: iso(start), until: iso(start + 2 * DAY) }));
        assert.equal(summary.rows, 0);
        assert.deepEqual(summary.tables[0].files, []);
        assert.deepEqual(readdirSync(path.join(folder, TABLE)), []);
        const entry = readManifest(folder).tables[TABLE];
        assert.deepEqual(entry.covered, { start: iso(start), end: iso(start + 2 * DAY) });
        assert.equal(entry.watermark, null);
    });
});

describe("export: result limits", () => {
    const runningByRows = suiteEmulator({ rows: 3000, seed: 5, days: 7, rowLimit: 90 });
    const runningBySize = suiteEmulator({ rows: 3000, seed: 6, days: 7, sizeLimitBytes: 30_000 });

    it("bisects a window that answers PartialError for the row limit and keeps every row", async () => {
        const byRows = runningByRows();
        const { out, folder } = exportTarget(byRows, "export-bisect-rows");
        const start = END - 3 * DAY;
        const summary = await runExport(exportOptions(byRows, out, { since: iso(start), until: iso(END) }));
        assert.ok(summary.tables[0].bisections > 0, "the first attempts were partial and got bisected");
        await assertExportMatches(byRows, folder, start, END);
    });

    it("bisects a window that answers PartialError for the size limit and keeps every row", async () => {
        const bySize = runningBySize();
        const { out, folder } = exportTarget(bySize, "export-bisect-size");
        const start = END - 3 * DAY;
        const summary = await runExport(exportOptions(bySize, out, { since: iso(start), until: iso(END) }));
        assert.ok(summary.tables[0].bisections > 0);
        await assertExportMatches(bySize, folder, start, END);
    });

    it("fails clearly, writing none of the truncated rows, when a window cannot be bisected below the limit", async () => {
        const byRows = runningByRows();
        const { out, folder } = exportTarget(byRows, "export-bisect-floor");
        const start = END - 3 * DAY;
        await rejectsWithUserError(
            runExport(exportOptions(byRows, out, { since: iso(start), until: iso(END), minWindowMs: 12 * HOUR, concurrency: 1 })),
            /still above the service's row or size limit/, /E_QUERY_RESULT_SET_TOO_LARGE/,
            new RegExp(`workspace ${byRows.workspaceId}, table McasShadowItReporting, window \\d{4}-`), /rows were not written/,
        );
        // Whatever was written is complete for its day: no file holds a truncated result.
        const written = await exportedFigures(folder, TABLE, "parquet");
        const truth = await emulatorFigures(byRows, start, END);
        for (const [day, figures] of written) assert.deepEqual(figures, truth.get(day), `day ${day} is complete`);
    });
});
