import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeKql, kqlErrors } from "../../src/dataset/kusto/analyze.ts";
import type { TableSchema } from "../../src/schema.ts";

test("valid queries over the three tables give no diagnostics", () => {
    const queries = [
        "McasShadowItReporting | where AppScore <= 3 and AppTags has \"unsanctioned\" | summarize sum(UploadedBytes) by AppName",
        "SecurityAlert | where TimeGenerated > ago(7d) | summarize Alerts = count() by AlertSeverity | order by Alerts desc",
        "SigninLogs | where ResultType != \"0\" | project TimeGenerated, UserPrincipalName, DeviceDetail | take 10",
        "McasShadowItReporting | summarize Users = dcount(UserName), Blocked = countif(BlockedEvents > 0) by bin(TimeGenerated, 1h)",
    ];
    for (const q of queries) assert.deepEqual(analyzeKql(q), [], q);
});

test("a syntax error is reported as an error with its position", () => {
    const query = "McasShadowItReporting | where (AppScore > 3";
    const errors = kqlErrors(query);
    assert.ok(errors.length > 0);
    const expected = errors.find(e => e.message.includes("Expected: )"));
    assert.ok(expected, JSON.stringify(errors));
    assert.equal(expected.severity, "error");
    assert.equal(expected.start, query.length);
    assert.match(expected.code, /^KS\d+$/);
});

test("an unknown column is reported at the column's position", () => {
    const query = "McasShadowItReporting | where AppRisk > 3";
    const [error, ...rest] = kqlErrors(query);
    assert.equal(rest.length, 0);
    assert.ok(error);
    assert.match(error.message, /'AppRisk'/);
    assert.equal(query.substr(error.start, error.length), "AppRisk");
});

test("an unknown table is reported, and table names are case-sensitive", () => {
    for (const name of ["AuditLogs", "mcasshadowitreporting"]) {
        const errors = kqlErrors(`${name} | take 5`);
        assert.equal(errors.length, 1, name);
        assert.match(errors[0]?.message ?? "", new RegExp(`'${name}'.*table`));
        assert.equal(errors[0]?.start, 0);
        assert.equal(errors[0]?.length, name.length);
    }
});

test("type errors from the binder are reported (summarize by a dynamic column)", () => {
    const errors = kqlErrors("McasShadowItReporting | summarize count() by AppTags");
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? "", /dynamic/);
});

test("custom table schemas are honoured and cached per schema list", () => {
    const tables: TableSchema[] = [{ name: "Custom_CL", columns: [{ name: "When", type: "datetime" }, { name: "Size", type: "long" }] }];
    assert.deepEqual(analyzeKql("Custom_CL | summarize sum(Size) by bin(When, 1d)", tables), []);
    assert.equal(analyzeKql("McasShadowItReporting | take 1", tables).length, 1);
    // Same answers when called again (the globals are reused).
    assert.deepEqual(analyzeKql("Custom_CL | summarize sum(Size) by bin(When, 1d)", tables), []);
});

test("errors only by default; the analyzers' warnings with { all: true }", () => {
    const q = "McasShadowItReporting | where isnull(UserName) | take 5";
    assert.deepEqual(analyzeKql(q), []);
    const all = analyzeKql(q, undefined, { all: true });
    const warning = all.find(d => d.code === "KS501");
    assert.ok(warning, JSON.stringify(all));
    assert.equal(warning.severity, "warning");
    assert.equal(q.substr(warning.start, warning.length).startsWith("isnull"), true);
    assert.deepEqual(kqlErrors(q), []);
});

test("hostile input does not break the analyzer", () => {
    const long = `McasShadowItReporting | where AppName == "${"x\\\"<script>".repeat(2000)}"`;
    assert.ok(Array.isArray(analyzeKql(long)));
    assert.ok(kqlErrors("\u0000 ) ( | | ;;").length > 0);
    assert.ok(kqlErrors("").length >= 0);
});
