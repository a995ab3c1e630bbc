import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { updateModel } from "../../src/model/index.ts";
import type { CategoryBar, DashboardModel, Panel, RiskBand, StreamBar } from "../../src/model/types.ts";
import { buildDataView, DiscoveryRow, generateRows, LABELS, settingsWith, sumOf } from "./builder.ts";

const rows = generateRows(2000, 11);

function modelOf(dataRows: readonly DiscoveryRow[], settings = settingsWith(), options = {}): DashboardModel {
    return updateModel(undefined, buildDataView(dataRows, options), settings, LABELS, { isAppend: false }).model;
}

function ready<T>(panel: Panel<T>): T {
    assert.equal(panel.status, "ready", `panel not ready: ${JSON.stringify(panel)}`);
    return (panel as { data: T }).data;
}

function distinct(values: Iterable<unknown>): number {
    return new Set(values).size;
}

function tagClassByHand(tags: unknown): "sanctioned" | "unsanctioned" | "other" {
    const list = (JSON.parse(String(tags)) as string[]).map(tag => tag.toLowerCase());
    if (list.includes("unsanctioned")) return "unsanctioned";
    return list.includes("sanctioned") ? "sanctioned" : "other";
}

describe("kpis", () => {
    it("sums traffic and events and counts distinct apps", () => {
        const kpis = ready(modelOf(rows).kpis);
        assert.equal(kpis.apps, distinct(rows.map(row => row.AppName)));
        assert.equal(kpis.uploadedBytes, sumOf(rows, "UploadedBytes"));
        assert.equal(kpis.downloadedBytes, sumOf(rows, "DownloadedBytes"));
        assert.equal(kpis.totalBytes, sumOf(rows, "TotalBytes"));
        assert.equal(kpis.totalEvents, sumOf(rows, "TotalEvents"));
        assert.equal(kpis.blockedEvents, sumOf(rows, "BlockedEvents"));
        assert.equal(kpis.blockedShare, sumOf(rows, "BlockedEvents") / sumOf(rows, "TotalEvents"));
        assert.ok(kpis.blockedShare !== null && kpis.blockedShare > 0 && kpis.blockedShare < 1);
    });

    it("gives distinct counts as a lower bound (largest row) without a subtotal, exactly with one", () => {
        const maxUsers = Math.max(...rows.map(row => row.Users as number));
        const maxIps = Math.max(...rows.map(row => row.IpAddresses as number));
        const bounded = ready(modelOf(rows).kpis);
        assert.deepEqual(bounded.users, { value: maxUsers, exact: false });
        assert.deepEqual(bounded.ipAddresses, { value: maxIps, exact: false });

        const exact = ready(modelOf(rows, settingsWith(), { subtotals: { Users: 412, IpAddresses: 977 } }).kpis);
        assert.deepEqual(exact.users, { value: 412, exact: true });
        assert.deepEqual(exact.ipAddresses, { value: 977, exact: true });
    });

    it("takes the only row of an ungrouped DataView as the exact distinct count", () => {
        const totalRow = [{ ...rows[0], Users: 128, IpAddresses: 301 }];
        const kpis = ready(modelOf(totalRow, settingsWith(), { roles: ["Users", "IpAddresses", "TotalBytes"] }).kpis);
        assert.deepEqual(kpis.users, { value: 128, exact: true });
        assert.deepEqual(kpis.ipAddresses, { value: 301, exact: true });
        assert.equal(kpis.apps, null);
    });

    it("derives total traffic from upload and download when TotalBytes is not bound", () => {
        const kpis = ready(modelOf(rows, settingsWith(), { roles: ["AppCategory", "UploadedBytes", "DownloadedBytes"] }).kpis);
        assert.equal(kpis.totalBytes, sumOf(rows, "UploadedBytes") + sumOf(rows, "DownloadedBytes"));
        assert.equal(kpis.users, null);
        assert.equal(kpis.blockedShare, null);
    });
});

