import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dayFromParts, isoDay } from "../../src/model/days.ts";
import { updateModel } from "../../src/model/index.ts";
import type { DashboardModel, DashboardSettings, RoleName } from "../../src/model/types.ts";
import type { Timeline } from "../../src/panels/timeline/model.ts";
import { buildDataView, DiscoveryRow, generateRows, LABELS, settingsWith } from "./builder.ts";

const TODAY = dayFromParts(2026, 3, 2)!;
const ROLES: readonly RoleName[] = [
    "AppName", "AppScore", "AppTags", "StreamName", "TimeGenerated", "UploadedBytes", "DownloadedBytes", "TotalBytes", "UserName",
];
/** Days (before today) on which no row was collected: the timeline shows them as gaps. */
const GAPS = new Set([TODAY - 3, TODAY - 4]);

function localDate(day: number): Date {
    const [y, m, d] = isoDay(day).split("-").map(Number);
    return new Date(y, m - 1, d);
}

/** Rows over the 14 days up to today, none on the gap days, each with a user of five. */
function rowsOverDays(): DiscoveryRow[] {
    const rows: DiscoveryRow[] = [];
    generateRows(420, 5).forEach((row, i) => {
        const day = TODAY - (i % 14);
        if (GAPS.has(day)) return;
        rows.push({ ...row, TimeGenerated: localDate(day), UserName: `user${i % 5}@contoso.com` });
    });
    return rows;
}

function timelineOf(rows: readonly DiscoveryRow[], settings: Partial<DashboardSettings> = {}, roles = ROLES): Timeline {
    const model: DashboardModel = updateModel(undefined, buildDataView(rows, { roles }), settingsWith(settings), LABELS, { isAppend: false }).model;
    const panel = model.panels.timeline;
    if (panel.status !== "ready") throw new Error(`timeline is missing ${panel.missing.join(", ")}`);
    return panel.data;
}

describe("timeline", () => {
    const rows = rowsOverDays();
    const dayOf = (row: DiscoveryRow) => Math.round(Date.UTC((row.TimeGenerated as Date).getFullYear(), (row.TimeGenerated as Date).getMonth(), (row.TimeGenerated as Date).getDate()) / 86_400_000);
    const sum = (day: number, role: "UploadedBytes" | "DownloadedBytes" | "TotalBytes") =>
        rows.filter(r => dayOf(r) === day).reduce((s, r) => s + (r[role] as number), 0);

    it("names the fields it misses", () => {
        const model = updateModel(undefined, buildDataView(rows, { roles: ["AppName", "TimeGenerated"] }), settingsWith(), LABELS, { isAppend: false }).model;
        assert.deepEqual(model.panels.timeline, { status: "missing", missing: ["TotalBytes"] });
    });

    it("gives every day from the first to the last its upload and download, and the days without rows as gaps", () => {
        const data = timelineOf(rows);
        assert.equal(data.split, "direction");
        assert.deepEqual(data.days.map(d => isoDay(d.day)), Array.from({ length: 14 }, (_, i) => isoDay(TODAY - 13 + i)));
        for (const day of data.days) {
            if (GAPS.has(day.day)) {
                assert.deepEqual([day.hasData, day.selection, day.users], [false, null, null], isoDay(day.day));
                continue;
            }
            assert.deepEqual(day.parts, [sum(day.day, "UploadedBytes"), sum(day.day, "DownloadedBytes")], isoDay(day.day));
            assert.equal(day.total, sum(day.day, "TotalBytes"));
            const users = new Set(rows.filter(r => dayOf(r) === day.day).map(r => r.UserName));
            assert.deepEqual(day.users, { value: users.size, exact: true });
            assert.ok(day.selection!.rows.every(row => dayOf(rows[row]) === day.day), "a day selects its own rows");
        }
    });

    it("splits by the apps' risk band or sanctioned state, adding up to each day's traffic", () => {
        for (const split of ["riskBand", "tagClass"] as const) {
            const data = timelineOf(rows, { timeline: { split } });
            assert.equal(data.split, split);
            for (const day of data.days.filter(d => d.hasData)) assert.equal(day.parts.reduce((a, b) => a + b, 0), day.total, split);
        }
        const bands = timelineOf(rows, { timeline: { split: "riskBand" } });
        const high = bands.days.reduce((s, d) => s + d.parts[0], 0);
        const expectedHigh = rows.filter(r => typeof r.AppScore === "number" && r.AppScore <= 3).reduce((s, r) => s + (r.TotalBytes as number), 0);
        assert.equal(high, expectedHigh);
        // A split whose field is not bound falls back to plain traffic.
        const plain = timelineOf(rows, { timeline: { split: "riskBand" } }, ROLES.filter(r => r !== "AppScore"));
        assert.deepEqual([plain.split, plain.series], ["traffic", ["traffic"]]);
    });

    it("leaves out days after today, and is the same from appended segments", () => {
        const future = { ...rows[0], TimeGenerated: localDate(TODAY + 3) };
        const data = timelineOf([...rows, future], { today: TODAY });
        assert.equal(isoDay(data.days[data.days.length - 1].day), "2026-03-02");
        const whole = timelineOf(rows);
        const settings = settingsWith();
        let update = updateModel(undefined, buildDataView(rows.slice(0, 150), { roles: ROLES, moreData: true }), settings, LABELS, { isAppend: false });
        update = updateModel(update.state, buildDataView(rows, { roles: ROLES }), settings, LABELS, { isAppend: true });
        assert.equal(update.rebuilt, false);
        const appended = update.model.panels.timeline;
        assert.deepEqual(appended.status === "ready" ? appended.data : null, whole);
    });
});
