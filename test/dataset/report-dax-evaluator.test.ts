import { test } from "node:test";
import assert from "node:assert/strict";
import { trafficSum } from "../../src/dataset/report/model.ts";
import { DaxEvaluator, parseDax, type DaxModel, type DaxTable } from "./report-dax-evaluator.ts";

// Two days of traffic: day 1 has a Global view row (the total of its streams), day 2 has none.
const appDaily: DaxTable = {
    name: "App Daily",
    columns: ["Date", "StreamName", "AppId", "TotalBytes", "Users"],
    rows: [
        { Date: "d1", StreamName: "Global view", AppId: "1", TotalBytes: 30, Users: 3 },
        { Date: "d1", StreamName: "Proxy", AppId: "1", TotalBytes: 10, Users: 1 },
        { Date: "d1", StreamName: "Firewall", AppId: "1", TotalBytes: 20, Users: 2 },
        { Date: "d2", StreamName: "Proxy", AppId: "1", TotalBytes: 5, Users: 1 },
        { Date: "d2", StreamName: "Firewall", AppId: "2", TotalBytes: 7, Users: 4 },
        // A row whose app the App table does not hold: it belongs to App's blank row.
        { Date: "d2", StreamName: "Firewall", AppId: "9", TotalBytes: 100, Users: 1 },
    ],
};
const app: DaxTable = {
    name: "App", columns: ["AppId", "AppCategory"],
    rows: [{ AppId: "1", AppCategory: "Storage" }, { AppId: "2", AppCategory: "Mail" }, { AppId: "3", AppCategory: "Mail" }],
};
const user: DaxTable = { name: "User", columns: ["UserKey"], rows: [{ UserKey: "ann" }, { UserKey: "bob" }] };
const risky: DaxTable = {
    name: "Risky App Users", columns: ["Date", "UserKey", "AppId", "TotalBytes"],
    rows: [{ Date: "d1", UserKey: "ann", AppId: "1", TotalBytes: 8 }, { Date: "d2", UserKey: "bob", AppId: "2", TotalBytes: 3 }],
};

function model(measures: Record<string, string>): DaxModel {
    return {
        tables: [appDaily, app, user, risky],
        relationships: [
            { fromTable: "App Daily", fromColumn: "AppId", toTable: "App", toColumn: "AppId" },
            { fromTable: "Risky App Users", fromColumn: "UserKey", toTable: "User", toColumn: "UserKey" },
            { fromTable: "Risky App Users", fromColumn: "AppId", toTable: "App", toColumn: "AppId" },
        ],
        measures: Object.entries(measures).map(([name, expression]) => ({ table: "App Daily", name, expression })),
    };
}

test("DAX evaluator: the model's traffic sum counts Global view once a day and follows filters through relationships", () => {
    const dax = new DaxEvaluator(model({ Traffic: trafficSum("TotalBytes") }));
    // Day 1: the Global view row alone (30); day 2: the sum of its streams (5 + 7 + 100).
    assert.equal(dax.measure("Traffic"), 142);
    // One stream selected: its own rows (the Global view is not in the filter).
    assert.equal(dax.measure("Traffic", [{ table: "App Daily", column: "StreamName", values: ["Proxy"] }]), 15);
    // A filter on App reaches App Daily; the row of an unknown app drops out as soon as App is filtered.
    assert.equal(dax.measure("Traffic", [{ table: "App", column: "AppCategory", values: ["Storage", "Mail"] }]), 42);
    // Users selected: the traffic of Risky App Users instead.
    assert.equal(dax.measure("Traffic", [{ table: "User", column: "UserKey", values: ["ann"] }]), 8);
});

test("DAX evaluator: CALCULATE replaces a column's filter, KEEPFILTERS intersects, ALLSELECTED() keeps only the filters outside the visual", () => {
    const dax = new DaxEvaluator(model({
        Plain: "SUM('App Daily'[TotalBytes])",
        Replaced: "CALCULATE([Plain], 'App Daily'[StreamName] = \"Proxy\")",
        Kept: "CALCULATE([Plain], KEEPFILTERS('App Daily'[StreamName] = \"Proxy\"))",
        Selected: "CALCULATE([Plain], ALLSELECTED())",
    }));
    const firewall = [{ table: "App Daily", column: "StreamName", values: ["Firewall"] }];
    assert.equal(dax.measure("Replaced", firewall), 15);
    assert.equal(dax.measure("Kept", firewall), null);
    const rows = dax.query([{ table: "App", column: "AppCategory" }], ["Plain", "Selected"], firewall);
    // The unknown app's row counts in the total: nothing outside the visual filters App.
    assert.deepEqual(rows, [{ keys: ["Storage"], values: [20, 127] }, { keys: ["Mail"], values: [7, 127] }]);
});