describe("category-traffic", () => {
    const byCategory = new Map<string, number>();
    for (const row of rows) {
        byCategory.set(row.AppCategory as string, (byCategory.get(row.AppCategory as string) ?? 0) + (row.TotalBytes as number));
    }
    const expectedOrder = [...byCategory.entries()].sort((a, b) => b[1] - a[1]);

    it("sorts categories by traffic, keeps the top N and groups the rest as Other", () => {
        const bars = ready(modelOf(rows, settingsWith({ topN: 5 })).categoryTraffic);
        assert.equal(bars.length, 6);
        assert.deepEqual(bars.slice(0, 5).map(bar => [bar.label.text, bar.totalBytes]), expectedOrder.slice(0, 5));
        const other = bars[5];
        assert.equal(other.isOther, true);
        assert.equal(other.label.text, "Other");
        assert.equal(other.totalBytes, expectedOrder.slice(5).reduce((sum, [, bytes]) => sum + bytes, 0));
        assert.equal(bars.reduce((sum, bar) => sum + bar.totalBytes, 0), sumOf(rows, "TotalBytes"));
        // The Other bar selects one representative row of each category it groups.
        assert.equal(other.selection.role, "AppCategory");
        assert.equal(other.selection.rows.length, expectedOrder.length - 5);
        assert.deepEqual(
            other.selection.rows.map(row => rows[row].AppCategory).sort(),
            expectedOrder.slice(5).map(([name]) => name).sort(),
        );
    });

    it("has no Other bar when every category fits", () => {
        const bars = ready(modelOf(rows, settingsWith({ topN: 50 })).categoryTraffic);
        assert.equal(bars.length, byCategory.size);
        assert.ok(bars.every(bar => !bar.isOther));
        assert.equal(bars.length, new Set(bars.map(bar => bar.label.key)).size);
    });

    it("splits every bar into sanctioned, unsanctioned and other by AppTags", () => {
        const bars = ready(modelOf(rows, settingsWith({ topN: 50 })).categoryTraffic);
        for (const bar of bars) {
            const inCategory = (row: DiscoveryRow) => row.AppCategory === bar.label.text;
            for (const tagClass of ["sanctioned", "unsanctioned", "other"] as const) {
                const expected = sumOf(rows, "TotalBytes", row => inCategory(row) && tagClassByHand(row.AppTags) === tagClass);
                assert.equal(bar.byTag[tagClass], expected, `${bar.label.text} / ${tagClass}`);
            }
            assert.equal(bar.byTag.sanctioned + bar.byTag.unsanctioned + bar.byTag.other, bar.totalBytes);
            assert.equal(rows[bar.selection.rows[0]].AppCategory, bar.label.text);
        }
        const storage = bars.find(bar => bar.label.text === "Cloud storage") as CategoryBar;
        assert.ok(storage.byTag.sanctioned > 0 && storage.byTag.unsanctioned > 0 && storage.byTag.other > 0);
    });

    it("counts everything as other when AppTags is not bound", () => {
        const bars = ready(modelOf(rows, settingsWith(), { roles: ["AppCategory", "TotalBytes"] }).categoryTraffic);
        for (const bar of bars) assert.deepEqual(bar.byTag, { sanctioned: 0, unsanctioned: 0, other: bar.totalBytes });
    });

    it("orders ties by name", () => {
        const tied = ["Webmail", "CRM", "Backup"].map(category => ({
            ...rows[0], AppName: `${category} app`, AppCategory: category, TotalBytes: 1000,
        }));
        const bars = ready(modelOf(tied).categoryTraffic);
        assert.deepEqual(bars.map(bar => bar.label.text), ["Backup", "CRM", "Webmail"]);
    });

    it("reports highlighted bytes per bar, and null without highlights", () => {
        const highlight = (row: DiscoveryRow) => (row.StreamName === "Finance Firewall" ? 1 : 0);
        const bars = ready(modelOf(rows, settingsWith({ topN: 3 }), { highlight }).categoryTraffic);
        for (const bar of bars.filter(b => !b.isOther)) {
            const expected = sumOf(rows, "TotalBytes", row => row.AppCategory === bar.label.text && highlight(row) === 1);
            assert.equal(bar.highlightedBytes, expected);
            assert.ok((bar.highlightedBytes ?? 0) < bar.totalBytes);
        }
        const highlightedOverall = bars.reduce((sum, bar) => sum + (bar.highlightedBytes ?? 0), 0);
        assert.equal(highlightedOverall, sumOf(rows, "TotalBytes", row => highlight(row) === 1));
        assert.ok(ready(modelOf(rows).categoryTraffic).every(bar => bar.highlightedBytes === null));
    });
});

