import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DatasetBuilder, DatasetRow } from "../../src/preview/dataset.ts";
import { describeFilter, filtersOf, reportSlice } from "../../src/preview/report-filter.ts";

function row(values: Partial<DatasetRow>): DatasetRow {
    return {
        AppCategory: "Cloud storage", AppName: "Dropbox", StreamName: "Marketing", AppTags: "[\"sanctioned\"]",
        UserName: "u1", IpAddress: "10.0.0.1", AppScore: 7, UploadedBytes: 10, DownloadedBytes: 20, TotalBytes: 30,
        TotalEvents: 5, BlockedEvents: 1, ...values,
    };
}

const builder = new DatasetBuilder();
[
    row({}),
    row({ AppName: "Box", StreamName: "Finance", TotalBytes: 100, AppScore: 2 }),
    row({ AppName: "Slack", AppCategory: "Collaboration", TotalBytes: 1000, AppScore: null }),
    row({ AppName: "Mail", AppCategory: null, StreamName: "Finance", TotalBytes: 5, AppScore: 9 }),
].forEach(r => builder.add(r));
const dataset = builder.build("test rows");

const basic = (column: string, values: unknown[], operator = "In") => ({
    $schema: "http://powerbi.com/product/schema#basic", filterType: 1, operator,
    target: { table: "McasShadowItReporting", column }, values,
});

describe("the preview's report under the visual's JSON filters", () => {
    it("keeps every row without a filter, and the rows of the named values with one", () => {
        assert.deepEqual(reportSlice(dataset, []), { rows: 4, apps: 4, totalBytes: 1135 });
        assert.deepEqual(reportSlice(dataset, [basic("AppCategory", ["Cloud storage"])]), { rows: 2, apps: 2, totalBytes: 130 });
        // (Blank) is null; "" or "(Blank)" would name other values.
        assert.deepEqual(reportSlice(dataset, [basic("AppCategory", [null])]).rows, 1);
        assert.deepEqual(reportSlice(dataset, [basic("AppCategory", [""])]).rows, 0);
        assert.deepEqual(reportSlice(dataset, [basic("AppCategory", [null], "NotIn")]).rows, 3);
    });

    it("intersects filters on different columns, and compares numbers as numbers", () => {
        const filters = [basic("AppCategory", ["Cloud storage", null]), basic("StreamName", ["Finance"])];
        assert.deepEqual(reportSlice(dataset, filters), { rows: 2, apps: 2, totalBytes: 105 });
        assert.equal(reportSlice(dataset, [basic("AppScore", [0, 1, 2, 3])]).rows, 1);
        assert.equal(reportSlice(dataset, [basic("AppScore", ["2"])]).rows, 0);
        const advanced = {
            $schema: "http://powerbi.com/product/schema#advanced", filterType: 0, logicalOperator: "And",
            target: { table: "McasShadowItReporting", column: "AppScore" },
            conditions: [{ operator: "GreaterThanOrEqual", value: 4 }, { operator: "LessThanOrEqual", value: 10 }],
        };
        assert.equal(reportSlice(dataset, [advanced]).rows, 2);
    });

    it("refuses a filter on a column the table lacks, or with an unknown operator", () => {
        assert.throws(() => reportSlice(dataset, [{ ...basic("AppCategory", ["x"]), target: { table: "Other", column: "AppCategory" } }]),
            /not a grouping column of McasShadowItReporting/);
        assert.throws(() => reportSlice(dataset, [basic("AppCategory", ["x"], "Like")]), /unknown operator "Like"/);
    });

    it("takes null as no filter and names each filter for the selection log", () => {
        assert.deepEqual(filtersOf(null), []);
        assert.equal(filtersOf(basic("AppName", ["Box"])).length, 1);
        assert.equal(describeFilter(basic("AppCategory", ["Cloud storage", null]), { AppCategory: "App category" }),
            "App category in (Cloud storage, (Blank))");
    });
});