test("DAX evaluator: BLANK rules of SUM, DISTINCTCOUNT, COUNTROWS, DIVIDE, IF and arithmetic", () => {
    const dax = new DaxEvaluator(model({
        Nothing: "SUM('App Daily'[TotalBytes])",
        Share: "DIVIDE([Nothing], 0)",
        Apps: "DISTINCTCOUNT('App Daily'[AppId])",
        Days: "COUNTROWS(VALUES('App Daily'[Date]))",
        Added: "[Nothing] + [Nothing]",
        Compared: "IF([Nothing] > 0, 1)",
        MostUsers: "MAXX(SUMMARIZE('App Daily', 'App Daily'[Date], 'App Daily'[AppId]), CALCULATE(SUM('App Daily'[Users])))",
    }));
    const none = [{ table: "App Daily", column: "StreamName", values: ["Nowhere"] }];
    for (const name of ["Nothing", "Share", "Apps", "Days", "Added", "Compared", "MostUsers"]) assert.equal(dax.measure(name, none), null, name);
    assert.equal(dax.measure("Apps"), 3);
    assert.equal(dax.measure("Days"), 2);
    // Day 1, app 1: 3 + 1 + 2 over its three streams.
    assert.equal(dax.measure("MostUsers"), 6);
    assert.equal(dax.measure("Share", []), null);
});

test("DAX evaluator: ISFILTERED sees a table's own filters, ISCROSSFILTERED also those reaching it through relationships", () => {
    const dax = new DaxEvaluator(model({
        RiskyFiltered: "IF(ISFILTERED('Risky App Users'), 1, 0)",
        RiskyCrossFiltered: "IF(ISCROSSFILTERED('Risky App Users'), 1, 0)",
        AppCrossFiltered: "IF(NOT ISCROSSFILTERED('App'), 0, 1)",
    }));
    const byUser = [{ table: "User", column: "UserKey", values: ["ann"] }];
    assert.equal(dax.measure("RiskyFiltered", byUser), 0);
    assert.equal(dax.measure("RiskyCrossFiltered", byUser), 1);
    // Filters flow from the one side to the many side only: a fact filter does not reach App.
    assert.equal(dax.measure("AppCrossFiltered", [{ table: "App Daily", column: "StreamName", values: ["Proxy"] }]), 0);
    assert.equal(dax.measure("AppCrossFiltered", [{ table: "App", column: "AppId", values: ["1"] }]), 1);
});

test("DAX evaluator: anything it does not know is an error, never a silent value", () => {
    const throws = (expression: string, message: RegExp) => assert.throws(() => new DaxEvaluator(model({ M: expression })).measure("M"), message);
    throws("AVERAGE('App Daily'[TotalBytes])", /does not know AVERAGE\(\)/);
    throws("SUM('App Daily'[Missing])", /no column 'App Daily'\[Missing\]|no column App Daily\[Missing\]/);
    throws("SUM('Nowhere'[TotalBytes])", /no table "Nowhere"/);
    throws("[Other]", /no measure \[Other\]/);
    throws("'App Daily'[TotalBytes] + 1", /outside a row context/);
    throws("CALCULATE(SUM('App Daily'[TotalBytes]), ALL('App'))", /does not know ALL\(\) as a CALCULATE filter/);
    throws("CALCULATE(SUM('App Daily'[TotalBytes]), 'App Daily'[StreamName] = 'App'[AppId])", /exactly one column/);
    throws("DIVIDE(1, 2, 3)", /DIVIDE with 2 arguments/);
    throws("SUM('App Daily'[TotalBytes]", /expected \)/);
    assert.throws(() => parseDax("1 +"), /unexpected end/);
});

test("DAX evaluator: TREATAS carries one table's values as a filter on another table's column", () => {
    const dax = new DaxEvaluator(model({
        Risky: "CALCULATE(SUM('Risky App Users'[TotalBytes]), TREATAS(VALUES('App'[AppId]), 'Risky App Users'[AppId]))",
        Wrong: "CALCULATE(SUM('Risky App Users'[TotalBytes]), TREATAS('App', 'Risky App Users'[AppId]))",
    }));
    assert.equal(dax.measure("Risky", [{ table: "App", column: "AppCategory", values: ["Mail"] }]), 3);
    assert.equal(dax.measure("Risky"), 11);
    assert.throws(() => dax.measure("Wrong"), /one-column table/);
});
