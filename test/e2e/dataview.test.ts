import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DatasetBuilder, DatasetRow } from "../../src/preview/dataset.ts";
import { SegmentCursor, categoricalDataView, groupDataset, isPreviewIdentity, windowCountOf } from "../../src/preview/dataview.ts";

function row(values: Partial<DatasetRow>): DatasetRow {
    return {
        AppCategory: "Cloud storage", AppName: "Dropbox", StreamName: "Marketing", AppTags: "[\"sanctioned\"]",
        UserName: "u1", IpAddress: "10.0.0.1", AppScore: 7, UploadedBytes: 10, DownloadedBytes: 20, TotalBytes: 30,
        TotalEvents: 5, BlockedEvents: 1, ...values,
    };
}

function dataset(rows: DatasetRow[]) {
    const builder = new DatasetBuilder();
    rows.forEach(r => builder.add(r));
    return builder.build("test rows");
}

describe("preview DataView builder", () => {
    const rows = dataset([
        row({}),
        row({ UserName: "u2", IpAddress: "10.0.0.2", UploadedBytes: 5, TotalBytes: 25 }),
        row({ AppName: "Box", AppCategory: "Cloud storage", UserName: "u1", UploadedBytes: null }),
        row({ AppName: "Slack", AppCategory: "Collaboration", UserName: "u3", IpAddress: "10.0.0.3", AppScore: null }),
        row({ AppName: "Mail", AppCategory: null, UserName: "u3", IpAddress: "10.0.0.3", TotalBytes: 1000 }),
    ]);

    it("groups on the bound grouping fields in ascending order, blanks first, and aggregates each measure", () => {
        const table = groupDataset(rows, ["AppCategory"], ["UploadedBytes", "TotalBytes", "Users", "IpAddresses"]);
        assert.deepEqual(table.categories, [[null, "Cloud storage", "Collaboration"]]);
        assert.deepEqual(table.measures, [[10, 15, 10], [1000, 85, 30], [1, 2, 1], [1, 2, 1]]);
        // Exact overall distinct counts, not the sum of the per-row counts (4 and 4).
        assert.deepEqual(table.totals, [35, 1115, 3, 3]);
    });

    it("evaluates the exact-count measures as DAX does: the item's count over every row the visual shows", () => {
        const table = groupDataset(rows, ["AppName", "StreamName"], ["UsersPerCategory", "UsersPerApp", "UsersTotal", "IpAddressesTotal"]);
        assert.deepEqual(table.categories[0], ["Box", "Dropbox", "Mail", "Slack"]);
        // Box and Dropbox are Cloud storage (u1, u2); Mail has a blank category (u3), Slack is Collaboration (u3).
        assert.deepEqual(table.measures, [[2, 2, 1, 1], [1, 2, 1, 1], [3, 3, 3, 3], [3, 3, 3, 3]]);
        // Without AppName among the groupings, VALUES(T[AppName]) holds every app of the row: their users together.
        const byCategory = groupDataset(rows, ["AppCategory"], ["UsersPerApp"]);
        assert.deepEqual(byCategory.measures, [[1, 2, 1]]);
    });

    it("writes an implicit Count (Distinct) as Power BI does and a DAX measure by its name", () => {
        const table = groupDataset(rows, ["AppName"], ["Users", "UsersPerApp"]);
        const [users, perApp] = categoricalDataView(table, { start: 0, end: table.rowCount }).categorical?.values ?? [];
        assert.equal(users.source.queryName, "Count(McasShadowItReporting.UserName)");
        assert.deepEqual(users.source.expr, {
            _kind: 4, arg: { _kind: 2, source: { _kind: 0, entity: "McasShadowItReporting" }, ref: "UserName" }, func: 2,
        });
        assert.equal(perApp.source.queryName, "McasShadowItReporting.Users per app");
        assert.equal(perApp.source.expr, undefined);
    });

    it("sums to null when every value of a group is blank", () => {
        const table = groupDataset(rows, ["AppName"], ["UploadedBytes"]);
        assert.deepEqual(table.categories, [["Box", "Dropbox", "Mail", "Slack"]]);
        assert.deepEqual(table.measures, [[null, 15, 10, 10]]);
    });

    it("builds categories with identities, measures with roles and the distinct-count subtotal", () => {
        const table = groupDataset(rows, ["AppCategory", "AppScore"], ["TotalBytes", "Users"]);
        const view = categoricalDataView(table, { start: 0, end: table.rowCount, objects: { categoryTraffic: { topN: 3 } } });
        const categories = view.categorical?.categories ?? [];
        assert.deepEqual(categories.map(c => c.source.roles), [{ AppCategory: true }, { AppScore: true }]);
        assert.deepEqual(categories[0].values, [null, "Cloud storage", "Collaboration"]);
        assert.deepEqual(categories[1].values, [7, 7, null]);
        // One identity per row, shared by the category columns, fixing every grouping value of the row (as Power BI).
        const identity: unknown = categories[0].identity?.[1];
        assert.ok(isPreviewIdentity(identity));
        assert.equal(categories[1].identity?.[1], identity);
        assert.deepEqual(identity.parts.map(p => [p.queryName, p.value]),
            [["McasShadowItReporting.AppCategory", "Cloud storage"], ["McasShadowItReporting.AppScore", 7]]);
        assert.notEqual((categories[0].identity?.[2] as unknown as { key: string }).key, identity.key);
        const values = view.categorical?.values ?? [];
        assert.deepEqual(values.map(v => v.source.roles), [{ TotalBytes: true }, { Users: true }]);
        assert.equal(values[1].subtotal, 3);
        assert.equal(values[1].source.aggregates?.subtotal, 3);
        assert.equal(values[0].subtotal, undefined);
        assert.equal(view.metadata.segment, undefined);
        assert.deepEqual(view.metadata.objects, { categoryTraffic: { topN: 3 } });
        assert.deepEqual(view.metadata.columns.map(c => c.index), [0, 1, 2, 3]);
    });

    it("gives a single total row when only measures are bound", () => {
        const table = groupDataset(rows, [], ["TotalBytes", "IpAddresses"]);
        const view = categoricalDataView(table, { start: 0, end: 1 });
        assert.equal(view.categorical?.categories, undefined);
        assert.deepEqual(view.categorical?.values?.map(v => v.values), [[1115], [3]]);
    });

    it("cuts the rows into windows and marks a segment while more rows remain", () => {
        const many = dataset(Array.from({ length: 25 }, (_, i) => row({ AppName: `App ${String(i).padStart(2, "0")}` })));
        const table = groupDataset(many, ["AppName"], ["TotalBytes"]);
        const cursor = new SegmentCursor(table.rowCount, 10);
        const first = categoricalDataView(table, { start: 0, end: cursor.loadedRows });
        assert.equal(first.categorical?.categories?.[0].values.length, 10);
        assert.deepEqual(first.metadata.segment, {});
        assert.deepEqual(cursor.advance(), { start: 10, end: 20 });
        const appended = categoricalDataView(table, { start: 0, end: cursor.loadedRows });
        assert.equal(appended.categorical?.categories?.[0].values[19], "App 19");
        assert.deepEqual(appended.metadata.segment, {});
        assert.deepEqual(cursor.advance(), { start: 20, end: 25 });
        const last = categoricalDataView(table, { start: 20, end: 25 });
        assert.deepEqual(last.categorical?.categories?.[0].values, ["App 20", "App 21", "App 22", "App 23", "App 24"]);
        assert.equal(last.metadata.segment, undefined);
        assert.equal(cursor.hasMore, false);
        assert.equal(cursor.advance(), null);
    });

    it("says how many rows an incremental segment repeats from the previous one", () => {
        const many = dataset(Array.from({ length: 25 }, (_, i) => row({ AppName: `App ${String(i).padStart(2, "0")}` })));
        const table = groupDataset(many, ["AppName"], ["TotalBytes"]);
        const segment = categoricalDataView(table, { start: 9, end: 20, overlap: 1 });
        assert.equal(segment.categorical?.categories?.[0].values[0], "App 09");
        assert.equal((segment.categorical as { lastMergeIndex?: number }).lastMergeIndex, 0);
        const first = categoricalDataView(table, { start: 0, end: 10 });
        assert.equal((first.categorical as { lastMergeIndex?: number }).lastMergeIndex, undefined);
    });

    it("reads the window size from the capabilities' data reduction", () => {
        assert.equal(windowCountOf({ dataViewMappings: [{ categorical: { categories: { dataReductionAlgorithm: { window: { count: 30000 } } } } }] }), 30000);
        assert.equal(windowCountOf({}), 1000);
    });
});
