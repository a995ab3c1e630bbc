// Edge cases of the shortcuts the fold and the snapshot take: distinct values found without their key, apps whose
// rows carry more than one score, and top apps tied at the cut.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { accumulate, updateModel } from "../../src/model/index.ts";
import type { DashboardModel, Panel } from "../../src/model/types.ts";
import { buildDataView, DiscoveryRow, generateRows, LABELS, settingsWith } from "./builder.ts";

const rows = generateRows(400, 5);

function modelOf(dataRows: readonly DiscoveryRow[], settings = settingsWith()): DashboardModel {
    return updateModel(undefined, buildDataView(dataRows), settings, LABELS, { isAppend: false }).model;
}

function ready<T>(panel: Panel<T>): T {
    assert.equal(panel.status, "ready", `panel not ready: ${JSON.stringify(panel)}`);
    return (panel as { data: T }).data;
}

describe("distinct values", () => {
    it("keeps the number 5 apart from the text \"5\", and true apart from \"true\"", () => {
        const streams = [5, "5", true, "true", 5, "5", true, "true"];
        const accumulator = accumulate(buildDataView(streams.map((StreamName, i) => ({ ...rows[i], StreamName }))));
        assert.deepEqual(accumulator.streams.entries().map(entry => entry.key), ["n:5", "s:5", "b:true", "s:true"]);
        assert.deepEqual(accumulator.streams.entries().map(entry => entry.firstRow), [0, 1, 2, 3]);
    });

    it("folds 0 and -0 into one value, NaN into one value, and every blank into one value", () => {
        const streams = [0, -0, Number.NaN, Number.NaN, "", " ", null, undefined, "\t", 0];
        const accumulator = accumulate(buildDataView(streams.map((StreamName, i) => ({ ...rows[i], StreamName }))));
        assert.deepEqual(accumulator.streams.entries().map(entry => entry.key), ["n:0", "n:NaN", "blank"]);
        const uploaded = (range: readonly number[]) => range.reduce((sum, i) => sum + (rows[i].UploadedBytes as number), 0);
        assert.deepEqual(accumulator.streams.entries().map(entry => entry.uploaded), [
            uploaded([0, 1, 9]), uploaded([2, 3]), uploaded([4, 5, 6, 7, 8]),
        ]);
    });

    it("groups equal dates with each other but never with the text of the date", () => {
        const day = Date.UTC(2025, 0, 1);
        const streams = [new Date(day), new Date(day), new Date(day).toISOString(), new Date(day)];
        const accumulator = accumulate(buildDataView(streams.map((StreamName, i) => ({ ...rows[i], StreamName }))));
        assert.deepEqual(accumulator.streams.entries().map(entry => entry.key), [
            "d:2025-01-01T00:00:00.000Z", "s:2025-01-01T00:00:00.000Z",
        ]);
        assert.equal(accumulator.streams.size, 2);
    });
});

describe("per-stream sums whatever order the streams come in", () => {
    it("sums each stream exactly when streams repeat, change order between apps, and alternate blanks or NaN", () => {
        const orders: unknown[][] = [
            ["North", "South", "East"], ["North", "South", "East"], ["East", "North", "North", "South"],
            ["", " ", "", null], [Number.NaN, Number.NaN, "North"], ["South", "South", "South"], ["North", "East"],
        ];
        const data: DiscoveryRow[] = [];
        orders.forEach((streams, app) => {
            for (const StreamName of streams) data.push({ ...rows[data.length], AppName: `App ${app}`, StreamName });
        });
        const bars = ready(modelOf(data).streamBytes);
        const keyOf = (value: unknown) => (value === null || (typeof value === "string" && value.trim() === "")
            ? "(Blank)"
            : String(value));
        const expected = new Map<string, number>();
        for (const row of data) {
            const key = keyOf(row.StreamName);
            expected.set(key, (expected.get(key) ?? 0) + (row.UploadedBytes as number) + (row.DownloadedBytes as number));
        }
        assert.equal(bars.length, expected.size);
        for (const bar of bars) assert.equal(bar.uploaded + bar.downloaded, expected.get(bar.label.text), bar.label.text);
    });
});

