import { test } from "node:test";
import assert from "node:assert/strict";
import { TABLE, usersPerCategoryExpression } from "../../src/dataset/report/model.ts";
import { DaxEvaluator, type DaxModel } from "./report-dax-evaluator.ts";

// Two apps of one category and one of another; on day 1 the Global view holds the users of both source streams
// (ann uses both Storage apps through the proxy, bob one through the firewall), day 2 has no Global view.
const model: DaxModel = {
    tables: [
        {
            name: TABLE.categoryDaily, columns: ["Date", "StreamName", "AppCategory", "Users"],
            rows: [
                { Date: "d1", StreamName: "Global view", AppCategory: "Storage", Users: 2 },
                { Date: "d1", StreamName: "Proxy", AppCategory: "Storage", Users: 1 },
                { Date: "d1", StreamName: "Firewall", AppCategory: "Storage", Users: 1 },
                { Date: "d1", StreamName: "Global view", AppCategory: "Mail", Users: 5 },
                { Date: "d2", StreamName: "Proxy", AppCategory: "Storage", Users: 3 },
                { Date: "d2", StreamName: "Firewall", AppCategory: "Storage", Users: 4 },
            ],
        },
        {
            name: TABLE.app, columns: ["AppId", "AppName", "AppCategory"],
            rows: [{ AppId: "1", AppName: "Box", AppCategory: "Storage" }, { AppId: "2", AppName: "Drop", AppCategory: "Storage" }, { AppId: "3", AppName: "Post", AppCategory: "Mail" }],
        },
        { name: TABLE.user, columns: ["UserKey"], rows: [{ UserKey: "ann" }] },
        { name: TABLE.date, columns: ["Date"], rows: [{ Date: "d1" }, { Date: "d2" }] },
        { name: TABLE.stream, columns: ["StreamName"], rows: [{ StreamName: "Global view" }, { StreamName: "Proxy" }, { StreamName: "Firewall" }] },
    ],
    relationships: [
        { fromTable: TABLE.categoryDaily, fromColumn: "Date", toTable: TABLE.date, toColumn: "Date" },
        { fromTable: TABLE.categoryDaily, fromColumn: "StreamName", toTable: TABLE.stream, toColumn: "StreamName" },
    ],
    measures: [{ table: TABLE.categoryDaily, name: "Users per category", expression: usersPerCategoryExpression() }],
};

const day = (d: string) => ({ table: TABLE.date, column: "Date", values: [d] });

test("Users per category: one day's Global view row, or its one stream; blank over several days, streams or categories", () => {
    const dax = new DaxEvaluator(model);
    const byCategory = (filters: Parameters<DaxEvaluator["measure"]>[1]) => dax.query([{ table: TABLE.app, column: "AppCategory" }], ["Users per category"], filters)
        .map(r => [r.keys[0], r.values[0]]);
    assert.deepEqual(byCategory([day("d1")]), [["Storage", 2], ["Mail", 5]]);
    assert.deepEqual(byCategory([day("d2"), { table: TABLE.stream, column: "StreamName", values: ["Firewall"] }]), [["Storage", 4]]);
    // Day 2 has no Global view: two streams' users may overlap, so nothing is exact.
    assert.deepEqual(byCategory([day("d2")]), []);
    // Over both days: Storage is blank; Mail was seen on one day only, whose count is exact.
    assert.deepEqual(byCategory([]), [["Mail", 5]]);
    // Without a category (a card), the sum of the categories' users would double count: blank.
    assert.equal(dax.measure("Users per category", [day("d1")]), null);
});

test("Users per category: a row grouped by category and app counts the whole category, as the visual's role expects", () => {
    const dax = new DaxEvaluator(model);
    const rows = dax.query([{ table: TABLE.app, column: "AppCategory" }, { table: TABLE.app, column: "AppName" }], ["Users per category"], [day("d1")]);
    assert.deepEqual(rows.map(r => [...r.keys, r.values[0]]), [["Storage", "Box", 2], ["Storage", "Drop", 2], ["Mail", "Post", 5]]);
    // Users selected: Category Daily has no user, so it says nothing rather than the category's everyone.
    assert.equal(dax.measure("Users per category", [day("d1"), { table: TABLE.user, column: "UserKey", values: ["ann"] }, { table: TABLE.app, column: "AppCategory", values: ["Mail"] }]), null);
});
