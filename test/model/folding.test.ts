import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { accumulate, buildModel, createModelState, shouldFetchMore, updateModel } from "../../src/model/index.ts";
import type { ModelState } from "../../src/model/index.ts";
import { buildDataView, DataViewOptions, DiscoveryRow, generateRows, LABELS, settingsWith } from "./builder.ts";

const rows = generateRows(3000, 23);
// Segments grow the DataView as fetchMoreData(true) does: each update carries every row so far.
const cuts = [1200, 2100, 3000];

function segments(all: readonly DiscoveryRow[], options: DataViewOptions = {}) {
    return cuts.map((cut, i) => buildDataView(all.slice(0, cut), { ...options, moreData: i < cuts.length - 1 }));
}

describe("incremental folding of fetchMoreData segments", () => {
    it("folds three segments into the same model as the whole DataView at once, reading each row once", () => {
        const settings = settingsWith({ topN: 4 });
        let state: ModelState = createModelState();
        const folded: number[] = [];
        const rebuilt: boolean[] = [];
        let last;
        for (const [i, dataView] of segments(rows).entries()) {
            last = updateModel(state, dataView, settings, LABELS, { isAppend: i > 0 });
            state = last.state;
            folded.push(last.rowsFolded);
            rebuilt.push(last.rebuilt);
        }
        assert.deepEqual(folded, [1200, 900, 900]);
        assert.deepEqual(rebuilt, [true, false, false]);
        const whole = updateModel(undefined, buildDataView(rows), settings, LABELS, { isAppend: false }).model;
        assert.deepEqual(last?.model, whole);
        assert.equal(whole.note.rowsRead, 3000);
        // The top-apps table is part of the model compared above; check it is really there and non-trivial.
        assert.equal(whole.topApps.status, "ready");
        const table = whole.topApps.status === "ready" ? whole.topApps.data : null;
        assert.equal(table?.apps.length, 10);
        assert.deepEqual(last?.model.topApps, whole.topApps);
        assert.equal(table?.apps.reduce((n, app) => n + (app.users?.value ?? 0), 0) !== 0, true);
    });

    it("also folds highlights and invalid values segment by segment", () => {
        const noisy = rows.map((row, i) => (i % 97 === 0 ? { ...row, TotalBytes: -1, UploadedBytes: "n/a" } : row));
        const options: DataViewOptions = { highlight: row => (row.StreamName === "Head Office" ? 1 : 0) };
        let state: ModelState | undefined;
        let model;
        for (const [i, dataView] of segments(noisy, options).entries()) {
            ({ state, model } = updateModel(state, dataView, settingsWith(), LABELS, { isAppend: i > 0 }));
        }
        const whole = updateModel(undefined, buildDataView(noisy, options), settingsWith(), LABELS, { isAppend: false }).model;
        assert.deepEqual(model, whole);
        assert.equal(whole.note.negativeValues.TotalBytes, Math.ceil(3000 / 97));
        assert.equal(whole.note.invalidValues.UploadedBytes, Math.ceil(3000 / 97));
        assert.equal(whole.hasHighlights, true);
    });

    it("reports more data pending while the host has segments and the row cap allows them", () => {
        let state: ModelState | undefined;
        const pending: boolean[] = [];
        for (const [i, dataView] of segments(rows).entries()) {
            const update = updateModel(state, dataView, settingsWith(), LABELS, { isAppend: i > 0 });
            state = update.state;
            pending.push(update.model.note.moreDataPending);
            assert.equal(update.model.note.rowCapReached, false);
        }
        assert.deepEqual(pending, [true, true, false]);
    });

    it("rebuilds when the update is not an append", () => {
        const first = updateModel(undefined, buildDataView(rows.slice(0, 1000), { moreData: true }), settingsWith(), LABELS, { isAppend: false });
        const filtered = rows.slice(0, 2000).filter(row => row.StreamName !== "Head Office");
        const next = updateModel(first.state, buildDataView(filtered), settingsWith(), LABELS, { isAppend: false });
        assert.equal(next.rebuilt, true);
        assert.equal(next.rowsFolded, filtered.length);
        assert.deepEqual(next.model, updateModel(undefined, buildDataView(filtered), settingsWith(), LABELS, { isAppend: false }).model);
    });

    it("rebuilds an append whose fields changed, or that lost rows or gained highlights", () => {
        const first = updateModel(undefined, buildDataView(rows.slice(0, 1000), { moreData: true }), settingsWith(), LABELS, { isAppend: false });
        const cases: Array<[string, DataViewOptions, number]> = [
            ["fields changed", { roles: ["AppCategory", "TotalBytes"] }, 2000],
            ["columns reordered", { reverseMeasures: true }, 2000],
            ["highlights appeared", { highlight: () => 1 }, 2000],
            ["fewer rows", {}, 800],
        ];
        for (const [name, options, count] of cases) {
            const next = updateModel(first.state, buildDataView(rows.slice(0, count), options), settingsWith(), LABELS, { isAppend: true });
            assert.equal(next.rebuilt, true, name);
            assert.equal(next.rowsFolded, count, name);
            assert.equal(next.model.note.rowsRead, count, name);
        }
    });

    it("applies new thresholds and top N without folding rows again", () => {
        const dataView = buildDataView(rows);
        const first = updateModel(undefined, dataView, settingsWith(), LABELS, { isAppend: false });
        const changed = settingsWith({ topN: 3, topAppsN: 5, thresholds: { highMax: 6, mediumMax: 8 } });
        const again = updateModel(first.state, dataView, changed, LABELS, { isAppend: false });
        assert.equal(again.rebuilt, false);
        assert.equal(again.rowsFolded, 0);
        const fresh = updateModel(undefined, buildDataView(rows), changed, LABELS, { isAppend: false }).model;
        assert.deepEqual(again.model, fresh);
        assert.deepEqual(buildModel(first.state.accumulator, changed, LABELS), fresh);
        assert.notDeepEqual(first.model.riskBands, fresh.riskBands);
        assert.equal(fresh.categoryTraffic.status === "ready" && fresh.categoryTraffic.data.length, 4);
        assert.equal(fresh.topApps.status === "ready" && fresh.topApps.data.apps.length, 5);
        assert.notDeepEqual(first.model.topApps, fresh.topApps, "new thresholds move apps between bands");
    });
});

