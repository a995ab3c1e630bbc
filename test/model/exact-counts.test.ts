// Exact distinct counts from measures bound per grain, checked against counts made here from the users behind
// each DataView row; and the cases where a figure stays a lower bound, or a field does not give distinct counts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { updateModel } from "../../src/model/index.ts";
import { summarizationOf } from "../../src/model/summarization.ts";
import type { DashboardModel, Panel } from "../../src/model/types.ts";
import { seededRandom } from "../../src/random.ts";
import { buildDataView, DataViewOptions, DiscoveryRow, generateRows, LABELS, settingsWith } from "./builder.ts";

/** DataView rows (one per app × stream, as Power BI groups them) with the users behind each row. */
function rowsWithUsers(seed: number): { rows: DiscoveryRow[]; users: Set<string>[] } {
    const random = seededRandom(seed);
    const byKey = new Map<string, { row: DiscoveryRow; users: Set<string> }>();
    for (const row of generateRows(400, seed)) {
        const key = JSON.stringify([row.AppName, row.StreamName]);
        const users = new Set<string>();
        const count = 1 + Math.floor(random() * 12);
        for (let i = 0; i < count; i++) users.add(`user${Math.floor(random() ** 2 * 80)}@contoso.com`);
        const seen = byKey.get(key);
        if (seen) for (const user of users) seen.users.add(user);
        else byKey.set(key, { row: { ...row }, users });
    }
    const entries = [...byKey.values()];
    for (const entry of entries) entry.row.Users = entry.users.size;
    return { rows: entries.map(entry => entry.row), users: entries.map(entry => entry.users) };
}

const { rows, users } = rowsWithUsers(29);

/** Distinct users of the rows whose `role` value equals that of row `index`: what the DAX measure returns on it. */
function usersOfItem(role: "AppName" | "AppCategory" | "StreamName", index: number): number {
    const all = new Set<string>();
    rows.forEach((row, i) => {
        if (row[role] === rows[index][role]) for (const user of users[i]) all.add(user);
    });
    return all.size;
}

const totalUsers = new Set(users.flatMap(set => [...set])).size;

const EXACT: NonNullable<DataViewOptions["exact"]> = {
    UsersTotal: () => totalUsers,
    UsersPerApp: (_row, i) => usersOfItem("AppName", i),
    UsersPerCategory: (_row, i) => usersOfItem("AppCategory", i),
    UsersPerStream: (_row, i) => usersOfItem("StreamName", i),
    // The rows' IP address counts are not drawn from addresses; any total at least their largest will do.
    IpAddressesTotal: () => 250,
};

function modelOf(options: DataViewOptions = {}, dataRows: readonly DiscoveryRow[] = rows): DashboardModel {
    return updateModel(undefined, buildDataView(dataRows, options), settingsWith({ topN: 50, topAppsN: 50 }), LABELS, { isAppend: false }).model;
}

function ready<T>(panel: Panel<T>): T {
    assert.equal(panel.status, "ready", `panel not ready: ${JSON.stringify(panel)}`);
    return (panel as { data: T }).data;
}

