// The emulator's KQL subset evaluated by DuckDB, checked row by row against hand-computed answers on a small,
// deliberately awkward table (nulls, ties, case, hostile strings). Every accepted query is also valid KQL for
// Microsoft's Kusto language service, so these are answers the real service would give.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { TABLES } from "../../src/dataset/tables.ts";
import { analyzeKql } from "../../src/dataset/kusto/analyze.ts";
import { Engine, BadRowError } from "../../src/dataset/emulator/engine.ts";
import { parseQuery } from "../../src/dataset/emulator/parser.ts";
import { planQuery } from "../../src/dataset/emulator/planner.ts";
import { QueryError } from "../../src/dataset/emulator/query-errors.ts";
import { checkAgainstKusto, planKql } from "../../src/dataset/emulator/query-service.ts";
import { parseTimespan, TimespanError } from "../../src/dataset/emulator/timespan.ts";
import { formatDatetimeMicros, formatTimespanMicros } from "../../src/dataset/emulator/literals.ts";

const HOSTILE = `<script>alert("x")</script>'; DROP TABLE McasShadowItReporting; --`;
const LONG_NAME = "A".repeat(10_000);
const NOW = Date.UTC(2024, 4, 10, 12, 0, 0); // 2024-05-10T12:00:00Z

interface Fixture {
    TimeGenerated: Date; StreamName: string; AppName: string; AppCategory: string; AppTags: string[];
    AppScore: number; TotalEvents: number | null; TotalBytes: number; UserName: string;
}

const FIXTURE: Fixture[] = [
    { TimeGenerated: new Date("2024-05-01T00:00:00Z"), StreamName: "Finance", AppName: "Microsoft OneDrive", AppCategory: "Cloud storage", AppTags: ["sanctioned"], AppScore: 10, TotalEvents: 5, TotalBytes: 1000, UserName: "ann" },
    { TimeGenerated: new Date("2024-05-01T10:30:00Z"), StreamName: "Finance", AppName: "Dropbox", AppCategory: "Cloud storage", AppTags: ["unsanctioned"], AppScore: 3, TotalEvents: 12, TotalBytes: 250_000, UserName: "bob" },
    { TimeGenerated: new Date("2024-05-02T23:59:59.999Z"), StreamName: "Sales", AppName: "dropbox", AppCategory: "Cloud storage", AppTags: [], AppScore: 3, TotalEvents: null, TotalBytes: 40, UserName: "ann" },
    { TimeGenerated: new Date("2024-05-03T08:00:00Z"), StreamName: "Sales", AppName: "Slack", AppCategory: "Collaboration", AppTags: ["sanctioned", "Monitored"], AppScore: 9, TotalEvents: 7, TotalBytes: 9_007_199_254_740_000, UserName: "cy" },
    { TimeGenerated: new Date("2024-05-06T01:00:00Z"), StreamName: "Palo Alto", AppName: HOSTILE, AppCategory: "Hacking", AppTags: ["unsanctioned"], AppScore: 0, TotalEvents: 1, TotalBytes: 7, UserName: "" },
    { TimeGenerated: new Date("2024-05-09T12:00:00Z"), StreamName: "Palo Alto", AppName: LONG_NAME, AppCategory: "Collaboration", AppTags: ["custom-tag"], AppScore: 6, TotalEvents: 3, TotalBytes: 300, UserName: "dee" },
];

let engine: Engine;

before(async () => {
    engine = await Engine.create(TABLES);
    await engine.append("McasShadowItReporting", FIXTURE.map(r => ({ ...r, TenantId: "t", SourceSystem: "Azure", Type: "McasShadowItReporting", AppId: 1, BlockedEvents: 0, UploadedBytes: 1, DownloadedBytes: 2, IpAddress: "10.0.0.1", EnrichedUserName: r.UserName })));
});
after(() => engine.close());

interface Answer {
    columns: { name: string; type: string }[];
    rows: unknown[][];
}

