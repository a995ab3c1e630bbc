// Panel mode: the formatting option that draws one panel alone, and the model at that panel's grain (only the
// fields the panel needs bound, so Power BI aggregates one row per item and distinct counts are exact).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import type powerbi from "powerbi-visuals-api";
import { FormattingSettingsService } from "powerbi-visuals-utils-formattingmodel";
import { GROUPING_ROLES, MEASURE_ROLES, updateModel } from "../../src/model/index.ts";
import type { DashboardModel, DataViewInput, PanelId, RoleName } from "../../src/model/index.ts";
import type { PanelDefinition } from "../../src/panels/definition.ts";
import { PANEL_IDS, PANELS, PANELS_BY_PRIORITY } from "../../src/panels/registry.ts";
import { DatasetBuilder, type DatasetRow } from "../../src/preview/dataset.ts";
import { categoricalDataView, groupDataset } from "../../src/preview/dataview.ts";
import { seededRandom } from "../../src/random.ts";
import { ENGLISH } from "../../src/render/strings.ts";
import { PANEL_MODE_ITEMS, ShadowItSettingsModel, toDashboardSettings, WHOLE_DASHBOARD } from "../../src/settings.ts";
import { LABELS, settingsWith } from "./builder.ts";

const root = join(__dirname, "..", "..");
const capabilities = JSON.parse(readFileSync(join(root, "capabilities.json"), "utf8")) as {
    objects: Record<string, { properties: Record<string, { type: { enumeration?: { value: string; displayName: string; displayNameKey: string }[] } }> }>;
};
const palette = { isHighContrast: false, foreground: { value: "#000" }, background: { value: "#fff" }, getColor: () => ({ value: "#123456" }) };

interface ModeItem { value: string; displayName: string; displayNameKey: string }

/** How capabilities.json's panel mode list differs from the registry's panels; empty when they agree. */
function modeListProblems(declared: readonly ModeItem[] | undefined, panels: readonly PanelDefinition[]): string[] {
    if (declared === undefined) return ["capabilities.json has no objects.panelMode.properties.panel enumeration"];
    const expected: ModeItem[] = [
        { value: WHOLE_DASHBOARD, displayName: "Whole dashboard", displayNameKey: "Format_PanelMode_Dashboard" },
        ...[...panels].sort((a, b) => a.priority - b.priority).map(panel => ({
            value: panel.id, displayName: ENGLISH[panel.titleKey] as string, displayNameKey: panel.titleKey,
        })),
    ];
    const problems: string[] = [];
    for (const item of expected) {
        const found = declared.find(entry => entry.value === item.value);
        if (found === undefined) problems.push(`panel mode lists no "${item.value}": add ${JSON.stringify(item)}`);
        else if (JSON.stringify(found) !== JSON.stringify(item)) problems.push(`panel mode's "${item.value}" is ${JSON.stringify(found)}, expected ${JSON.stringify(item)}`);
    }
    for (const entry of declared) {
        if (!expected.some(item => item.value === entry.value)) problems.push(`panel mode lists "${entry.value}", which is no registered panel`);
    }
    if (problems.length === 0 && declared.map(entry => entry.value).join() !== expected.map(item => item.value).join()) {
        problems.push(`panel mode's order is ${declared.map(entry => entry.value).join(", ")}; expected the whole dashboard, then the layout's order`);
    }
    return problems;
}

function settingsFrom(objects: Record<string, unknown>) {
    const dataView = { metadata: { columns: [], objects } } as unknown as powerbi.DataView;
    const model = new FormattingSettingsService().populateFormattingSettingsModel(ShadowItSettingsModel, dataView);
    return toDashboardSettings(model, palette);
}

