// The check's verdict from facts alone (no workspace): which findings fail, warn or note, and the limit estimates.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assess, type CheckLimits } from "../../src/dataset/check/assess.ts";
import type { TableFacts, WorkspaceFacts } from "../../src/dataset/check/probe.ts";
import { MCAS_SHADOW_IT_REPORTING, SECURITY_ALERT, SIGNIN_LOGS } from "../../src/schema.ts";

const DAY = 86_400_000;
const NOW = Date.parse("2026-03-02T10:00:00Z");
const FIRST = Date.parse("2026-02-01T00:00:00Z");
const LIMITS: CheckLimits = { rows: 500_000, bytes: 100_000_000, exportRowBudget: 200_000, exportByteBudget: 48_000_000 };
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function table(name: string, columns: TableFacts["columns"], rowsByDay: [string, number][] = []): TableFacts {
    return { name, columns, rowsByDay: new Map(rowsByDay) };
}

function facts(overrides: Partial<WorkspaceFacts> = {}): WorkspaceFacts {
    return {
        workspaceId: "5a3e7c1d-9b42-4f08-8d6e-2c71b0a4e915", endpoint: "https://127.0.0.1:1/v1", now: NOW, days: { start: FIRST, end: NOW },
        tables: [
            table(MCAS_SHADOW_IT_REPORTING.name, MCAS_SHADOW_IT_REPORTING.columns, [[day(NOW - DAY), 1000], [day(NOW), 10]]),
            table(SECURITY_ALERT.name, SECURITY_ALERT.columns), table(SIGNIN_LOGS.name, null),
        ],
        streams: [{ name: "Zscaler NSS", lastSeen: new Date(NOW - 3600_000).toISOString(), rows: 1010 }],
        mDayGrainRowsByDay: new Map([[day(NOW - DAY), 400], [day(NOW), 5]]),
        ...overrides,
    };
}

const levels = (report: ReturnType<typeof assess>) => report.findings.map(f => `${f.level}: ${f.message.slice(0, 60)}`);

describe("check: the assessment", () => {
    it("lists every day of the range, empty ones with 0, and passes a healthy workspace with a note for an optional table", () => {
        const report = assess(facts(), LIMITS);
        assert.equal(report.ok, true);
        const mcas = report.tables[0];
        assert.equal(mcas.days.length, 30);
        assert.deepEqual(mcas.days.slice(-2), [{ day: "2026-03-01", rows: 1000 }, { day: "2026-03-02", rows: 10 }]);
        assert.equal(mcas.days.filter(d => d.rows === 0).length, 28);
        assert.deepEqual(levels(report), ["info: the workspace has no SigninLogs table: `shadowit export --ta"]);
        assert.deepEqual(report.estimates.map(e => [e.query, e.largestRows, e.withinLimits]), [["export", 1000, true], ["m-day", 400, true], ["m-raw", 1000, true]]);
        assert.equal(report.estimates[0].queries, 2 + 2, "one window per day with rows, plus the schema and count queries");
    });

    it("fails when McasShadowItReporting is missing or lacks a column the M groups by; notes retyped and extra ones", () => {
        assert.equal(assess(facts({ tables: [table(MCAS_SHADOW_IT_REPORTING.name, null)], streams: null, mDayGrainRowsByDay: null }), LIMITS).ok, false);
        const columns = [
            ...MCAS_SHADOW_IT_REPORTING.columns
                .filter(c => c.name !== "AppCategory" && c.name !== "SourceSystem")
                .map(c => (c.name === "AppId" ? { name: "AppId", type: "string" } : c)),
            { name: "MachineName", type: "string" },
        ];
        const report = assess(facts({ tables: [table(MCAS_SHADOW_IT_REPORTING.name, columns, [[day(NOW), 5]])], mDayGrainRowsByDay: null }), LIMITS);
        assert.equal(report.ok, false);
        assert.deepEqual(report.tables[0].schema?.missing.map(c => c.name), ["SourceSystem", "AppCategory"]);
        assert.deepEqual(report.tables[0].schema?.retyped, [{ name: "AppId", expected: "int", actual: "string" }]);
        assert.deepEqual(report.tables[0].schema?.extra, [{ name: "MachineName", type: "string" }]);
        const messages = report.findings.map(f => `${f.level}: ${f.message}`);
        assert.ok(messages.some(m => /^fail: McasShadowItReporting lacks AppCategory: the generated M/.test(m)), messages.join("\n"));
        assert.ok(messages.some(m => /^warn: McasShadowItReporting lacks SourceSystem: `shadowit m --grain raw`/.test(m)));
        assert.ok(messages.some(m => /^info: in McasShadowItReporting, AppId is string \(expected int\)/.test(m)));
        assert.ok(messages.some(m => /^info: McasShadowItReporting has 1 column\(s\) the companion does not list \(MachineName\)/.test(m)));
    });

    it("warns when all days in one query exceed the limit but each day fits, and fails when the busiest day does not", () => {
        const spread = new Map(Array.from({ length: 30 }, (_, i) => [day(FIRST + i * DAY), 20_000] as [string, number]));
        const warned = assess(facts({ mDayGrainRowsByDay: spread }), LIMITS);
        assert.equal(warned.ok, true);
        assert.ok(warned.findings.some(f => f.level === "warn" && /over all 30 days in one query .* 600,000 rows/.test(f.message)));
        const busy = new Map([[day(NOW - DAY), 500_001]]);
        const failed = assess(facts({ mDayGrainRowsByDay: busy }), LIMITS);
        assert.equal(failed.ok, false);
        assert.ok(failed.findings.some(f => f.level === "fail" && /busiest day: 500,001 rows/.test(f.message)));
    });

    it("recognises the \"Global view\" stream whatever its case, and stale streams by whole days", () => {
        const report = assess(facts({
            streams: [
                { name: "GLOBAL VIEW", lastSeen: new Date(NOW - 2 * 3600_000).toISOString(), rows: 50 },
                { name: "Old proxy", lastSeen: new Date(NOW - 3 * DAY - 1).toISOString(), rows: 3 },
                { name: "Recent proxy", lastSeen: new Date(NOW - 2 * DAY - 1).toISOString(), rows: 3 },
            ],
        }), LIMITS);
        assert.equal(report.globalView, true);
        assert.deepEqual(report.streams?.map(s => [s.name, s.daysSince, s.globalView]), [["GLOBAL VIEW", 0, true], ["Recent proxy", 2, false], ["Old proxy", 3, false]]);
        const warnings = report.findings.filter(f => f.level === "warn").map(f => f.message);
        assert.equal(warnings.length, 2, warnings.join("\n"));
        assert.ok(warnings.some(w => /stream "Old proxy" has sent nothing for 3 days/.test(w)));
    });
});