describe("risk bands of apps with more than one score", () => {
    const spread = rows.map((row, i) => ({ ...row, AppName: `App ${i % 7}`, AppScore: i % 3 === 0 ? 2 : i % 3 === 1 ? 3 : 9 }));

    it("puts each app in the one band of the score most of its traffic carries, so the bands add up to the apps", () => {
        const model = modelOf(spread);
        const bands = ready(model.riskBands);
        // Computed here on its own: the traffic of each app's (category, score, tag class) combinations, the largest wins.
        const tagClass = (tags: unknown) => {
            const list = JSON.parse(tags as string) as string[];
            return list.includes("unsanctioned") ? "unsanctioned" : list.includes("sanctioned") ? "sanctioned" : "other";
        };
        const traffic = new Map<string, Map<string, { score: number; bytes: number }>>();
        for (const row of spread) {
            const app = traffic.get(row.AppName as string) ?? new Map<string, { score: number; bytes: number }>();
            traffic.set(row.AppName as string, app);
            const key = JSON.stringify([row.AppCategory, row.AppScore, tagClass(row.AppTags)]);
            const variant = app.get(key) ?? { score: row.AppScore as number, bytes: 0 };
            variant.bytes += row.TotalBytes as number;
            app.set(key, variant);
        }
        const counts = [0, 0, 0];
        const bytes = [0, 0, 0];
        for (const variants of traffic.values()) {
            const shown = [...variants.values()].sort((a, b) => b.bytes - a.bytes)[0];
            const band = shown.score <= 3 ? 0 : shown.score <= 7 ? 1 : 2;
            counts[band]++;
            for (const variant of variants.values()) bytes[band] += variant.bytes;
        }
        assert.deepEqual(bands.map(band => band.apps), counts);
        assert.deepEqual(bands.map(band => band.totalBytes), bytes);
        assert.equal(counts.reduce((a, b) => a + b, 0), 7);
        assert.equal(ready(model.kpis).apps, 7, "the bands hold as many apps as the key figure");
        assert.equal(model.note.appsWithChangingAttributes, 7);
    });

    it("counts the same as when each app keeps one score", () => {
        const single = rows.map((row, i) => ({ ...row, AppName: `App ${i % 7}`, AppScore: (i % 7) + 2 }));
        const bands = ready(modelOf(single).riskBands);
        // Scores 2-3 are high (apps 0, 1), 4-7 medium (apps 2-5), 8 low (app 6).
        assert.deepEqual(bands.map(band => band.apps), [2, 4, 1]);
    });

    it("gives the same bands when the spread arrives in segments", () => {
        const settings = settingsWith();
        const first = updateModel(undefined, buildDataView(spread.slice(0, 5), { moreData: true }), settings, LABELS, { isAppend: false });
        const appended = updateModel(first.state, buildDataView(spread), settings, LABELS, { isAppend: true });
        assert.equal(appended.rebuilt, false);
        // The first five rows give each of apps 0-4 a single score; apps span scores only from row 7 on.
        assert.deepEqual(ready(first.model.riskBands).map(band => band.apps), [4, 0, 1]);
        assert.deepEqual(appended.model.riskBands, modelOf(spread).riskBands);
    });
});

describe("top apps tied at the cut", () => {
    it("breaks ties in bytes by name, whatever the order the apps arrive in", () => {
        const names = ["Kappa", "Alpha", "Delta", "Beta", "Gamma", "Epsilon", "Zeta", "Eta"];
        const bytes = [900, 500, 500, 700, 500, 500, 100, 500];
        const tied = names.map((AppName, i) => ({ ...rows[i], AppName, TotalBytes: bytes[i] }));
        for (const order of [tied, [...tied].reverse()]) {
            const table = ready(modelOf(order, settingsWith({ topAppsN: 4 })).topApps);
            assert.deepEqual(table.apps.map(app => app.label.text), ["Kappa", "Beta", "Alpha", "Delta"]);
            assert.equal(table.totalBytes, 4200);
            assert.equal(table.appCount, 8);
        }
        const wider = ready(modelOf(tied, settingsWith({ topAppsN: 7 })).topApps);
        assert.deepEqual(wider.apps.map(app => app.label.text), ["Kappa", "Beta", "Alpha", "Delta", "Epsilon", "Eta", "Gamma"]);
    });
});
