import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dayFromParts, isoDay, readDay } from "../../src/model/days.ts";
import { updateModel } from "../../src/model/index.ts";
import type { DashboardModel, DashboardSettings, RoleName } from "../../src/model/types.ts";
import type { Freshness } from "../../src/panels/freshness/model.ts";
import { buildDataView, DiscoveryRow, generateRows, LABELS, settingsWith } from "./builder.ts";

/** The fixed "today" of these tests: 2026-03-02 (the day of the tests' fixed instant 2026-03-02T10:00:00Z). */
const TODAY = dayFromParts(2026, 3, 2)!;
const ROLES: readonly RoleName[] = ["AppName", "StreamName", "TimeGenerated", "TotalBytes", "UploadedBytes", "DownloadedBytes"];

/**
 * Rows as Power BI hands them with TimeGenerated bound as a date: one row per app, stream and day, the day a
 * local-midnight Date. Streams stop on different days: Engineering Proxy nine days before the others.
 */
function rowsOverDays(): DiscoveryRow[] {
    const base = generateRows(40, 11);
    const lastDayOf: Record<string, number> = {
        "Marketing Department": TODAY, "Finance Firewall": TODAY - 1, "Engineering Proxy": TODAY - 9,
        "Head Office": TODAY, "Sales Zscaler": TODAY - 2,
    };
    const rows: DiscoveryRow[] = [];
    for (let day = TODAY - 20; day <= TODAY; day++) {
        base.forEach((row, i) => {
            if ((i + day) % 3 !== 0 && day !== lastDayOf[row.StreamName as string]) return;
            if (day > lastDayOf[row.StreamName as string]) return;
            const [y, m, d] = isoDay(day).split("-").map(Number);
            rows.push({ ...row, TimeGenerated: new Date(y, m - 1, d) });
        });
    }
    return rows;
}

function freshnessOf(rows: readonly DiscoveryRow[], settings: Partial<DashboardSettings> = {}, roles = ROLES): DashboardModel {
    return updateModel(undefined, buildDataView(rows, { roles }), settingsWith(settings), LABELS, { isAppend: false }).model;
}

function ready(model: DashboardModel): Freshness {
    const panel = model.panels.freshness;
    if (panel.status !== "ready") throw new Error(`freshness is missing ${panel.missing.join(", ")}`);
    return panel.data;
}

describe("TimeGenerated as days", () => {
    it("reads a Date by its local calendar date, and a text by the date it writes", () => {
        assert.equal(readDay(new Date(2026, 2, 2, 0, 0)).kind, "day");
        assert.deepEqual(readDay(new Date(2026, 2, 2, 23, 59)), { kind: "day", day: TODAY });
        assert.deepEqual(readDay(new Date(2026, 2, 2)), { kind: "day", day: TODAY });
        assert.deepEqual(readDay("2026-03-02"), { kind: "day", day: TODAY });
        // The written date stands: an offset after it does not move the day.
        assert.deepEqual(readDay("2026-03-02T23:30:00-08:00"), { kind: "day", day: TODAY });
        assert.deepEqual(readDay(" 2026-03-02 10:00:00 "), { kind: "day", day: TODAY });
    });

    it("tells blanks, hierarchy levels, non-dates and days before 2000 apart", () => {
        for (const blank of [null, undefined, "", "   "]) assert.equal(readDay(blank).kind, "blank", String(blank));
        for (const level of [2026, 3, 0, 45000.5]) assert.equal(readDay(level).kind, "number", String(level));
        for (const bad of ["2026-02-30", "02/03/2026", "yesterday", "2026-13-01", new Date(Number.NaN), true, {}]) {
            assert.equal(readDay(bad).kind, "invalid", String(bad));
        }
        for (const early of ["1899-12-30", new Date(1900, 0, 1), "1999-12-31"]) assert.equal(readDay(early).kind, "early", String(early));
        assert.equal(readDay("2000-01-01").kind, "day");
        assert.equal(isoDay(TODAY), "2026-03-02");
    });
});