describe("panel mode option", () => {
    const declared = capabilities.objects.panelMode?.properties.panel?.type.enumeration;

    it("lists the whole dashboard and every registered panel, in capabilities.json and in the formatting pane", () => {
        assert.deepEqual(modeListProblems(declared, PANELS as readonly PanelDefinition[]), []);
        assert.deepEqual(PANEL_MODE_ITEMS.map(item => item.value), [WHOLE_DASHBOARD, ...PANEL_IDS]);
        assert.deepEqual(new ShadowItSettingsModel().panelMode.panel.items.map(item => item.value), declared?.map(entry => entry.value));
    });

    it("fails when a panel is registered without its entry, or an entry names no panel", () => {
        const [first] = PANELS as readonly PanelDefinition[];
        const added = { ...first, id: "new-panel", priority: 999 } as PanelDefinition;
        assert.match(modeListProblems(declared, [...PANELS as readonly PanelDefinition[], added]).join("; "), /lists no "new-panel"/);
        assert.match(modeListProblems(declared, (PANELS as readonly PanelDefinition[]).slice(1)).join("; "), new RegExp(`lists "${first.id}", which is no registered panel`));
        assert.match(modeListProblems(undefined, PANELS as readonly PanelDefinition[]).join(), /no objects.panelMode/);
    });

    it("defaults to the whole dashboard, with the Panels card's switches", () => {
        const settings = settingsFrom({ panels: { topApps: false } });
        assert.equal(settings.panelMode, null);
        assert.equal(settings.panels["top-apps"], false);
        assert.equal(settings.panels.kpis, true);
    });

    it("draws the chosen panel alone, whatever the switches say", () => {
        for (const id of PANEL_IDS) {
            const toggle = PANELS_BY_PRIORITY.find(panel => panel.id === id)!.toggle.property;
            const settings = settingsFrom({ panelMode: { panel: id }, panels: { [toggle]: false } });
            assert.equal(settings.panelMode, id);
            assert.deepEqual(PANEL_IDS.filter(other => settings.panels[other]), [id], id);
        }
    });

    it("falls back to the whole dashboard on a saved value that names no panel", () => {
        for (const bad of ["nonsense", "", "Top apps", "TOP-APPS", 5, true, "__proto__", "constructor"]) {
            const settings = settingsFrom({ panelMode: { panel: bad } });
            assert.equal(settings.panelMode, null, String(bad));
            assert.deepEqual(PANEL_IDS.filter(id => !settings.panels[id]), [], String(bad));
        }
        assert.equal(settingsFrom({ panelMode: { panel: WHOLE_DASHBOARD } }).panelMode, null);
    });
});

/*
 * A small tenant as table rows: users × days × apps × streams, each row one user's traffic with one app in one
 * stream on one day. The preview's DataView builder groups it as Power BI does for the bound fields (Sum, Count
 * (Distinct), and the exact-count DAX measures), so each panel can be queried at its own grain.
 */
const APPS = [
    { name: "Dropbox", category: "Cloud storage", score: 6, tags: "[\"unsanctioned\"]" },
    { name: "Box", category: "Cloud storage", score: 9, tags: "[\"sanctioned\"]" },
    { name: "Pastebin", category: "Code-hosting", score: 2, tags: "[\"unsanctioned\"]" },
    { name: "GitHub", category: "Code-hosting", score: 9, tags: "[\"sanctioned\"]" },
    { name: "ChatGPT", category: "Generative AI", score: 5, tags: "[]" },
    { name: "Yahoo Mail", category: "Webmail", score: 3, tags: "[]" },
];
const STREAMS = ["Engineering Proxy", "Finance Firewall", "Head Office"];
const DAYS = ["2026-02-20", "2026-02-21", "2026-02-23", "2026-02-24", "2026-02-25", "2026-02-27", "2026-03-01"];

function tenantRows(): DatasetRow[] {
    const random = seededRandom(18);
    const rows: DatasetRow[] = [];
    for (let user = 0; user < 14; user++) {
        for (const day of DAYS) {
            for (const app of APPS) {
                // Head Office stops after Feb 24: its feed is stale.
                const streams = STREAMS.filter(stream => random() < 0.35 && !(stream === "Head Office" && day > "2026-02-24"));
                for (const stream of streams) {
                    const up = Math.floor(random() ** 3 * 4e8);
                    const down = Math.floor(random() ** 2 * 9e8);
                    rows.push({
                        AppCategory: app.category, AppName: app.name, StreamName: stream, AppTags: app.tags, AppScore: app.score,
                        UserName: `user${user}@contoso.com`, IpAddress: `10.0.${user}.${rows.length % 3}`, TimeGenerated: day,
                        UploadedBytes: up, DownloadedBytes: down, TotalBytes: up + down, TotalEvents: 10, BlockedEvents: 1,
                    });
                }
            }
        }
    }
    return rows;
}

const ROWS = tenantRows();
const DATASET = (() => {
    const builder = new DatasetBuilder();
    for (const row of ROWS) builder.add(row);
    return builder.build("panel mode test tenant");
})();

/** The visual's model for a query grouped on `groupings` with `measures`, in panel mode on `panel` (or the dashboard). */
function modelOf(groupings: readonly string[], measures: readonly string[], panel: PanelId | null): DashboardModel {
    const table = groupDataset(DATASET, groupings, measures);
    const dataView = categoricalDataView(table, { start: 0, end: table.rowCount }) as unknown as DataViewInput;
    const panels = Object.fromEntries(PANEL_IDS.map(id => [id, panel === null || id === panel])) as Record<PanelId, boolean>;
    return updateModel(undefined, dataView, settingsWith({ panelMode: panel, panels }), LABELS, { isAppend: false }).model;
}

