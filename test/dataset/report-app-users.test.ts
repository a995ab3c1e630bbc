import { test } from "node:test";
import assert from "node:assert/strict";
import { TABLE, usersPerAppExpression } from "../../src/dataset/report/model.ts";
import { DaxEvaluator, type DaxModel } from "./report-dax-evaluator.ts";

// One day, one stream, two apps whose users overlap: ann uses both.
const model: DaxModel = {
    tables: [
        {
            name: TABLE.appDaily, columns: ["Date", "StreamName", "AppId", "Users"],
            rows: [{ Date: "d1", StreamName: "Proxy", AppId: "1", Users: 2 }, { Date: "d1", StreamName: "Proxy", AppId: "2", Users: 1 }],
        },
        { name: TABLE.app, columns: ["AppId", "AppName"], rows: [{ AppId: "1", AppName: "Box" }, { AppId: "2", AppName: "Drop" }] },
        { name: TABLE.user, columns: ["UserKey"], rows: [{ UserKey: "ann" }, { UserKey: "bob" }] },
        { name: TABLE.userAppDaily, columns: ["Date", "UserKey", "AppId"], rows: [] },
    ],
    relationships: [{ fromTable: TABLE.appDaily, fromColumn: "AppId", toTable: TABLE.app, toColumn: "AppId" }],
    measures: [{ table: TABLE.appDaily, name: "Users per app", expression: usersPerAppExpression() }],
};

test("Users per app: each app's exact users on one day; blank for several apps, whose users may overlap", () => {
    const dax = new DaxEvaluator(model);
    assert.deepEqual(dax.query([{ table: TABLE.app, column: "AppName" }], ["Users per app"]).map(r => [r.keys[0], r.values[0]]), [["Box", 2], ["Drop", 1]]);
    // A card or a total row: 2 + 1 would count ann twice.
    assert.equal(dax.measure("Users per app"), null);
});