describe("freshness", () => {
    const rows = rowsOverDays();

    it("names the fields it misses", () => {
        const without = (roles: readonly RoleName[]) => freshnessOf(rows, {}, roles).panels.freshness;
        assert.deepEqual(without(["AppName", "StreamName", "TotalBytes"]), { status: "missing", missing: ["TimeGenerated"] });
        assert.deepEqual(without(["AppName", "TotalBytes"]), { status: "missing", missing: ["StreamName", "TimeGenerated"] });
    });

    it("gives each stream its last day with data and the days since the latest day in the data, the longest silent first", () => {
        const data = ready(freshnessOf(rows));
        assert.equal(data.reference, "data");
        assert.equal(data.referenceDay, TODAY);
        // Computed from the rows by hand: the latest date of each stream's rows.
        const expected = new Map<string, number>();
        for (const row of rows) {
            const day = (readDay(row.TimeGenerated) as { day: number }).day;
            expected.set(row.StreamName as string, Math.max(expected.get(row.StreamName as string) ?? 0, day));
        }
        assert.deepEqual(data.streams.map(s => [s.label.text, s.lastDay === null ? null : isoDay(s.lastDay), s.daysSince, s.stale]), [
            ["Engineering Proxy", isoDay(expected.get("Engineering Proxy")!), 9, true],
            ["Sales Zscaler", isoDay(expected.get("Sales Zscaler")!), 2, true],
            ["Finance Firewall", isoDay(expected.get("Finance Firewall")!), 1, false],
            ["Head Office", "2026-03-02", 0, false],
            ["Marketing Department", "2026-03-02", 0, false],
        ]);
        const engineering = data.streams[0];
        const days = new Set(rows.filter(r => r.StreamName === "Engineering Proxy").map(r => (r.TimeGenerated as Date).toDateString()));
        assert.equal(engineering.daysWithData, days.size);
        assert.equal(rows[engineering.selection.rows[0]].StreamName, "Engineering Proxy", "a stream selects its own rows");
    });

    it("counts from today when asked and today is known, and from the data's latest day otherwise", () => {
        const later = TODAY + 5;
        const fromToday = ready(freshnessOf(rows, { today: later, freshness: { reference: "today", staleAfterDays: 2 } }));
        assert.equal(fromToday.reference, "today");
        assert.equal(fromToday.referenceDay, later);
        assert.deepEqual(fromToday.streams.map(s => s.daysSince), [14, 7, 6, 5, 5]);
        assert.ok(fromToday.streams.every(s => s.stale));
        const unknownToday = ready(freshnessOf(rows, { today: null, freshness: { reference: "today", staleAfterDays: 2 } }));
        assert.equal(unknownToday.reference, "data");
        assert.equal(unknownToday.referenceDay, TODAY);
        const lenient = ready(freshnessOf(rows, { freshness: { reference: "data", staleAfterDays: 10 } }));
        assert.ok(lenient.streams.every(s => !s.stale), "9 days is not stale when stale means 10 days or more");
    });

    it("leaves out bad dates and future rows, counts them in the note, and keeps the other panels' sums", () => {
        const bad: DiscoveryRow[] = [
            { ...rows[0], StreamName: "Legal", TimeGenerated: null },
            { ...rows[1], StreamName: "Legal", TimeGenerated: 2026 },
            { ...rows[2], StreamName: "Head Office", TimeGenerated: "1899-12-30" },
            { ...rows[3], StreamName: "Head Office", TimeGenerated: "not a date" },
            { ...rows[4], StreamName: "Marketing Department", TimeGenerated: new Date(2026, 2, 20) },
        ];
        const model = freshnessOf([...rows, ...bad], { today: TODAY });
        assert.deepEqual(model.note.leftOutDates, { blank: 1, number: 1, invalid: 1, early: 1, future: 1 });
        const data = ready(model);
        const legal = data.streams.find(s => s.label.text === "Legal")!;
        assert.deepEqual([legal.lastDay, legal.daysSince, legal.stale], [null, null, true]);
        assert.equal(data.streams[0], legal, "a stream without any dated row comes first");
        assert.equal(data.streams.find(s => s.label.text === "Marketing Department")!.lastDay, TODAY, "the future row is left out");
        // Without a known today nothing counts as future: the row of 2026-03-20 is the latest day.
        const noToday = freshnessOf([...rows, ...bad]);
        assert.equal(noToday.note.leftOutDates.future, undefined);
        assert.equal(ready(noToday).referenceDay, dayFromParts(2026, 3, 20));
        // The other panels count every row, dated or not.
        const kpis = model.panels.kpis;
        assert.equal(kpis.status === "ready" && kpis.data.totalBytes, [...rows, ...bad].reduce((sum, r) => sum + (r.TotalBytes as number), 0));
    });

    it("is the same whether the rows come at once or in appended segments", () => {
        const whole = ready(freshnessOf(rows));
        const settings = settingsWith();
        let update = updateModel(undefined, buildDataView(rows.slice(0, 100), { roles: ROLES, moreData: true }), settings, LABELS, { isAppend: false });
        update = updateModel(update.state, buildDataView(rows.slice(0, 250), { roles: ROLES, moreData: true }), settings, LABELS, { isAppend: true });
        update = updateModel(update.state, buildDataView(rows, { roles: ROLES }), settings, LABELS, { isAppend: true });
        assert.equal(update.rebuilt, false);
        assert.deepEqual(ready(update.model), whole);
    });
});