function readyData<T>(model: DashboardModel, id: PanelId): T {
    const panel = model.panels[id];
    assert.equal(panel.status, "ready", `${id}: ${JSON.stringify(panel)}`);
    return (panel as unknown as { data: T }).data;
}

function sum(rows: readonly DatasetRow[], column: "UploadedBytes" | "DownloadedBytes" | "TotalBytes"): number {
    return rows.reduce((total, row) => total + (row[column] ?? 0), 0);
}

function usersOf(rows: readonly DatasetRow[]): number {
    return new Set(rows.map(row => row.UserName)).size;
}

/** Per value of `key`, `value` of its rows, the larger first (ties by name): how the panels order their items. */
function byItem(rows: readonly DatasetRow[], key: (row: DatasetRow) => string, value: (rows: DatasetRow[]) => unknown[], order: (rows: DatasetRow[]) => number): unknown[][] {
    const groups = new Map<string, DatasetRow[]>();
    for (const row of rows) groups.set(key(row), [...groups.get(key(row)) ?? [], row]);
    return [...groups.entries()].sort(([a, ra], [b, rb]) => order(rb) - order(ra) || (a < b ? -1 : 1)).map(([name, items]) => [name, ...value(items)]);
}

const EVERY_GROUPING = ["AppCategory", "AppName", "StreamName", "AppScore", "AppTags", "TimeGenerated", "UserName"];
const ROW_MEASURES = ["UploadedBytes", "DownloadedBytes", "TotalBytes", "Users"];

