import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hierarchyDate, hierarchyGrainOf, monthOf, quarterOf } from "../../src/model/date-hierarchy.ts";
import { dayFromParts, isoDay } from "../../src/model/days.ts";
import type { CategoryColumnInput, DataViewInput } from "../../src/model/input.ts";
import { updateModel } from "../../src/model/index.ts";
import type { DashboardModel, RoleName } from "../../src/model/types.ts";
import { buildDataView, DiscoveryRow, generateRows, LABELS, settingsWith } from "./builder.ts";

/** The fixed "today" of these tests: 2026-03-02 (the day of the tests' fixed instant 2026-03-02T10:00:00Z). */
const TODAY = dayFromParts(2026, 3, 2)!;
const ROLES: readonly RoleName[] = ["AppName", "StreamName", "TimeGenerated", "TotalBytes", "UploadedBytes", "DownloadedBytes"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

type Level = "Year" | "Quarter" | "Month" | "Day";

/** Rows over the 40 days before today, TimeGenerated as Power BI hands a date column: a local-midnight Date. */
function rowsOverDays(): DiscoveryRow[] {
    const rows: DiscoveryRow[] = [];
    const base = generateRows(12, 5);
    for (let day = TODAY - 40; day <= TODAY; day += 3) {
        const [y, m, d] = isoDay(day).split("-").map(Number);
        base.forEach((row, i) => {
            if ((i + day) % 2 === 0) rows.push({ ...row, TimeGenerated: new Date(y, m - 1, d) });
        });
    }
    return rows;
}

/**
 * The DataView Power BI sends for the same rows with the Date Hierarchy of TimeGenerated in the well: its kept levels
 * in place of the date column, each a category column with the TimeGenerated role and the level's queryName, the
 * year and day as numbers, the quarter as "Qtr n" and the month as its name.
 */
function asHierarchy(dataView: DataViewInput, levels: readonly Level[]): DataViewInput {
    const categories = dataView.categorical!.categories!;
    const at = categories.findIndex(column => column.source.roles?.TimeGenerated === true);
    const dates = categories[at].values as Date[];
    const valueOf: Record<Level, (date: Date) => unknown> = {
        Year: date => date.getFullYear(),
        Quarter: date => `Qtr ${Math.floor(date.getMonth() / 3) + 1}`,
        Month: date => MONTHS[date.getMonth()],
        Day: date => date.getDate(),
    };
    const levelColumns: CategoryColumnInput[] = levels.map(level => ({
        source: {
            displayName: level, queryName: `McasShadowItReporting.TimeGenerated.Variation.Date Hierarchy.${level}`,
            roles: { TimeGenerated: true },
        },
        values: dates.map(valueOf[level]),
    }));
    return { ...dataView, categorical: { ...dataView.categorical, categories: [...categories.slice(0, at), ...levelColumns, ...categories.slice(at + 1)] } };
}

function modelOf(dataView: DataViewInput): DashboardModel {
    return updateModel(undefined, dataView, settingsWith({ today: TODAY }), LABELS, { isAppend: false }).model;
}

/** The timeline's days with data, as ISO days and traffic. */
function daysOf(model: DashboardModel): [string, number][] {
    const panel = model.panels.timeline;
    if (panel.status !== "ready") throw new Error(`timeline is missing ${panel.missing.join(", ")}`);
    return panel.data.days.filter(day => day.hasData).map(day => [isoDay(day.day), day.total]);
}

describe("Time generated bound as a date hierarchy", () => {
    const rows = rowsOverDays();
    const plain = buildDataView(rows, { roles: ROLES });

    it("dates each row by its Year, Quarter, Month and Day levels as the date itself would", () => {
        const byDate = modelOf(plain);
        const byHierarchy = modelOf(asHierarchy(plain, ["Year", "Quarter", "Month", "Day"]));
        assert.ok(daysOf(byDate).length > 10);
        assert.deepEqual(daysOf(byHierarchy), daysOf(byDate));
        assert.deepEqual(byHierarchy.note.leftOutDates, {});
        assert.equal(byHierarchy.note.timeHierarchy, undefined);
        const freshness = byHierarchy.panels.freshness;
        assert.equal(freshness.status, "ready");
        assert.deepEqual(freshness, byDate.panels.freshness);
        // A day made from levels cannot be a filter's value: the hierarchy's days are not selectable, the date's are.
        const selectable = (model: DashboardModel): boolean[] => model.panels.timeline.status === "ready"
            ? model.panels.timeline.data.days.filter(day => day.hasData).map(day => day.selection !== null) : [];
        assert.ok(selectable(byDate).every(Boolean));
        assert.ok(selectable(byHierarchy).every(value => !value));
        // Without the Quarter level the day is the same.
        assert.deepEqual(daysOf(modelOf(asHierarchy(plain, ["Year", "Month", "Day"]))), daysOf(byDate));
    });

    it("dates rows on the first day of their month without Day, and says so", () => {
        const model = modelOf(asHierarchy(plain, ["Year", "Month"]));
        const expected = new Map<string, number>();
        for (const row of rows) {
            const date = row.TimeGenerated as Date;
            const first = isoDay(dayFromParts(date.getFullYear(), date.getMonth() + 1, 1)!);
            expected.set(first, (expected.get(first) ?? 0) + (row.TotalBytes as number));
        }
        assert.deepEqual(daysOf(model), [...expected].sort());
        assert.equal(model.note.timeHierarchy, "month");
        assert.equal(modelOf(asHierarchy(plain, ["Year", "Quarter"])).note.timeHierarchy, "quarter");
        assert.deepEqual(daysOf(modelOf(asHierarchy(plain, ["Year", "Quarter"]))).map(([day]) => day), ["2026-01-01"]);
    });

    it("flags daily uploads only when the levels reach the day", () => {
        const people: readonly RoleName[] = [...ROLES, "UserName", "AppScore"];
        const heavy = rows.map(row => ({ ...row, UserName: "adele@contoso.com", AppScore: 1, UploadedBytes: 600_000_000 }));
        const flagsOf = (dataView: DataViewInput): (number | null)[] => {
            const panel = modelOf(dataView).panels["top-users"];
            return panel.status === "ready" ? panel.data.people.map(person => person.flaggedDays) : [];
        };
        const plainPeople = buildDataView(heavy, { roles: people });
        const days = new Set(heavy.map(row => (row.TimeGenerated as Date).getTime())).size;
        assert.deepEqual(flagsOf(plainPeople), [days]);
        assert.deepEqual(flagsOf(asHierarchy(plainPeople, ["Year", "Month", "Day"])), [days]);
        assert.deepEqual(flagsOf(asHierarchy(plainPeople, ["Year", "Month"])), [null]);
    });

    it("leaves out levels that name no date and says which to keep", () => {
        for (const levels of [["Year"], ["Month", "Day"], ["Year", "Day"]] as Level[][]) {
            const model = modelOf(asHierarchy(plain, levels));
            assert.equal(model.note.timeHierarchy, "none", levels.join("+"));
            assert.equal(model.panels.timeline.status === "ready" ? model.panels.timeline.data.days.length : 0, 0, levels.join("+"));
        }
        // The Year level alone is counted as numbers, as before.
        assert.equal(modelOf(asHierarchy(plain, ["Year"])).note.leftOutDates.number, rows.length);
    });

    it("counts blank and impossible levels in the note like any Time generated value", () => {
        const dataView = asHierarchy(plain, ["Year", "Month", "Day"]);
        const columns = dataView.categorical!.categories!.map(column => ({ ...column, values: [...column.values] }));
        const month = columns.find(column => column.source.displayName === "Month")!;
        const day = columns.find(column => column.source.displayName === "Day")!;
        (month.values as unknown[])[0] = null;
        (month.values as unknown[])[1] = "Frühling";
        (month.values as unknown[])[2] = "February";
        (day.values as unknown[])[2] = 30;
        const model = modelOf({ ...dataView, categorical: { ...dataView.categorical, categories: columns } });
        assert.deepEqual(model.note.leftOutDates, { blank: 1, invalid: 2 });
    });

    it("reads level values as Power BI writes them, and nothing else", () => {
        assert.equal(monthOf("March"), 3);
        assert.equal(monthOf("mar"), 3);
        assert.equal(monthOf(12), 12);
        for (const bad of ["Ma", "Marchy", "März", 13, 0, null, 2.5]) assert.equal(monthOf(bad), null, String(bad));
        assert.equal(quarterOf("Qtr 3"), 3);
        assert.equal(quarterOf("Q1"), 1);
        assert.equal(quarterOf(4), 4);
        for (const bad of ["Qtr 5", "Quarter 1", 0, null]) assert.equal(quarterOf(bad), null, String(bad));
        assert.equal(hierarchyDate("day", 2026, "Qtr 1", "March", 2), "2026-03-02");
        assert.equal(hierarchyDate("day", 2026, null, "February", 29), "invalid");
        assert.equal(hierarchyDate("month", 2026, null, "March", null), "2026-03-01");
        assert.equal(hierarchyDate("quarter", 2025, "Qtr 4", null, null), "2025-10-01");
        assert.equal(hierarchyDate("day", null, null, "March", 2), null);
        assert.equal(hierarchyGrainOf({ year: 0, quarter: 1, month: 2, day: 3 }), "day");
        assert.equal(hierarchyGrainOf({ year: 0, day: 1 }), null);
    });
});