describe("risk-bands", () => {
    function expectedBand(lo: number, hi: number) {
        const inBand = (row: DiscoveryRow) => (row.AppScore as number) >= lo && (row.AppScore as number) <= hi;
        const bandRows = rows.filter(inBand);
        return {
            totalBytes: sumOf(rows, "TotalBytes", inBand),
            apps: distinct(bandRows.map(row => row.AppName)),
            usersAtLeast: bandRows.length ? Math.max(...bandRows.map(row => row.Users as number)) : 0,
        };
    }

    function summary(band: RiskBand) {
        return { totalBytes: band.totalBytes, apps: band.apps, usersAtLeast: band.users?.value ?? null };
    }

    it("bands scores 0-3, 4-7 and 8-10 by default", () => {
        const bands = ready(modelOf(rows).riskBands);
        assert.deepEqual(bands.map(band => band.id), ["high", "medium", "low"]);
        assert.deepEqual(bands.map(band => band.range), [{ min: 0, max: 3 }, { min: 4, max: 7 }, { min: 8, max: 10 }]);
        assert.deepEqual(summary(bands[0]), expectedBand(0, 3));
        assert.deepEqual(summary(bands[1]), expectedBand(4, 7));
        assert.deepEqual(summary(bands[2]), expectedBand(8, 10));
        assert.equal(bands.reduce((sum, band) => sum + band.totalBytes, 0), sumOf(rows, "TotalBytes"));
        // One representative row per distinct score in the band.
        assert.deepEqual(bands[0].selection.rows.map(row => rows[row].AppScore), [1, 2, 3]);
    });

    it("applies custom thresholds", () => {
        const bands = ready(modelOf(rows, settingsWith({ thresholds: { highMax: 5, mediumMax: 8 } })).riskBands);
        assert.deepEqual(bands.map(band => band.range), [{ min: 0, max: 5 }, { min: 6, max: 8 }, { min: 9, max: 10 }]);
        assert.deepEqual(summary(bands[0]), expectedBand(0, 5));
        assert.deepEqual(summary(bands[1]), expectedBand(6, 8));
        assert.deepEqual(summary(bands[2]), expectedBand(9, 10));
    });

    it("puts missing, non-numeric and out-of-range scores in an unscored band; 4.5 is a real score", () => {
        const odd = [null, undefined, "", "n/a", -1, 11, Number.NaN, Infinity, 4.5, "9"];
        const oddRows = odd.map((score, i) => ({ ...rows[i], AppName: `App ${i}`, AppScore: score, TotalBytes: 1000 * (i + 1) }));
        const bands = ready(modelOf(oddRows).riskBands);
        assert.deepEqual(bands.map(band => band.id), ["high", "medium", "low", "unscored"]);
        const [high, medium, low, unscored] = bands;
        assert.equal(high.totalBytes, 0);
        assert.equal(high.apps, 0);
        assert.equal(medium.totalBytes, 9000);
        assert.equal(low.totalBytes, 10000);
        assert.equal(unscored.range, null);
        assert.equal(unscored.totalBytes, [1, 2, 3, 4, 5, 6, 7, 8].reduce((sum, n) => sum + 1000 * n, 0));
        assert.equal(unscored.apps, 8);
        // null, undefined and "" are one blank value; the rest are distinct values, each with one representative row.
        assert.equal(unscored.selection.rows.length, 6);
    });

    it("counts rows as apps when AppName is not bound, and leaves users null when Users is not bound", () => {
        const bands = ready(modelOf(rows, settingsWith(), { roles: ["AppScore", "TotalBytes"] }).riskBands);
        assert.deepEqual(bands.map(band => band.apps), [
            rows.filter(row => (row.AppScore as number) <= 3).length,
            rows.filter(row => (row.AppScore as number) >= 4 && (row.AppScore as number) <= 7).length,
            rows.filter(row => (row.AppScore as number) >= 8).length,
        ]);
        assert.ok(bands.every(band => band.users === null));
    });

    it("reports highlighted bytes per band", () => {
        const highlight = (row: DiscoveryRow) => (row.AppCategory === "Cloud storage" ? 0.5 : 0);
        const bands = ready(modelOf(rows, settingsWith(), { highlight }).riskBands);
        const half = (lo: number, hi: number) => rows
            .filter(row => highlight(row) > 0 && (row.AppScore as number) >= lo && (row.AppScore as number) <= hi)
            .reduce((sum, row) => sum + Math.floor((row.TotalBytes as number) / 2), 0);
        assert.deepEqual(bands.map(band => band.highlightedBytes), [half(0, 3), half(4, 7), half(8, 10)]);
    });
});

describe("stream-bytes", () => {
    it("gives uploaded and downloaded bytes per stream, largest total first", () => {
        const bars = ready(modelOf(rows).streamBytes);
        const streams = [...new Set(rows.map(row => row.StreamName as string))];
        assert.equal(bars.length, streams.length);
        for (const bar of bars) {
            const inStream = (row: DiscoveryRow) => row.StreamName === bar.label.text;
            assert.equal(bar.uploaded, sumOf(rows, "UploadedBytes", inStream));
            assert.equal(bar.downloaded, sumOf(rows, "DownloadedBytes", inStream));
            assert.equal(bar.highlightedUploaded, null);
            assert.deepEqual(bar.selection, { role: "StreamName", rows: [rows.findIndex(inStream)] });
        }
        const totals = bars.map((bar: StreamBar) => bar.uploaded + bar.downloaded);
        assert.deepEqual(totals, [...totals].sort((a, b) => b - a));
    });

    it("reports highlighted upload and download", () => {
        const highlight = (row: DiscoveryRow) => (row.AppName === "Dropbox" ? 1 : 0);
        const bars = ready(modelOf(rows, settingsWith(), { highlight }).streamBytes);
        for (const bar of bars) {
            const match = (row: DiscoveryRow) => row.StreamName === bar.label.text && row.AppName === "Dropbox";
            assert.equal(bar.highlightedUploaded, sumOf(rows, "UploadedBytes", match));
            assert.equal(bar.highlightedDownloaded, sumOf(rows, "DownloadedBytes", match));
        }
    });
});
