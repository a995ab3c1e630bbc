import { test } from "node:test";
import assert from "node:assert/strict";
import {
    aggregateQuery, AGGREGATE_GRAINS, countByBinQuery, kqlDatetime, kqlIdentifier, kqlString, rawQuery, resolveTable, schemaProbeQuery, SUPPORTED_TABLE_NAMES,
} from "../../src/dataset/kql/index.ts";
import { analyzeKql } from "../../src/dataset/kusto/analyze.ts";
import { UserError } from "../../src/dataset/errors.ts";
import { MCAS_SHADOW_IT_REPORTING_AZURE_MONITOR } from "../../src/schema.ts";
import { tablesOfVariant, TABLES } from "../../src/dataset/tables.ts";

const window = { start: new Date("2024-05-01T00:00:00Z"), end: new Date("2024-05-02T06:30:00.250Z") };
const windows = [undefined, window];

test("every query for every table, grain and window has zero Kusto diagnostics", () => {
    let checked = 0;
    for (const table of SUPPORTED_TABLE_NAMES) {
        for (const w of windows) {
            const queries = [rawQuery(table, w), countByBinQuery(table, w, "1h"), countByBinQuery(table, w, "1d"),
                ...AGGREGATE_GRAINS.map(g => aggregateQuery(table, g, w))];
            for (const q of queries) {
                assert.deepEqual(analyzeKql(q, TABLES, { all: true }), [], q);
                checked++;
            }
        }
    }
    assert.equal(checked, 3 * 2 * 6);
});

test("rawQuery projects every column in schema order and orders by time with a tiebreak", () => {
    for (const schema of TABLES) {
        const q = rawQuery(schema.name, window);
        const lines = q.split("\n");
        assert.equal(lines[0], schema.name);
        assert.equal(lines[1], "| where TimeGenerated >= datetime(2024-05-01T00:00:00.000Z) and TimeGenerated < datetime(2024-05-02T06:30:00.250Z)");
        assert.equal(lines[2], `| project ${schema.columns.map(c => c.name).join(", ")}`);
        assert.match(lines[3] ?? "", /^\| order by TimeGenerated asc, \w+ asc/);
    }
    assert.ok(!rawQuery("SecurityAlert").includes("where"), "no window, no filter");
});

test("countByBinQuery counts rows per bin", () => {
    assert.equal(countByBinQuery("SigninLogs", window, "1d"), [
        "SigninLogs",
        "| where TimeGenerated >= datetime(2024-05-01T00:00:00.000Z) and TimeGenerated < datetime(2024-05-02T06:30:00.250Z)",
        "| summarize Rows = count() by TimeGenerated = bin(TimeGenerated, 1d)",
        "| order by TimeGenerated asc",
    ].join("\n"));
    assert.throws(() => countByBinQuery("SigninLogs", window, "5m" as "1h"), RangeError);
});

test("the McasShadowItReporting aggregate sums the additive measures by the dashboard's dimensions", () => {
    const day = aggregateQuery("McasShadowItReporting", "day");
    assert.equal(day, "McasShadowItReporting\n| summarize TotalEvents = sum(TotalEvents), BlockedEvents = sum(BlockedEvents), "
        + "UploadedBytes = sum(UploadedBytes), DownloadedBytes = sum(DownloadedBytes), TotalBytes = sum(TotalBytes), Records = count() "
        + "by TimeGenerated = bin(TimeGenerated, 1d), StreamName, AppName, AppId, AppCategory, AppScore, AppTags = tostring(AppTags), UserName, EnrichedUserName");
    assert.match(aggregateQuery("McasShadowItReporting", "hour"), /by TimeGenerated = bin\(TimeGenerated, 1h\), StreamName/);
    const none = aggregateQuery("McasShadowItReporting", "none", window);
    assert.match(none, /summarize TimeGenerated = min\(TimeGenerated\), LastSeen = max\(TimeGenerated\), TotalEvents = sum/);
    assert.doesNotMatch(none, /bin\(/);
    assert.doesNotMatch(day, /IpAddress/, "distinct IPs are not additive: IpAddress stays out of the pushdown");
    assert.match(aggregateQuery("SecurityAlert", "day"), /Alerts = count\(\) by TimeGenerated = bin\(TimeGenerated, 1d\), AlertName, AlertSeverity/);
    assert.match(aggregateQuery("SigninLogs", "day"), /SignIns = count\(\) by TimeGenerated = bin\(TimeGenerated, 1d\), UserPrincipalName, AppDisplayName, ResultType/);
    assert.throws(() => aggregateQuery("SigninLogs", "week" as "day"), RangeError);
});

test("table names are validated: unknown ones list the valid names, Entra ones say not supported yet", () => {
    assert.throws(() => rawQuery("Mcas | take 1"), (e: unknown) => e instanceof UserError
        && /unknown table "Mcas \| take 1"/.test(e.message) && e.message.includes("McasShadowItReporting, SecurityAlert, SigninLogs"));
    assert.throws(() => aggregateQuery("AuditLogs", "day"), (e: unknown) => e instanceof UserError
        && /Entra ID table that is not supported yet/.test(e.message));
    assert.throws(() => countByBinQuery("mcasshadowitreporting", undefined, "1h"), (e: unknown) => e instanceof UserError
        && /did you mean McasShadowItReporting/.test(e.message));
    assert.throws(() => rawQuery("x".repeat(10_000)), (e: unknown) => e instanceof UserError && e.message.length < 400);
    assert.equal(resolveTable("SigninLogs").name, "SigninLogs");
});

test("windows are validated and formatted as ISO with milliseconds and Z", () => {
    assert.equal(kqlDatetime(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6))), "datetime(2024-01-02T03:04:05.006Z)");
    assert.throws(() => rawQuery("SecurityAlert", { start: new Date("nope"), end: window.end }), RangeError);
    assert.throws(() => rawQuery("SecurityAlert", { start: window.end, end: window.start }), /empty time window/);
    assert.throws(() => rawQuery("SecurityAlert", { start: window.start, end: window.start }), /empty time window/);
});

test("string literals and identifiers cannot break out of their quotes", () => {
    const hostile = "a\" | take 1 // \\ ' \n\r\t\u0001 <b>";
    const q = `McasShadowItReporting | where AppName == ${kqlString(hostile)}`;
    assert.deepEqual(analyzeKql(q), []);
    assert.equal(kqlString("x\"y"), "\"x\\\"y\"");
    assert.equal(kqlIdentifier("TimeGenerated"), "TimeGenerated");
    assert.equal(kqlIdentifier("odd name'"), "['odd name\\'']");
});

test("rawQuery of a workspace's own columns projects them in its order, and leaves out tie-break keys it lacks", () => {
    const azureMonitor = rawQuery(MCAS_SHADOW_IT_REPORTING_AZURE_MONITOR, window);
    assert.match(azureMonitor, /\| project AadTenantId, AppCategory, AppId, AppInstance, AppName, .*, UploadedBytes, UserName\n/);
    assert.deepEqual(analyzeKql(azureMonitor, tablesOfVariant("azure-monitor"), { all: true }), []);
    const narrow = { name: "McasShadowItReporting", columns: [{ name: "TimeGenerated", type: "datetime" }, { name: "UserName", type: "string" }] } as const;
    assert.equal(rawQuery(narrow, window).split("\n").slice(2).join("\n"), "| project TimeGenerated, UserName\n| order by TimeGenerated asc, UserName asc");
    assert.throws(() => rawQuery({ name: "Heartbeat", columns: [] }), UserError);
    assert.equal(schemaProbeQuery("McasShadowItReporting"), "McasShadowItReporting\n| take 0");
});