describe("memory bounded by distinct values", () => {
    it("keeps one aggregate per distinct value however many rows fold in", () => {
        const many = Array.from({ length: 60_000 }, (_, i) => rows[i % rows.length]);
        const accumulator = accumulate(buildDataView(many));
        assert.equal(accumulator.rowsRead, 60_000);
        assert.equal(accumulator.categories.size, new Set(rows.map(row => row.AppCategory)).size);
        assert.equal(accumulator.streams.size, new Set(rows.map(row => row.StreamName)).size);
        assert.equal(accumulator.scores.size, new Set(rows.map(row => row.AppScore)).size);
        assert.equal(accumulator.apps.size, new Set(rows.map(row => row.AppName)).size);
        const model = buildModel(accumulator, settingsWith({ topN: 2 }), LABELS);
        const selected = model.categoryTraffic.status === "ready"
            ? model.categoryTraffic.data.reduce((sum, bar) => sum + bar.selection.rows.length, 0)
            : -1;
        assert.equal(selected, accumulator.categories.size, "one representative row per category, not one per row");
    });

    it("groups equal dates that arrive as distinct objects", () => {
        const dated = rows.slice(0, 30).map((row, i) => ({ ...row, StreamName: new Date(Date.UTC(2025, 0, 1 + (i % 3))) }));
        const accumulator = accumulate(buildDataView(dated));
        assert.equal(accumulator.streams.size, 3);
    });
});

describe("row cap", () => {
    it("asks for more only while the host has segments and the cap is not reached", () => {
        assert.equal(shouldFetchMore(30_000, 0, true), true);
        assert.equal(shouldFetchMore(30_000, 0, false), false);
        assert.equal(shouldFetchMore(1_048_575, 0, true), true);
        assert.equal(shouldFetchMore(1_048_576, 0, true), false);
        assert.equal(shouldFetchMore(59_999, 60_000, true), true);
        assert.equal(shouldFetchMore(60_000, 60_000, true), false);
        // A cap below one window is raised to the window; above the ceiling it is the ceiling.
        assert.equal(shouldFetchMore(29_999, 5, true), true);
        assert.equal(shouldFetchMore(30_000, 5, true), false);
        assert.equal(shouldFetchMore(1_048_576, 5_000_000, true), false);
        assert.equal(shouldFetchMore(30_000, Number.NaN, true), true);
    });

    it("notes that loading stopped at the row cap", () => {
        const capped = updateModel(undefined, buildDataView(rows, { moreData: true }), settingsWith({ rowCap: 100 }), LABELS, { isAppend: false });
        // 3,000 rows with a cap raised to one window (30,000): more to load.
        assert.equal(capped.model.note.moreDataPending, true);
        const atCap = Array.from({ length: 30_000 }, (_, i) => rows[i % rows.length]);
        const full = updateModel(undefined, buildDataView(atCap, { moreData: true }), settingsWith({ rowCap: 30_000 }), LABELS, { isAppend: false });
        assert.equal(full.model.note.moreDataPending, false);
        assert.equal(full.model.note.rowCapReached, true);
        const done = updateModel(undefined, buildDataView(atCap), settingsWith({ rowCap: 30_000 }), LABELS, { isAppend: false });
        assert.equal(done.model.note.rowCapReached, false);
    });
});