async function kql(query: string, range?: string): Promise<Answer> {
    assert.deepEqual(analyzeKql(query), [], `the test query must be valid KQL: ${query}`);
    const nowMicros = BigInt(NOW) * 1000n;
    // The service's own path: names from Kusto's binder, and a refusal if a column's name or type would differ.
    const plan = planKql(query, { tables: TABLES, nowMicros, limit: 1000, range: range ? parseTimespan(range, nowMicros) : undefined });
    const result = await engine.execute(plan, { rowLimit: 1000, sizeLimitBytes: 1e8 });
    return { columns: [...result.columns], rows: result.rows.map(r => JSON.parse(r) as unknown[]) };
}

async function column(query: string, range?: string): Promise<unknown[]> {
    const { rows } = await kql(query, range);
    return rows.map(r => r[0]);
}

const sorted = (values: unknown[]): unknown[] => [...values].sort();

function rejects(query: string, kind: QueryError["kind"], pattern: RegExp): void {
    assert.throws(() => planQuery(parseQuery(query), { tables: TABLES, nowMicros: 0n, limit: 10 }), (error: unknown) => {
        assert.ok(error instanceof QueryError, String(error));
        assert.equal(error.kind, kind);
        assert.match(error.message, pattern);
        return true;
    });
}

describe("where", () => {
    test("comparisons, and/or/not, case-insensitive equality", async () => {
        assert.deepEqual(sorted(await column("McasShadowItReporting | where AppScore <= 3 and AppCategory == 'Cloud storage' | project AppName")), ["Dropbox", "dropbox"]);
        assert.deepEqual(sorted(await column("McasShadowItReporting | where AppName =~ 'DROPBOX' | project UserName")), ["ann", "bob"]);
        assert.deepEqual(await column("McasShadowItReporting | where AppName == 'Dropbox' | project UserName"), ["bob"]);
        assert.deepEqual(sorted(await column("McasShadowItReporting | where not(AppScore > 3) or UserName == 'dee' | project AppScore")), [0, 3, 3, 6]);
        assert.deepEqual(sorted(await column("McasShadowItReporting | where AppName !~ 'dropbox' and AppScore != 0 | project AppScore")), [10, 6, 9]);
    });

    test("and binds tighter than or, * / % tighter than + -, and each level groups from the left", async () => {
        assert.deepEqual(sorted(await column("McasShadowItReporting | where AppScore == 0 or AppScore == 3 and UserName == 'ann' | project AppScore")), [0, 3]);
        const { rows } = await kql("McasShadowItReporting | where UserName == 'bob' | project Minus = AppScore - 2 - 1, Times = AppScore * 4 / 2 % 5, Mixed = AppScore + 2 * 3");
        assert.deepEqual(rows, [[0, 1, 9]]);
    });

    test("in, !in and in~ lists", async () => {
        assert.deepEqual(sorted(await column("McasShadowItReporting | where UserName in ('ann', 'cy') | project TotalBytes")), [1000, 40, 9_007_199_254_740_000]);
        assert.deepEqual(sorted(await column("McasShadowItReporting | where StreamName !in ('Finance', 'Sales') | project AppScore")), [0, 6]);
        assert.deepEqual(sorted(await column("McasShadowItReporting | where AppName in~ ('DROPBOX', 'slack') | project AppScore")), [3, 3, 9]);
    });

    test("has matches whole terms only; contains and startswith match text, ignoring case", async () => {
        assert.deepEqual(sorted(await column("McasShadowItReporting | where AppTags has 'sanctioned' | project AppName")), ["Microsoft OneDrive", "Slack"]);
        assert.equal((await column("McasShadowItReporting | where AppTags contains 'SANCTIONED' | project AppName")).length, 4);
        assert.deepEqual(await column("McasShadowItReporting | where AppName startswith 'micro' | project AppScore"), [10]);
        assert.deepEqual(await column("McasShadowItReporting | where AppName has 'onedrive' | project AppScore"), [10]);
        assert.deepEqual(await column("McasShadowItReporting | where AppName has 'one' | project AppScore"), []);
        assert.deepEqual(sorted(await column("McasShadowItReporting | where AppName !contains 'O' | project AppScore")), [6, 9]);
    });

    test("isempty, isnotempty, isnull, isnotnull", async () => {
        assert.deepEqual(await column("McasShadowItReporting | where isempty(UserName) | project AppScore"), [0]);
        assert.equal((await column("McasShadowItReporting | where isnotempty(UserName) | project AppScore")).length, 5);
        assert.deepEqual(await column("McasShadowItReporting | where isnull(TotalEvents) | project AppName"), ["dropbox"]);
        assert.equal((await column("McasShadowItReporting | where isnotnull(TotalEvents) | project AppName")).length, 5);
    });

    test("datetime literals, ago(), now() and timespan arithmetic", async () => {
        assert.deepEqual(await column("McasShadowItReporting | where TimeGenerated > ago(2d) | project UserName"), ["dee"]);
        assert.deepEqual(await column("McasShadowItReporting | where TimeGenerated >= datetime(2024-05-01T00:00:00Z) + 10h and TimeGenerated < datetime(2024-05-02) | project UserName"), ["bob"]);
        assert.deepEqual(await column("McasShadowItReporting | where now() - TimeGenerated < 1d + 30m | project UserName"), ["dee"]);
        assert.deepEqual(await column("McasShadowItReporting | where TimeGenerated == datetime(2024-05-02T23:59:59.999Z) | project UserName"), ["ann"]);
    });

    test("a hostile string is a value, never SQL", async () => {
        const literal = `"${HOSTILE.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
        assert.deepEqual(await column(`McasShadowItReporting | where AppName == ${literal} | project AppScore`), [0]);
        assert.equal((await column("McasShadowItReporting | count"))[0], 6);
        const long = await column(`McasShadowItReporting | where AppName == '${LONG_NAME}' | project AppName`);
        assert.equal((long[0] as string).length, 10_000);
    });
});

describe("shaping", () => {
    test("project names and types; project-away; project-rename; extend replaces in place", async () => {
        const projected = await kql("McasShadowItReporting | where UserName == 'bob' | project AppName, Score = AppScore * 2, Big = TotalBytes + 1, Ratio = TotalBytes / 1000.0, T = TimeGenerated");
        assert.deepEqual(projected.columns, [
            { name: "AppName", type: "string" }, { name: "Score", type: "long" }, { name: "Big", type: "long" },
            { name: "Ratio", type: "real" }, { name: "T", type: "datetime" },
        ]);
        assert.deepEqual(projected.rows, [["Dropbox", 6, 250_001, 250, "2024-05-01T10:30:00Z"]]);

        const away = await kql("McasShadowItReporting | project-away TenantId, SourceSystem, Type | take 1");
        assert.equal(away.columns.length, 15);
        assert.ok(!away.columns.some(c => ["TenantId", "SourceSystem", "Type"].includes(c.name)));
        assert.equal(away.columns[0].name, "TimeGenerated");

        const renamed = await kql("McasShadowItReporting | project AppName, AppScore | project-rename Score = AppScore | take 1");
        assert.deepEqual(renamed.columns.map(c => c.name), ["AppName", "Score"]);

        const extended = await kql("McasShadowItReporting | where UserName == 'cy' | project AppName, AppScore | extend AppScore = AppScore + 1, Label = strcat(AppName, '#', AppScore)");
        assert.deepEqual(extended.columns, [{ name: "AppName", type: "string" }, { name: "AppScore", type: "long" }, { name: "Label", type: "string" }]);
        assert.deepEqual(extended.rows, [["Slack", 10, "Slack#9"]]);
    });

    test("unnamed expressions get Kusto's names: kept, derived, numbered, or replacing the column they convert", async () => {
        const projected = await kql("McasShadowItReporting | where UserName == 'bob' | project AppScore * 2, tolower(AppName), strlen(AppName), tostring(AppScore), AppName");
        assert.deepEqual(projected.columns.map(c => c.name), ["Column1", "Column2", "strlen_AppName", "AppScore", "AppName"]);
        assert.deepEqual(projected.rows, [[6, "dropbox", 7, "3", "Dropbox"]]);
        const extended = await kql("McasShadowItReporting | where UserName == 'bob' | project AppScore, AppName | extend tostring(AppScore), strlen(AppName) | where strlen_AppName > 3");
        assert.deepEqual(extended.columns, [{ name: "AppScore", type: "string" }, { name: "AppName", type: "string" }, { name: "strlen_AppName", type: "long" }]);
        assert.deepEqual(extended.rows, [["3", "Dropbox", 7]]);
        const summarized = await kql("McasShadowItReporting | summarize count(), count(), sum(TotalBytes) by tolower(StreamName), startofday(TimeGenerated) | where count_ > 1");
        assert.deepEqual(summarized.columns.map(c => c.name), ["Column1", "TimeGenerated", "count_", "count_1", "sum_TotalBytes"]);
        assert.deepEqual(summarized.rows, [["finance", "2024-05-01T00:00:00Z", 2, 2, 251_000]]);
    });

    test("scalar functions: iff, tostring of dynamic and datetime, tolong, toupper, startofday, bin_at", async () => {
        const answer = await kql("McasShadowItReporting | where UserName == 'cy' | project Risk = iff(AppScore < 4, 'high', 'low'), Tags = tostring(AppTags), "
            + "N = tolong('42'), Bad = tolong('x'), U = toupper(StreamName), D = startofday(TimeGenerated), S = tostring(TimeGenerated), "
            + "B = bin_at(TimeGenerated, 1d, datetime(2024-05-01T06:00:00Z)), R = todouble(AppScore) / 2");
        assert.deepEqual(answer.columns.map(c => c.type), ["string", "string", "long", "long", "string", "datetime", "string", "datetime", "real"]);
        assert.deepEqual(answer.rows, [["low", '["sanctioned","Monitored"]', 42, null, "SALES", "2024-05-03T00:00:00Z", "2024-05-03T08:00:00Z", "2024-05-03T06:00:00Z", 4.5]]);
    });

    test("longs beyond 2^53 stay exact on the wire", async () => {
        const result = await engine.execute(planQuery(parseQuery("McasShadowItReporting | where UserName == 'cy' | project X = TotalBytes * 1000"), { tables: TABLES, nowMicros: 0n, limit: 5 }), { rowLimit: 5, sizeLimitBytes: 1e6 });
        assert.deepEqual(result.rows, ["[9007199254740000000]"]);
    });
});

describe("summarize, order, take, top, count, distinct", () => {
    test("keys come first, then aggregates, with Kusto's default names and types", async () => {
        const answer = await kql("McasShadowItReporting | summarize count(), sum(TotalBytes), avg(AppScore), dcount(UserName), countif(AppScore < 4), max(TimeGenerated) by AppCategory | order by AppCategory asc");
        assert.deepEqual(answer.columns, [
            { name: "AppCategory", type: "string" }, { name: "count_", type: "long" }, { name: "sum_TotalBytes", type: "long" },
            { name: "avg_AppScore", type: "real" }, { name: "dcount_UserName", type: "long" }, { name: "countif_", type: "long" },
            { name: "max_TimeGenerated", type: "datetime" },
        ]);
        assert.deepEqual(answer.rows, [
            ["Cloud storage", 3, 251_040, 16 / 3, 2, 2, "2024-05-02T23:59:59.999Z"],
            ["Collaboration", 2, 9_007_199_254_740_300, 7.5, 2, 0, "2024-05-09T12:00:00Z"],
            ["Hacking", 1, 7, 0, 1, 1, "2024-05-06T01:00:00Z"],
        ]);
    });

    test("bin() of datetimes: by day and hour from midnight, 7d bins counted from 0001-01-01 as Kusto does", async () => {
        const daily = await kql("McasShadowItReporting | summarize Rows = count() by Day = bin(TimeGenerated, 1d) | order by Day asc");
        assert.deepEqual(daily.columns, [{ name: "Day", type: "datetime" }, { name: "Rows", type: "long" }]);
        assert.deepEqual(daily.rows, [["2024-05-01T00:00:00Z", 2], ["2024-05-02T00:00:00Z", 1], ["2024-05-03T00:00:00Z", 1], ["2024-05-06T00:00:00Z", 1], ["2024-05-09T00:00:00Z", 1]]);
        const hourly = await column("McasShadowItReporting | where UserName == 'bob' | summarize by bin(TimeGenerated, 1h)");
        assert.deepEqual(hourly, ["2024-05-01T10:00:00Z"]);
        // 0001-01-01 is a Monday, so week bins start on Mondays: 2024-04-29 and 2024-05-06.
        const weekStart = (ms: number): string => {
            const kustoEpoch = -62_135_596_800_000;
            const week = 7 * 86_400_000;
            return new Date(Math.floor((ms - kustoEpoch) / week) * week + kustoEpoch).toISOString().replace(".000Z", "Z");
        };
        const weekly = await kql("McasShadowItReporting | summarize n = count() by W = bin(TimeGenerated, 7d) | order by W asc");
        assert.deepEqual(weekly.rows, [[weekStart(Date.UTC(2024, 4, 1)), 4], [weekStart(Date.UTC(2024, 4, 6)), 2]]);
        assert.deepEqual(weekly.rows.map(r => new Date(r[0] as string).getUTCDay()), [1, 1]);
    });

    test("order by is descending unless asked, nulls last when descending and first when ascending", async () => {
        assert.deepEqual(await column("McasShadowItReporting | order by TotalEvents | project TotalEvents"), [12, 7, 5, 3, 1, null]);
        assert.deepEqual(await column("McasShadowItReporting | sort by TotalEvents asc | project TotalEvents"), [null, 1, 3, 5, 7, 12]);
        assert.deepEqual(await column("McasShadowItReporting | order by TotalEvents asc nulls last | project TotalEvents"), [1, 3, 5, 7, 12, null]);
        assert.deepEqual(await column("McasShadowItReporting | order by AppScore asc, TotalBytes desc | project TotalBytes"), [7, 250_000, 40, 300, 9_007_199_254_740_000, 1000]);
        // A later where/project keeps the order; take after order takes the first rows.
        assert.deepEqual(await column("McasShadowItReporting | order by TimeGenerated asc | where AppScore > 0 | project UserName | take 3"), ["ann", "bob", "ann"]);
    });

    test("take, top, count, distinct", async () => {
        assert.equal((await kql("McasShadowItReporting | take 2")).rows.length, 2);
        assert.equal((await kql("McasShadowItReporting | limit 0")).rows.length, 0);
        assert.deepEqual(await column("McasShadowItReporting | top 2 by TotalBytes | project UserName"), ["cy", "bob"]);
        assert.deepEqual(await column("McasShadowItReporting | top 2 by TotalBytes asc | project TotalBytes"), [7, 40]);
        const counted = await kql("McasShadowItReporting | where StreamName == 'Finance' | count");
        assert.deepEqual(counted, { columns: [{ name: "Count", type: "long" }], rows: [[2]] });
        assert.deepEqual(sorted(await column("McasShadowItReporting | distinct StreamName")), ["Finance", "Palo Alto", "Sales"]);
        assert.deepEqual((await kql("McasShadowItReporting | distinct StreamName, UserName")).rows.length, 6);
    });

    test("empty results keep their columns", async () => {
        const empty = await kql("McasShadowItReporting | where AppScore > 100 | summarize n = count() by AppCategory");
        assert.deepEqual(empty, { columns: [{ name: "AppCategory", type: "string" }, { name: "n", type: "long" }], rows: [] });
    });

    test("the request timespan bounds TimeGenerated, both ends inclusive", async () => {
        assert.deepEqual(await column("McasShadowItReporting | order by TimeGenerated asc | project UserName", "2024-05-01T10:30:00Z/2024-05-03T08:00:00Z"), ["bob", "ann", "cy"]);
        assert.deepEqual(await column("McasShadowItReporting | project UserName", "P1D"), ["dee"]);
        assert.deepEqual(await column("McasShadowItReporting | count", "2024-05-01T00:00:00Z/PT1H"), [1]);
        assert.deepEqual(await column("McasShadowItReporting | count", "P2D/2024-05-03T00:00:00Z"), [3]);
    });
});

describe("what the emulator refuses", () => {
    test("operators and functions outside the subset: 400, naming them", () => {
        rejects("McasShadowItReporting | mv-expand AppTags", "Unsupported", /'mv-expand' operator/);
        rejects("McasShadowItReporting | join (SigninLogs) on $left.UserName == $right.UserPrincipalName", "Unsupported", /'join' operator/);
        rejects("let x = 1; McasShadowItReporting", "Unsupported", /'let' statements/);
        rejects("McasShadowItReporting | extend x = parse_json(AppTags)", "Unsupported", /parse_json\(\)/);
        rejects("McasShadowItReporting | summarize make_set(AppName)", "Unsupported", /make_set\(\)/);
        rejects("McasShadowItReporting | where AppTags[0] == 'x'", "Unsupported", /member access/);
    });

    test("valid KQL outside the subset is refused on the service's path, never answered", () => {
        const T = "McasShadowItReporting";
        const outside = [
            `${T} | top-nested 3 of AppName by sum(TotalBytes)`,
            `${T} | make-series count() on TimeGenerated step 1d`,
            `union ${T}, SigninLogs`,
            `${T} | where AppName matches regex 'x'`,
            `${T} | parse AppName with a '-' b`,
            `${T} | extend x = case(AppScore > 5, 'hi', 'lo')`,
            `${T} | serialize | extend r = row_number()`,
            `${T} | where AppName has_any ('a', 'b')`,
            `${T} | where AppName hasprefix 'x'`,
            `${T} | where TimeGenerated between (ago(1d) .. now())`,
            `${T} | extend d = dynamic([1, 2])`,
            `${T} | summarize hint.strategy=shuffle count() by AppName`,
            `${T} | summarize arg_max(TimeGenerated, *) by AppName`,
            `${T} | summarize percentile(TotalBytes, 50)`,
            `${T} | as T2 | take 1`,
            `${T} | evaluate bag_unpack(AppTags)`,
            `${T} | extend x = tostring(1s)`,
            "print 1",
            "range x from 1 to 3 step 1",
        ];
        for (const query of outside) {
            assert.deepEqual(analyzeKql(query), [], `the test query must be valid KQL: ${query}`);
            assert.throws(() => planKql(query, { tables: TABLES, nowMicros: 0n, limit: 10 }), QueryError, query);
        }
    });

    test("a column Kusto would name or type differently is refused, not answered", () => {
        const planned = [{ name: "x", type: "int" as const }];
        assert.doesNotThrow(() => checkAgainstKusto(planned, [{ name: "x", type: "int" }]));
        assert.throws(() => checkAgainstKusto(planned, [{ name: "x", type: "long" }]), /column 1 as Kusto does \(Kusto: x of type long; the emulator: x of type int\)/);
        assert.throws(() => checkAgainstKusto(planned, [{ name: "Column1", type: "int" }]), QueryError);
        assert.throws(() => checkAgainstKusto(planned, []), /Kusto returns 0 columns, the emulator's translation 1/);
        // Integer arithmetic is long in Kusto, even int with int: the translation follows.
        assert.deepEqual(planKql("McasShadowItReporting | project a = AppScore + AppScore, b = -AppScore, c = bin(AppScore, 2)", { tables: TABLES, nowMicros: 0n, limit: 1 }).columns,
            [{ name: "a", type: "long" }, { name: "b", type: "long" }, { name: "c", type: "long" }]);
    });

    test("syntax and name errors", () => {
        rejects("McasShadowItReporting | where", "SyntaxError", /expected an expression/);
        rejects("McasShadowItReporting | where AppName == 'open", "SyntaxError", /not closed/);
        rejects("Nope | take 1", "SemanticError", /Failed to resolve table or column expression named 'Nope'/);
        rejects("McasShadowItReporting | where Nope > 1", "SemanticError", /Failed to resolve scalar expression named 'Nope'/);
        rejects("McasShadowItReporting | summarize count() by AppTags", "SemanticError", /dynamic/);
    });

    test("bad rows are named by table, row and column", async () => {
        await assert.rejects(engine.append("McasShadowItReporting", [{ TimeGenerated: "yesterday" }]), (error: unknown) => {
            assert.ok(error instanceof BadRowError);
            assert.match(error.message, /McasShadowItReporting row 1, column TimeGenerated: expected a Date or an ISO 8601 date-time \(got "yesterday"\)/);
            return true;
        });
        await assert.rejects(engine.append("McasShadowItReporting", [{ TimeGenerated: new Date(0), AppId: 1.5 }]), /row 1, column AppId: expected a 32-bit whole number/);
        assert.equal((await column("McasShadowItReporting | count"))[0], 6, "nothing of a rejected call is loaded");
        // Past one internal batch (100,000 rows) too: the rows already handed to DuckDB are rolled back.
        function* manyThenBad(): Generator<Record<string, unknown>> {
            for (let i = 0; i < 100_010; i++) yield { TimeGenerated: new Date(i * 1000), AppName: "bulk" };
            yield { TimeGenerated: new Date(0), TotalBytes: "lots" };
        }
        await assert.rejects(engine.append("McasShadowItReporting", manyThenBad()), /row 100011, column TotalBytes: expected a whole number/);
        assert.equal((await column("McasShadowItReporting | count"))[0], 6);
    });
});

describe("timespan parameter and literals", () => {
    test("ISO 8601 intervals and durations", () => {
        const now = BigInt(Date.UTC(2024, 4, 10)) * 1000n;
        const micros = (iso: string): bigint => BigInt(Date.parse(iso)) * 1000n;
        assert.deepEqual(parseTimespan("PT1H", now), { startMicros: now - 3_600_000_000n, endMicros: now });
        assert.deepEqual(parseTimespan("P1DT12H", now), { startMicros: now - 129_600_000_000n, endMicros: now });
        assert.deepEqual(parseTimespan("P1M", now), { startMicros: micros("2024-04-10T00:00:00Z"), endMicros: now });
        assert.deepEqual(parseTimespan("2024-05-01T00:00:00Z/P1W", now), { startMicros: micros("2024-05-01T00:00:00Z"), endMicros: micros("2024-05-08T00:00:00Z") });
        for (const bad of ["", "P", "PT", "1d", "2024-05-02/2024-05-01", "2024-13-01/P1D", "P1D/P1D", "a/b/c"]) {
            assert.throws(() => parseTimespan(bad, now), TimespanError, bad);
        }
    });

    test("datetimes and timespans are written as Log Analytics writes them", () => {
        assert.equal(formatDatetimeMicros(1_714_521_600_000_000n), "2024-05-01T00:00:00Z");
        assert.equal(formatDatetimeMicros(1_714_521_600_250_000n), "2024-05-01T00:00:00.25Z");
        assert.equal(formatDatetimeMicros(1_714_521_600_000_001n), "2024-05-01T00:00:00.000001Z");
        assert.equal(formatTimespanMicros(90_061_500_000n), "1.01:01:01.5000000");
        assert.equal(formatTimespanMicros(-60_000_000n), "-00:01:00");
    });
});
