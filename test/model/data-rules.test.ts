// The dashboard's rules for messy discovery data (docs/visual.md, "Data notes"): negative values, apps whose
// attributes change, and Defender for Cloud Apps' aggregate "Global view" stream.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { updateModel } from "../../src/model/index.ts";
import type { DashboardModel, MeasureRole, Panel } from "../../src/model/types.ts";
import { buildDataView, DataViewOptions, DiscoveryRow, generateRows, LABELS, MEASURES, settingsWith, sumOf } from "./builder.ts";
import { globalViewOf, ROLE_FIELDS } from "../fixtures/global-view.ts";

function modelOf(rows: readonly DiscoveryRow[], options: DataViewOptions = {}): DashboardModel {
    return updateModel(undefined, buildDataView(rows, options), settingsWith({ topN: 50, topAppsN: 50 }), LABELS, { isAppend: false }).model;
}

function ready<T>(panel: Panel<T>): T {
    assert.equal(panel.status, "ready", `panel not ready: ${JSON.stringify(panel)}`);
    return (panel as { data: T }).data;
}

/** Rows in the order Power BI sends them: ascending by the groupings, category first. */
function powerBiOrder(rows: readonly DiscoveryRow[]): DiscoveryRow[] {
    const text = (value: unknown) => String(value ?? "");
    return [...rows].sort((a, b) => text(a.AppCategory).localeCompare(text(b.AppCategory))
        || text(a.AppName).localeCompare(text(b.AppName)) || text(a.StreamName).localeCompare(text(b.StreamName)));
}

/** A panel's data without the rows it selects (row indices differ between DataViews of the same data). */
function withoutSelections(value: unknown): unknown {
    return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === "selection" ? undefined : v)));
}

/** As withoutSelections, and without telling exact counts from lower bounds. */
function withoutExactness(value: unknown): unknown {
    return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === "selection" || key === "exact" ? undefined : v)));
}

describe("negative values", () => {
    const rows = generateRows(200, 13);
    // A refund-like correction of -4 GB next to +5 GB of the same app on another stream, and a row whose every
    // measure is negative (TotalEvents -5 with BlockedEvents -5, as in a reported export).
    const dropbox = rows.filter(row => row.AppName === "Dropbox");
    assert.ok(dropbox.length >= 2, "the data has Dropbox on several rows");
    const plus = rows.indexOf(dropbox[0]);
    const minus = rows.indexOf(dropbox[1]);
    rows[plus] = { ...rows[plus], UploadedBytes: 5e9, DownloadedBytes: 0, TotalBytes: 5e9 };
    rows[minus] = {
        ...rows[minus], UploadedBytes: -4e9, DownloadedBytes: -1, TotalBytes: -4e9, TotalEvents: -5, BlockedEvents: -5,
        Users: -1, IpAddresses: -2,
    };
    rows[7] = { ...rows[7], TotalEvents: 12, BlockedEvents: -3 };

    it("leaves every negative value out on its own, before any sum, and counts it per measure", () => {
        const model = modelOf(rows);
        const negatives: Partial<Record<MeasureRole, number>> = {};
        for (const role of MEASURES) {
            const count = rows.filter(row => typeof row[role] === "number" && (row[role] as number) < 0).length;
            if (count > 0) negatives[role] = count;
        }
        assert.deepEqual(model.note.negativeValues, negatives);
        assert.deepEqual(model.note.negativeValues, {
            UploadedBytes: 1, DownloadedBytes: 1, TotalBytes: 1, TotalEvents: 1, BlockedEvents: 2, Users: 1, IpAddresses: 1,
        });
        assert.deepEqual(model.note.invalidValues, {});

        const kpis = ready(model.kpis);
        assert.equal(kpis.totalBytes, sumOf(rows, "TotalBytes"));
        assert.equal(kpis.uploadedBytes, sumOf(rows, "UploadedBytes"));
        assert.equal(kpis.totalEvents, sumOf(rows, "TotalEvents"));
        assert.equal(kpis.blockedEvents, sumOf(rows, "BlockedEvents"));
        assert.equal(kpis.blockedShare, sumOf(rows, "BlockedEvents") / sumOf(rows, "TotalEvents"));

        // +5 GB and -4 GB of one app are 5 GB in every panel, never 1 GB.
        const app = ready(model.topApps).apps.find(a => a.label.text === "Dropbox");
        assert.equal(app?.totalBytes, sumOf(rows, "TotalBytes", row => row.AppName === "Dropbox"));
        assert.ok((app?.totalBytes ?? 0) >= 5e9);
        const category = ready(model.categoryTraffic).find(bar => bar.label.text === "Cloud storage");
        assert.equal(category?.totalBytes, sumOf(rows, "TotalBytes", row => row.AppCategory === "Cloud storage"));
        const band = ready(model.riskBands).find(b => b.id === "medium");
        assert.equal(band?.totalBytes, sumOf(rows, "TotalBytes", row => (row.AppScore as number) >= 4 && (row.AppScore as number) <= 7));
        for (const stream of ready(model.streamBytes)) {
            assert.equal(stream.uploaded, sumOf(rows, "UploadedBytes", row => row.StreamName === stream.label.text));
        }
    });

    it("does the same when the total is derived from upload and download", () => {
        const model = modelOf(rows, { roles: ["AppName", "AppCategory", "UploadedBytes", "DownloadedBytes"] });
        assert.deepEqual(model.note.negativeValues, { UploadedBytes: 1, DownloadedBytes: 1 });
        assert.equal(ready(model.kpis).totalBytes, sumOf(rows, "UploadedBytes") + sumOf(rows, "DownloadedBytes"));
    });
});

