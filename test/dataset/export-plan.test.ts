// Export planning and input checks that need no service: windows, bisection, options, manifest validation.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UserError } from "../../src/dataset/errors.ts";
import { parseManifest } from "../../src/dataset/export/manifest.ts";
import { resolveOptions } from "../../src/dataset/export/options.ts";
import { bisect, HOUR_MS, planWindows, splitByUtcDay, DAY_MS } from "../../src/dataset/export/windows.ts";
import { isResultTooLarge } from "../../src/dataset/export/fetch.ts";

const WS = "5a3e7c1d-9b42-4f08-8d6e-2c71b0a4e915";
const t = (iso: string) => Date.parse(iso);

describe("export windows", () => {
    it("splits a range at UTC midnights", () => {
        const spans = splitByUtcDay({ start: t("2026-11-01T22:00:00Z"), end: t("2026-11-03T01:30:00Z") });
        assert.deepEqual(spans.map(s => [new Date(s.start).toISOString(), new Date(s.end).toISOString()]), [
            ["2026-11-01T22:00:00.000Z", "2026-11-02T00:00:00.000Z"],
            ["2026-11-02T00:00:00.000Z", "2026-11-03T00:00:00.000Z"],
            ["2026-11-03T00:00:00.000Z", "2026-11-03T01:30:00.000Z"],
        ]);
    });

    it("packs consecutive hours under the row budget, never across a day, and covers the range without gaps", () => {
        const start = t("2026-11-01T00:00:00Z");
        const counts = new Map<number, number>();
        for (let h = 0; h < 48; h++) counts.set(start + h * HOUR_MS, 100 + (h % 5) * 50);
        const days = planWindows({ start, end: start + 2 * DAY_MS }, counts, 700);
        assert.equal(days.length, 2);
        for (const day of days) {
            let cursor = day.start;
            for (const w of day.windows) {
                assert.equal(w.start, cursor, "windows are contiguous");
                assert.ok(w.expectedRows <= 700, `window of ${w.expectedRows} rows exceeds the budget`);
                assert.equal(w.day, day.day);
                cursor = w.end;
            }
            assert.equal(cursor, day.end);
        }
        const total = days.reduce((n, d) => n + d.expectedRows, 0);
        assert.equal(total, [...counts.values()].reduce((a, b) => a + b, 0));
        assert.ok(days[0].windows.length > 1);
    });

    it("cuts an hour above the budget into equal sub-windows", () => {
        const start = t("2026-11-01T05:00:00Z");
        const days = planWindows({ start, end: start + HOUR_MS }, new Map([[start, 1000]]), 300);
        const windows = days[0].windows;
        assert.equal(windows.length, 4);
        assert.equal(windows[0].start, start);
        assert.equal(windows.at(-1)?.end, start + HOUR_MS);
        assert.ok(windows.every(w => w.expectedRows <= 300));
    });

    it("plans one empty window for a day without rows", () => {
        const start = t("2026-11-01T00:00:00Z");
        const days = planWindows({ start, end: start + DAY_MS }, new Map(), 1000);
        assert.equal(days[0].windows.length, 1);
        assert.equal(days[0].expectedRows, 0);
    });

    it("bisects down to the minimum span and then refuses", () => {
        assert.deepEqual(bisect({ start: 0, end: 4000 }, 1000), [{ start: 0, end: 2000 }, { start: 2000, end: 4000 }]);
        assert.equal(bisect({ start: 0, end: 1500 }, 1000), undefined);
    });

    it("recognises the service's size and row limit partial errors and nothing else", () => {
        assert.ok(isResultTooLarge({ code: "PartialError", message: "Query result set has exceeded the internal data size limit 64000000 (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits)" }));
        assert.ok(isResultTooLarge({ code: "PartialError", message: "x", details: [{ code: "EngineError", innererror: { message: "Query result set has exceeded the internal record count limit 500000" } }] }));
        assert.ok(!isResultTooLarge({ code: "PartialError", message: "Query execution has exceeded the allowed time" }));
    });
});