describe("each panel alone, at its own grain", () => {
    it("binding only the fields a panel asks for (from its missing()) makes it ready, with data, in panel mode", () => {
        for (const panel of PANELS as readonly PanelDefinition[]) {
            const bound = new Set<RoleName>();
            for (let asked = panel.missing(bound); asked.length > 0; asked = panel.missing(bound)) asked.forEach(role => bound.add(role));
            const groupings = GROUPING_ROLES.filter(role => bound.has(role));
            const measures = MEASURE_ROLES.filter(role => bound.has(role));
            const model = modelOf(groupings, measures, panel.id as PanelId);
            const data = readyData<unknown>(model, panel.id as PanelId);
            assert.equal(panel.isEmpty(data), false, `${panel.id} alone with ${[...bound].join(", ")} has something to draw`);
            assert.deepEqual(model.distinctCounts.lowerBounds, [], panel.id);
        }
    });

    it("key figures: measures only give one row, and Users is the exact distinct count", () => {
        const kpis = readyData<{ users: unknown; totalBytes: number }>(modelOf([], ["TotalBytes", "Users"], "kpis"), "kpis");
        assert.deepEqual(kpis.users, { value: usersOf(ROWS), exact: true });
        assert.equal(kpis.totalBytes, sum(ROWS, "TotalBytes"));
    });

    it("traffic by category: only App category and the traffic, with Users per category exact", () => {
        type Bar = { label: { text: string }; totalBytes: number; users: unknown };
        const bars = readyData<Bar[]>(modelOf(["AppCategory"], ["TotalBytes", "UsersPerCategory"], "category-traffic"), "category-traffic");
        const expected = byItem(ROWS, row => row.AppCategory!, rows => [sum(rows, "TotalBytes"), { value: usersOf(rows), exact: true }], rows => sum(rows, "TotalBytes"));
        assert.deepEqual(bars.map(bar => [bar.label.text, bar.totalBytes, bar.users]), expected);
        // The same bars as the whole dashboard's, whose finer rows add up to the same traffic.
        const whole = readyData<Bar[]>(modelOf(EVERY_GROUPING, [...ROW_MEASURES, "UsersPerCategory"], null), "category-traffic");
        assert.deepEqual(whole.map(bar => [bar.label.text, bar.totalBytes]), expected.map(([name, bytes]) => [name, bytes]));
    });

    it("risk bands: only App score and the traffic", () => {
        type Band = { id: string; totalBytes: number };
        const bands = readyData<Band[]>(modelOf(["AppScore"], ["TotalBytes"], "risk-bands"), "risk-bands");
        const band = (min: number, max: number) => sum(ROWS.filter(row => row.AppScore! >= min && row.AppScore! <= max), "TotalBytes");
        assert.deepEqual(bands.map(b => [b.id, b.totalBytes]), [["high", band(0, 3)], ["medium", band(4, 7)], ["low", band(8, 10)]]);
    });

    it("streams: only Stream name, upload and download, with Users per stream exact", () => {
        type Bar = { label: { text: string }; uploaded: number; downloaded: number; users: unknown };
        const bars = readyData<Bar[]>(modelOf(["StreamName"], ["UploadedBytes", "DownloadedBytes", "UsersPerStream"], "stream-bytes"), "stream-bytes");
        const expected = byItem(ROWS, row => row.StreamName!,
            rows => [sum(rows, "UploadedBytes"), sum(rows, "DownloadedBytes"), { value: usersOf(rows), exact: true }],
            rows => sum(rows, "UploadedBytes") + sum(rows, "DownloadedBytes"));
        assert.deepEqual(bars.map(bar => [bar.label.text, bar.uploaded, bar.downloaded, bar.users]), expected);
    });

    it("top apps: one row per app, so Users (Count (Distinct)) is each app's exact count, a lower bound in the dashboard", () => {
        type Apps = { apps: { label: { text: string }; totalBytes: number; users: { value: number; exact: boolean } }[] };
        const alone = readyData<Apps>(modelOf(["AppName"], ["TotalBytes", "Users"], "top-apps"), "top-apps");
        const expected = byItem(ROWS, row => row.AppName!, rows => [sum(rows, "TotalBytes"), { value: usersOf(rows), exact: true }], rows => sum(rows, "TotalBytes"));
        assert.deepEqual(alone.apps.map(app => [app.label.text, app.totalBytes, app.users]), expected);
        const whole = modelOf(EVERY_GROUPING, ROW_MEASURES, null);
        const wholeApps = readyData<Apps>(whole, "top-apps");
        assert.deepEqual(wholeApps.apps.map(app => [app.label.text, app.totalBytes]), expected.map(([name, bytes]) => [name, bytes]));
        assert.ok(wholeApps.apps.every(app => !app.users.exact), "split over streams, days and users the dashboard can only say at least");
        assert.ok(whole.distinctCounts.lowerBounds.some(bound => bound.grain === "app"));
    });

    it("traffic per day: only Time generated and the traffic, days without rows as gaps", () => {
        type Timeline = { days: { hasData: boolean; total: number }[] };
        const timeline = readyData<Timeline>(modelOf(["TimeGenerated"], ["TotalBytes"], "timeline"), "timeline");
        const withData = timeline.days.filter(day => day.hasData);
        assert.deepEqual(withData.map(day => day.total), DAYS.map(day => sum(ROWS.filter(row => row.TimeGenerated === day), "TotalBytes")));
        assert.equal(timeline.days.length, 10, "Feb 20 to Mar 1");
        assert.equal(timeline.days.filter(day => !day.hasData).length, 3);
    });

    it("traffic per day: one row per day, so Users (Count (Distinct)) is each day's exact count, a lower bound with finer rows", () => {
        type Timeline = { days: { hasData: boolean; users: { value: number; exact: boolean } | null }[] };
        const expected = DAYS.map(day => ({ value: usersOf(ROWS.filter(row => row.TimeGenerated === day)), exact: true }));
        const alone = readyData<Timeline>(modelOf(["TimeGenerated"], ["TotalBytes", "Users"], "timeline"), "timeline");
        assert.deepEqual(alone.days.filter(day => day.hasData).map(day => day.users), expected);
        const byApp = readyData<Timeline>(modelOf(["TimeGenerated", "AppName"], ["TotalBytes", "Users"], "timeline"), "timeline");
        assert.ok(byApp.days.filter(day => day.hasData).every(day => day.users !== null && !day.users.exact), "several rows a day: at least");
    });

    it("freshness: only Stream name and Time generated", () => {
        type Freshness = { streams: { label: { text: string }; daysSince: number | null; stale: boolean }[] };
        const freshness = readyData<Freshness>(modelOf(["StreamName", "TimeGenerated"], [], "freshness"), "freshness");
        assert.deepEqual(freshness.streams.map(s => [s.label.text, s.daysSince, s.stale]), [
            ["Head Office", 5, true], ["Engineering Proxy", 0, false], ["Finance Firewall", 0, false],
        ]);
    });

    it("top users: only User name and the upload", () => {
        type People = { people: { label: { text: string }; uploaded: number }[] };
        const people = readyData<People>(modelOf(["UserName"], ["UploadedBytes"], "top-users"), "top-users");
        const expected = byItem(ROWS, row => row.UserName!, rows => [sum(rows, "UploadedBytes")], rows => sum(rows, "UploadedBytes")).slice(0, 10);
        assert.deepEqual(people.people.map(p => [p.label.text, p.uploaded]), expected);
    });
});