describe("exact distinct counts from measures per grain", () => {
    it("shows each app's, category's and stream's users and the total exactly, as counted from the users", () => {
        const model = modelOf({ exact: EXACT });
        assert.deepEqual(ready(model.kpis).users, { value: totalUsers, exact: true });
        assert.deepEqual(ready(model.kpis).ipAddresses, { value: 250, exact: true });
        const apps = ready(model.topApps).apps;
        assert.ok(apps.length > 10);
        for (const app of apps) {
            const index = rows.findIndex(row => row.AppName === app.label.text);
            assert.deepEqual(app.users, { value: usersOfItem("AppName", index), exact: true }, app.label.text);
        }
        for (const bar of ready(model.categoryTraffic)) {
            const index = rows.findIndex(row => row.AppCategory === bar.label.text);
            assert.deepEqual(bar.users, { value: usersOfItem("AppCategory", index), exact: true }, bar.label.text);
        }
        for (const bar of ready(model.streamBytes)) {
            const index = rows.findIndex(row => row.StreamName === bar.label.text);
            assert.deepEqual(bar.users, { value: usersOfItem("StreamName", index), exact: true }, bar.label.text);
        }
        // Bands stay lower bounds: the largest app of the band.
        for (const band of ready(model.riskBands)) {
            const inBand = apps.filter(app => app.riskBand === band.id);
            assert.deepEqual(band.users, { value: Math.max(0, ...inBand.map(app => app.users?.value ?? 0)), exact: inBand.length === 0 });
        }
        assert.deepEqual(model.distinctCounts, { lowerBounds: [{ role: "Users", grain: "band" }], inconsistent: [], notDistinct: [] });
    });

    it("without them, gives the largest row as a lower bound and says which figures are lower bounds", () => {
        const model = modelOf();
        const kpis = ready(model.kpis);
        assert.deepEqual(kpis.users, { value: Math.max(...rows.map(row => row.Users as number)), exact: false });
        assert.ok(kpis.users.value < totalUsers, "the largest row undercounts the users");
        assert.ok(ready(model.topApps).apps.some(app => app.users?.exact === false));
        assert.ok(ready(model.categoryTraffic).every(bar => bar.users === null));
        assert.ok(ready(model.streamBytes).every(bar => bar.users === null));
        assert.deepEqual(model.distinctCounts.lowerBounds, [
            { role: "Users", grain: "total" }, { role: "IpAddresses", grain: "total" }, { role: "Users", grain: "app" }, { role: "Users", grain: "band" },
        ]);
    });

    it("counts an app with a single DataView row exactly, and a band holding that one app", () => {
        const onlyApp = rows.filter(row => row.AppName === rows[0].AppName).slice(0, 1);
        const model = modelOf({ roles: ["AppName", "AppScore", "TotalBytes", "Users"] }, onlyApp);
        assert.deepEqual(ready(model.topApps).apps[0].users, { value: onlyApp[0].Users, exact: true });
        const band = ready(model.riskBands).find(b => b.apps === 1);
        assert.deepEqual(band?.users, { value: onlyApp[0].Users, exact: true });
        assert.deepEqual(model.distinctCounts.lowerBounds, []);
    });

    it("takes a measure bound to Users as a lower bound even on an app's single row: it may be one", () => {
        const onlyApp = rows.filter(row => row.AppName === rows[0].AppName).slice(0, 1);
        const model = modelOf({ roles: ["AppName", "AppScore", "TotalBytes", "Users"], distinctSummarization: "measure" }, onlyApp);
        assert.deepEqual(ready(model.topApps).apps[0].users, { value: onlyApp[0].Users, exact: false });
        assert.deepEqual(model.distinctCounts.lowerBounds.map(bound => bound.grain), ["total", "app", "band"]);
        // Without any grouping, the one row is the grand total whatever the field is.
        const total = modelOf({ roles: ["TotalBytes", "Users"], distinctSummarization: "measure" }, onlyApp);
        assert.deepEqual(ready(total.kpis).users, { value: onlyApp[0].Users, exact: true });
    });

    it("leaves out a per-grain measure whose value differs between rows of one item, and names it", () => {
        // Users per app bound to the row's own count (a column, or a measure that keeps the stream).
        const model = modelOf({ exact: { ...EXACT, UsersPerApp: row => row.Users } });
        assert.deepEqual(model.distinctCounts.inconsistent, ["UsersPerApp"]);
        const apps = ready(model.topApps).apps;
        assert.ok(apps.some(app => app.users?.exact === false), "apps fall back to the lower bound");
        assert.ok(model.distinctCounts.lowerBounds.some(bound => bound.grain === "app"));
        // The others are still exact.
        assert.ok(ready(model.categoryTraffic).every(bar => bar.users?.exact === true));
    });

    it("folds the measures segment by segment into the same model as the whole", () => {
        const cuts = [37, 120, rows.length];
        let state;
        let model;
        for (const [i, cut] of cuts.entries()) {
            ({ state, model } = updateModel(state, buildDataView(rows.slice(0, cut), { exact: EXACT, moreData: i < cuts.length - 1 }),
                settingsWith({ topN: 50, topAppsN: 50 }), LABELS, { isAppend: i > 0 }));
        }
        assert.deepEqual(model, modelOf({ exact: EXACT }));
    });

    it("counts invalid and negative values of the measures in the note, and keeps the valid ones", () => {
        const model = modelOf({ exact: { ...EXACT, UsersPerStream: (row, i) => (i === 3 ? Number.NaN : i === 5 ? -2 : usersOfItem("StreamName", i)) } });
        assert.equal(model.note.invalidValues.UsersPerStream, 1);
        assert.equal(model.note.negativeValues.UsersPerStream, 1);
        assert.ok(ready(model.streamBytes).every(bar => bar.users?.exact === true));
    });
});

describe("Users summarized as Count instead of Count (Distinct)", () => {
    for (const withExpr of [false, true]) {
        const reading = withExpr ? "the column's expr" : "its queryName";
        it(`is told apart from Count (Distinct) by ${reading}, and its values are not shown as users`, () => {
            const counted = modelOf({ distinctSummarization: "CountNonNull", withExpr });
            assert.deepEqual(counted.distinctCounts.notDistinct, [
                { role: "Users", aggregation: "CountNonNull" }, { role: "IpAddresses", aggregation: "CountNonNull" },
            ]);
            assert.equal(ready(counted.kpis).users, null);
            assert.ok(ready(counted.topApps).apps.every(app => app.users === null));
            const distinct = modelOf({ distinctSummarization: "Count", withExpr });
            assert.deepEqual(distinct.distinctCounts.notDistinct, []);
            assert.notEqual(ready(distinct.kpis).users, null);
        });
    }

    it("reads the summarization from expr first, then queryName, and takes measures as they are", () => {
        const column = { _kind: 2, source: { _kind: 0, entity: "T" }, ref: "UserName" };
        assert.equal(summarizationOf({ displayName: "Count of UserName", expr: { _kind: 4, arg: column, func: 5 } }), "CountNonNull");
        assert.equal(summarizationOf({ displayName: "Count of UserName", expr: { _kind: 4, arg: column, func: 2 }, queryName: "CountNonNull(T.UserName)" }), "Count");
        assert.equal(summarizationOf({ displayName: "x", queryName: "Count(T.UserName)" }), "Count");
        assert.equal(summarizationOf({ displayName: "x", queryName: "Sum(T.Users)" }), "Sum");
        assert.equal(summarizationOf({ displayName: "Distinct users", queryName: "T.Distinct users (Count)" }), null);
        assert.equal(summarizationOf({ displayName: "Users", queryName: "T.Users" }), null);
    });
});