describe("the Global view stream", () => {
    const sources = generateRows(300, 17);
    const withGlobalView = powerBiOrder([...sources, ...globalViewOf(sources, ROLE_FIELDS)]);
    const alone = modelOf(powerBiOrder(sources));

    it("gives the key figures, categories, bands and top apps of the per-source streams, not twice them", () => {
        const model = modelOf(withGlobalView);
        assert.equal(ready(model.kpis).totalBytes, sumOf(sources, "TotalBytes"));
        assert.equal(ready(model.kpis).blockedEvents, sumOf(sources, "BlockedEvents"));
        for (const panel of ["kpis", "categoryTraffic", "riskBands", "topApps"] as const) {
            assert.deepEqual(withoutExactness(model[panel]), withoutExactness(alone[panel]), panel);
        }
        // The same values; but the Global view has one row per app, which holds all of the app's users, so there the
        // apps' counts are exact where the per-source rows only bound them from below.
        assert.ok(ready(model.topApps).apps.every(app => app.users?.exact === true));
        assert.ok(ready(alone.topApps).apps.every(app => app.users?.exact === false));
        assert.equal(model.note.globalViewUsed, true);
    });

    it("shows the per-source streams as bars and the Global view apart, as their total", () => {
        const model = modelOf(withGlobalView);
        assert.deepEqual(withoutSelections(model.streamBytes), withoutSelections(alone.streamBytes));
        assert.ok(ready(model.streamBytes).every(bar => bar.label.text !== "Global view"));
        const total = model.globalViewStream;
        assert.equal(total?.label.text, "Global view");
        assert.equal(total?.uploaded, sumOf(sources, "UploadedBytes"));
        assert.equal(total?.downloaded, sumOf(sources, "DownloadedBytes"));
        assert.equal(withGlobalView[total?.selection.rows[0] ?? -1]?.StreamName, "Global view", "it selects the Global view's rows");
    });

    it("matches the fold of the whole when the Global view's rows arrive in later segments", () => {
        const settings = settingsWith({ topN: 50, topAppsN: 50 });
        const cuts = [40, 170, withGlobalView.length];
        let state;
        let model;
        for (const [i, cut] of cuts.entries()) {
            ({ state, model } = updateModel(state, buildDataView(withGlobalView.slice(0, cut), { moreData: i < cuts.length - 1 }),
                settings, LABELS, { isAppend: i > 0 }));
        }
        assert.deepEqual(model, modelOf(withGlobalView));
    });

    it("sums the streams as before without a Global view, and takes a Global view alone as the one stream", () => {
        assert.equal(alone.globalViewStream, null);
        assert.equal(alone.note.globalViewUsed, false);
        const only = modelOf(globalViewOf(sources, ROLE_FIELDS));
        assert.equal(only.note.globalViewUsed, false);
        assert.equal(only.globalViewStream, null);
        assert.deepEqual(ready(only.streamBytes).map(bar => [bar.label.text, bar.uploaded]), [["Global view", sumOf(sources, "UploadedBytes")]]);
        assert.equal(ready(only.kpis).totalBytes, sumOf(sources, "TotalBytes"));
    });

    it("recognises the name without regard to case or surrounding spaces, and counts negative values of its rows", () => {
        const first = withGlobalView.findIndex(row => row.StreamName === "Global view");
        const renamed = withGlobalView.map((row, i) => (row.StreamName === "Global view"
            ? { ...row, StreamName: " GLOBAL VIEW ", TotalEvents: i === first ? -1 : row.TotalEvents }
            : row));
        const model = modelOf(renamed);
        assert.equal(model.note.globalViewUsed, true);
        assert.equal(ready(model.kpis).totalBytes, sumOf(sources, "TotalBytes"));
        assert.deepEqual(model.note.negativeValues, { TotalEvents: 1 });
        assert.equal(ready(model.kpis).totalEvents, sumOf(sources, "TotalEvents") - (withGlobalView[first].TotalEvents as number));
    });
});
