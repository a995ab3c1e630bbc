import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { updateModel } from "../../src/model/index.ts";
import type { DashboardModel, Panel, TopApps } from "../../src/model/types.ts";
import { MAX_LABEL_LENGTH } from "../../src/model/types.ts";
import { buildDataView, DataViewOptions, DiscoveryRow, generateRows, LABELS, settingsWith } from "./builder.ts";

const rows = generateRows(2500, 31);

function modelOf(dataRows: readonly DiscoveryRow[], settings = settingsWith(), options: DataViewOptions = {}): DashboardModel {
    return updateModel(undefined, buildDataView(dataRows, options), settings, LABELS, { isAppend: false }).model;
}

function ready(panel: Panel<TopApps>): TopApps {
    assert.equal(panel.status, "ready", `panel not ready: ${JSON.stringify(panel)}`);
    return (panel as { data: TopApps }).data;
}

interface AppByHand {
    name: string;
    bytes: number;
    blocked: number;
    usersMax: number;
    category: string;
    score: number;
    tags: string;
}

/** Per-app aggregates summed straight from the rows, sorted by traffic then name. */
function appsByHand(data: readonly DiscoveryRow[]): AppByHand[] {
    const byName = new Map<string, AppByHand>();
    for (const row of data) {
        const name = row.AppName as string;
        const app = byName.get(name) ?? {
            name, bytes: 0, blocked: 0, usersMax: 0,
            category: row.AppCategory as string, score: row.AppScore as number, tags: row.AppTags as string,
        };
        app.bytes += row.TotalBytes as number;
        app.blocked += row.BlockedEvents as number;
        app.usersMax = Math.max(app.usersMax, row.Users as number);
        byName.set(name, app);
    }
    return [...byName.values()].sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function tagClassByHand(tags: string): "sanctioned" | "unsanctioned" | "other" {
    const list = (JSON.parse(tags) as string[]).map(tag => tag.toLowerCase());
    if (list.includes("unsanctioned")) return "unsanctioned";
    return list.includes("sanctioned") ? "sanctioned" : "other";
}

describe("top-apps", () => {
    const expected = appsByHand(rows);

    it("lists the top 10 apps by traffic with their category, score, band, tags, users and blocked events", () => {
        const table = ready(modelOf(rows).topApps);
        assert.equal(table.apps.length, 10);
        assert.equal(table.appCount, expected.length);
        assert.equal(table.totalBytes, expected.reduce((sum, app) => sum + app.bytes, 0));
        for (const [i, app] of table.apps.entries()) {
            const want = expected[i];
            assert.equal(app.label.text, want.name);
            assert.equal(app.totalBytes, want.bytes, want.name);
            assert.equal(app.blockedEvents, want.blocked, want.name);
            assert.deepEqual(app.users, { value: want.usersMax, exact: false }, want.name);
            assert.equal(app.category?.text, want.category);
            assert.equal(app.score, want.score);
            assert.equal(app.riskBand, want.score <= 3 ? "high" : want.score <= 7 ? "medium" : "low");
            assert.equal(app.tagClass, tagClassByHand(want.tags), want.name);
            assert.equal(app.highlightedBytes, null);
            // One representative row, of this app: its ID built with the AppName column selects all its rows.
            assert.equal(app.selection.role, "AppName");
            assert.equal(app.selection.rows.length, 1);
            assert.equal(rows[app.selection.rows[0]].AppName, want.name);
        }
        assert.ok(table.apps.some(app => app.tagClass === "unsanctioned") && table.apps.some(app => app.tagClass === "sanctioned"),
            "the sample mixes sanctioned and unsanctioned apps");
    });

    it("shows top N apps (1-50) from its own setting, independent of the category top N", () => {
        assert.equal(ready(modelOf(rows, settingsWith({ topAppsN: 3, topN: 20 })).topApps).apps.length, 3);
        assert.equal(ready(modelOf(rows, settingsWith({ topAppsN: 0 })).topApps).apps.length, 1);
        const all = ready(modelOf(rows, settingsWith({ topAppsN: 50 })).topApps);
        assert.equal(all.apps.length, expected.length, "fewer apps than N: every app");
        assert.deepEqual(all.apps.map(app => [app.label.text, app.totalBytes]), expected.map(app => [app.name, app.bytes]));
    });

    it("orders ties by name, whatever order the rows come in", () => {
        const tied = ["Zoom", "Box", "Miro", "Asana"].map((name, i) => ({ ...rows[i], AppName: name, TotalBytes: 500 }));
        const bigger = { ...rows[9], AppName: "Yammer", TotalBytes: 501 };
        for (const data of [[...tied, bigger], [bigger, ...tied].reverse()]) {
            const table = ready(modelOf(data).topApps);
            assert.deepEqual(table.apps.map(app => app.label.text), ["Yammer", "Asana", "Box", "Miro", "Zoom"]);
        }
    });

    it("shows an app whose rows disagree with the category, score and tags most of its traffic carries", () => {
        const base = { ...rows[0], AppName: "Dropbox" };
        const data = [
            { ...base, StreamName: "Head Office", AppCategory: "", AppScore: null, AppTags: null, TotalBytes: 100 },
            { ...base, StreamName: "Head Office", AppCategory: "Cloud storage", AppScore: 11, AppTags: "[\"unsanctioned\"]", TotalBytes: 200 },
            { ...base, StreamName: "Head Office", AppCategory: "Collaboration", AppScore: 6, AppTags: "[\"sanctioned\"]", TotalBytes: 300 },
            { ...base, StreamName: "Sales Zscaler", AppCategory: "Collaboration", AppScore: 6, AppTags: "[\"sanctioned\"]", TotalBytes: 150 },
            { ...base, StreamName: "Head Office", AppCategory: "Webmail", AppScore: 9, AppTags: "[]", TotalBytes: 400 },
        ];
        // Collaboration / 6 / sanctioned carries 450 bytes over two streams: more than Webmail / 9's 400.
        for (const order of [data, [...data].reverse()]) {
            const model = modelOf(order);
            const [app] = ready(model.topApps).apps;
            assert.equal(app.category?.text, "Collaboration");
            assert.equal(app.score, 6);
            assert.equal(app.riskBand, "medium");
            assert.equal(app.tagClass, "sanctioned");
            assert.equal(app.totalBytes, 1150);
            assert.equal(model.note.appsWithChangingAttributes, 1);
        }
    });

    it("with Time generated bound, shows an app with the category, score and tags of its latest day, in every panel", () => {
        const base = { ...rows[0], AppName: "Dropbox", StreamName: "Head Office" };
        const data = [
            // Old attributes with most of the traffic, then the catalogue's revision and the admin's tag.
            { ...base, AppCategory: "Cloud storage", AppScore: 7, AppTags: "[]", TotalBytes: 9000, TimeGenerated: new Date(2026, 1, 10) },
            { ...base, AppCategory: "Cloud storage", AppScore: 7, AppTags: "[]", TotalBytes: 8000, TimeGenerated: new Date(2026, 1, 20) },
            { ...base, AppCategory: "Cloud storage", AppScore: 3, AppTags: "[\"unsanctioned\"]", TotalBytes: 100, TimeGenerated: new Date(2026, 2, 1) },
            { ...base, StreamName: "Sales Zscaler", AppCategory: "Cloud storage", AppScore: 3, AppTags: "[\"unsanctioned\"]", TotalBytes: 50, TimeGenerated: "2026-03-02T08:00:00Z" },
            // A row without a usable date dates nothing.
            { ...base, AppCategory: "Webmail", AppScore: 9, AppTags: "[]", TotalBytes: 10, TimeGenerated: null },
        ];
        const roles = ["AppCategory", "AppName", "StreamName", "AppScore", "AppTags", "TotalBytes", "TimeGenerated"] as const;
        for (const order of [data, [...data].reverse()]) {
            const model = modelOf(order, settingsWith(), { roles });
            const [app] = ready(model.topApps).apps;
            assert.deepEqual([app.score, app.riskBand, app.tagClass, app.totalBytes], [3, "high", "unsanctioned", 17160]);
            const bands = model.riskBands.status === "ready" ? model.riskBands.data : [];
            assert.equal(bands.find(b => b.id === "high")?.totalBytes, 17160, "the band follows the shown score");
            assert.equal(model.note.appsWithChangingAttributes, 1);
            assert.equal(model.note.changingAppsByLatestDay, true);
        }
        // Without Time generated the same rows show the attributes of most traffic.
        const [old] = ready(modelOf(data, settingsWith(), { roles: roles.filter(r => r !== "TimeGenerated") }).topApps).apps;
        assert.deepEqual([old.score, old.tagClass], [7, "other"]);
    });

    it("breaks a tie in traffic by the riskier score, then the category, whatever the row order", () => {
        const base = { ...rows[0], AppName: "WeTransfer", AppTags: "[]", TotalBytes: 500 };
        const data = [
            { ...base, AppCategory: "Cloud storage", AppScore: 7 },
            { ...base, AppCategory: "File sharing", AppScore: 4 },
            { ...base, AppCategory: "Collaboration", AppScore: 4 },
        ];
        for (const order of [data, [...data].reverse(), [data[1], data[0], data[2]]]) {
            const [app] = ready(modelOf(order).topApps).apps;
            assert.deepEqual([app.score, app.category?.text], [4, "Collaboration"]);
        }
    });

    it("shows a blank category as (Blank), no score as unscored, and blank tags as other", () => {
        const data = [{ ...rows[0], AppName: "Mystery", AppCategory: null, AppScore: "n/a", AppTags: " " }];
        const [app] = ready(modelOf(data).topApps).apps;
        assert.deepEqual(app.category, { key: "blank", text: "(Blank)", isBlank: true });
        assert.equal(app.score, null);
        assert.equal(app.riskBand, "unscored");
        assert.equal(app.tagClass, "other");
    });

    it("moves apps between bands with the thresholds", () => {
        const custom = ready(modelOf(rows, settingsWith({ thresholds: { highMax: 6, mediumMax: 8 } })).topApps);
        for (const [i, app] of custom.apps.entries()) {
            const score = expected[i].score;
            assert.equal(app.riskBand, score <= 6 ? "high" : score <= 8 ? "medium" : "low");
        }
    });

    it("leaves out what is not bound and derives traffic from upload and download", () => {
        const table = ready(modelOf(rows, settingsWith(), { roles: ["AppName", "UploadedBytes", "DownloadedBytes"] }).topApps);
        const [first] = table.apps;
        assert.equal(first.category, null);
        assert.equal(first.score, null);
        assert.equal(first.riskBand, null);
        assert.equal(first.tagClass, null);
        assert.equal(first.users, null);
        assert.equal(first.blockedEvents, null);
        const name = first.label.text;
        const byHand = rows.filter(row => row.AppName === name)
            .reduce((sum, row) => sum + (row.UploadedBytes as number) + (row.DownloadedBytes as number), 0);
        assert.equal(first.totalBytes, byHand);
    });

    it("names the fields to add when AppName or bytes are missing", () => {
        assert.deepEqual(modelOf(rows, settingsWith(), { roles: ["AppCategory", "TotalBytes"] }).topApps,
            { status: "missing", missing: ["AppName"] });
        assert.deepEqual(modelOf(rows, settingsWith(), { roles: ["AppName", "UploadedBytes"] }).topApps,
            { status: "missing", missing: ["TotalBytes"] });
        assert.deepEqual(modelOf(rows, settingsWith(), { roles: ["StreamName", "Users"] }).topApps,
            { status: "missing", missing: ["AppName", "TotalBytes"] });
    });

    it("reports highlighted bytes per app", () => {
        const options: DataViewOptions = { highlight: row => (row.StreamName === "Head Office" ? 1 : 0) };
        const table = ready(modelOf(rows, settingsWith(), options).topApps);
        for (const app of table.apps) {
            const byHand = rows.filter(row => row.AppName === app.label.text && row.StreamName === "Head Office")
                .reduce((sum, row) => sum + (row.TotalBytes as number), 0);
            assert.equal(app.highlightedBytes, byHand, app.label.text);
        }
    });

    it("leaves invalid traffic out, shows blank names as (Blank), keeps markup and truncates 10,000-character names", () => {
        const long = "Exfil".repeat(2000);
        const markup = "<img src=x onerror=alert(1)>";
        const data = [
            { ...rows[0], AppName: long, TotalBytes: 3000 },
            { ...rows[1], AppName: "", TotalBytes: 2000 },
            { ...rows[2], AppName: null, TotalBytes: 500 },
            { ...rows[3], AppName: markup, TotalBytes: 1000 },
            { ...rows[4], AppName: markup, TotalBytes: -5 },
            { ...rows[5], AppName: markup, TotalBytes: Number.NaN },
        ];
        const model = modelOf(data);
        const table = ready(model.topApps);
        assert.deepEqual(table.apps.map(app => app.totalBytes), [3000, 2500, 1000]);
        assert.equal(table.apps[0].label.text.length, MAX_LABEL_LENGTH);
        assert.ok(table.apps[0].label.text.endsWith("…"));
        assert.deepEqual(table.apps[1].label, { key: "blank", text: "(Blank)", isBlank: true });
        assert.equal(table.apps[2].label.text, markup);
        assert.equal(model.note.negativeValues.TotalBytes, 1);
        assert.equal(model.note.invalidValues.TotalBytes, 1);
        assert.equal(model.note.truncatedLabels, 1);
    });
});