describe("export options", () => {
    const base = { workspace: WS, out: "/tmp/x", now: new Date("2026-11-20T10:00:00Z") };
    const rejects = (options: Parameters<typeof resolveOptions>[0], pattern: RegExp) => {
        assert.throws(() => resolveOptions(options), (error: unknown) => error instanceof UserError && pattern.test(error.message));
    };

    it("rejects a workspace that is not a GUID", () => rejects({ ...base, workspace: "my-workspace" }, /--workspace "my-workspace" is not a workspace ID/));
    it("rejects an unknown table, naming the valid ones", () => rejects({ ...base, tables: ["McasShadowItReport"] }, /unknown table "McasShadowItReport".*McasShadowItReporting/));
    it("rejects --since after --until", () => rejects({ ...base, since: "2026-11-10", until: "2026-11-05" }, /--since 2026-11-10T00:00:00.000Z is not before --until/));
    it("rejects --days that is not a positive integer", () => {
        rejects({ ...base, days: "0" }, /--days must be a positive whole number/);
        rejects({ ...base, days: "1.5" }, /--days must be a positive whole number/);
        rejects({ ...base, days: "abc" }, /--days must be a positive whole number/);
    });
    it("rejects --since with --days", () => rejects({ ...base, since: "2026-11-01", days: 3 }, /pass one of them/));
    it("rejects a date that is not ISO 8601", () => rejects({ ...base, since: "11/01/2026" }, /--since "11\/01\/2026" is not an ISO 8601/));
    it("rejects dates and times that do not exist instead of rolling them over", () => {
        rejects({ ...base, since: "2026-02-30" }, /^--since "2026-02-30" is not a valid date: February 2026 has no day 30 \(it has 28 days\)$/);
        rejects({ ...base, since: "2026-11-01", until: "2026-04-31T00:00:00Z" }, /^--until "2026-04-31T00:00:00Z" is not a valid date: April 2026 has no day 31/);
        rejects({ ...base, since: "2026-13-01" }, /--since "2026-13-01" is not a valid date: there is no month 13/);
        rejects({ ...base, since: "2026-11-01T24:00" }, /--since "2026-11-01T24:00" is not a valid date: there is no hour 24/);
        rejects({ ...base, since: "2026-11-01T10:00+25:00" }, /--since "2026-11-01T10:00\+25:00" is not a valid date: \+25:00 is not a time zone offset/);
        const leap = resolveOptions({ ...base, since: "2024-02-29", until: "2026-11-01T06:30:15.123456+0130" });
        assert.equal(new Date(leap.since ?? 0).toISOString(), "2024-02-29T00:00:00.000Z");
        assert.equal(new Date(leap.until).toISOString(), "2026-11-01T05:00:15.123Z");
    });
    it("rejects an unknown format", () => rejects({ ...base, format: "xlsx" as "csv" }, /--format "xlsx" is not supported/));

    it("reads date-times without a zone as UTC and clamps --until to now", () => {
        const o = resolveOptions({ ...base, since: "2026-11-19T06:00", until: "2030-01-01" });
        assert.equal(new Date(o.since ?? 0).toISOString(), "2026-11-19T06:00:00.000Z");
        assert.equal(new Date(o.until).toISOString(), "2026-11-20T10:00:00.000Z");
    });

    it("turns --days into a start before --until", () => {
        const o = resolveOptions({ ...base, days: "2", until: "2026-11-10T00:00:00Z" });
        assert.equal(new Date(o.since ?? 0).toISOString(), "2026-11-08T00:00:00.000Z");
    });
});

describe("export manifest validation", () => {
    const file = "/exports/ws/manifest.json";
    const corrupt = (text: string, pattern: RegExp) => assert.throws(
        () => parseManifest(text, file, WS),
        (error: unknown) => error instanceof UserError && error.message.includes(file) && /Move the file away/.test(error.message) && pattern.test(error.message),
    );
    const valid = {
        kind: "shadowit-export", version: 1, workspaceId: WS, tool: { name: "shadowit", version: "1.0.0" }, updated: "2026-11-20T00:00:00Z",
        tables: { McasShadowItReporting: { format: "parquet", watermark: null, covered: null, files: [], schema: [], query: "q", updated: "2026-11-20T00:00:00Z" } },
    };

    it("accepts a valid manifest", () => assert.equal(parseManifest(JSON.stringify(valid), file, WS).workspaceId, WS));
    it("refuses invalid JSON", () => corrupt("{\"kind\": \"shadowit-export\", ", /not valid JSON/));
    it("refuses another kind of file", () => corrupt(JSON.stringify({ hello: 1 }), /not a shadowit export manifest/));
    it("refuses another workspace's manifest", () => corrupt(JSON.stringify({ ...valid, workspaceId: "00000000-0000-0000-0000-000000000000" }), /belongs to workspace 00000000/));
    it("refuses a table entry of the wrong shape", () => corrupt(JSON.stringify({ ...valid, tables: { McasShadowItReporting: { format: "parquet", watermark: "yesterday" } } }), /invalid "watermark"/));
    it("refuses file names outside the folder", () => corrupt(JSON.stringify({
        ...valid, tables: { McasShadowItReporting: { ...valid.tables.McasShadowItReporting, files: [{ name: "../../etc/passwd", day: "x", rows: 1, bytes: 1 }] } },
    }), /lists "\.\.\/\.\.\/etc\/passwd" for day "x", which is not a day file of the table/));
});
