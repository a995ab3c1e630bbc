import { test } from "node:test";
import assert from "node:assert/strict";
import { DefaultSettings, TaskUtils } from "@microsoft/powerquery-parser";
import { generateM, M_GRAINS, mText, type MDocument } from "../../src/dataset/m/index.ts";
import { analyzeKql } from "../../src/dataset/kusto/analyze.ts";
import { UserError } from "../../src/dataset/errors.ts";
import { SUPPORTED_TABLE_NAMES } from "../../src/dataset/kql/index.ts";

const WORKSPACE = "6F1C0F0E-1234-4BCD-9A0B-0123456789AB";
const NOW = new Date("2026-11-22T10:15:00Z");

async function assertParses(text: string, what: string): Promise<void> {
    const result = await TaskUtils.tryLexParse(DefaultSettings, text);
    if (!TaskUtils.isOk(result)) {
        const error = (result as { error?: { message?: string } }).error;
        assert.fail(`${what} does not parse as M: ${error?.message ?? "unknown error"}\n${text}`);
    }
}

/** Reads the M text literals of the `Kql = ... ,` step and splices the range bounds in, as Power Query would. */
function kqlOf(doc: MDocument, start: string, end: string): string {
    const main = doc.queries[doc.queries.length - 1]?.expression ?? "";
    const line = main.split("\n").find(l => l.trimStart().startsWith("Kql = "));
    assert.ok(line, "the query has a Kql step");
    const expression = line.trim().replace(/^Kql = /, "").replace(/,$/, "");
    const parts = expression.match(/"(?:[^"]|"")*"|StartText|EndText/g) ?? [];
    assert.equal(parts.join(" & "), expression, "the Kql step is a concatenation of text literals and the bounds");
    return parts.map(part => part === "StartText" ? start : part === "EndText" ? end : unescapeMText(part)).join("");
}

function unescapeMText(literal: string): string {
    return literal.slice(1, -1).replace(/""/g, "\"").replace(/#\(([^)]+)\)/g, (_, code: string) => {
        const named: Record<string, string> = { lf: "\n", cr: "\r", tab: "\t", "#": "#" };
        return named[code] ?? String.fromCodePoint(parseInt(code, 16));
    });
}

test("every table × grain × layout: the M parses, and its KQL has no Kusto diagnostics", async () => {
    for (const table of SUPPORTED_TABLE_NAMES) {
        for (const grain of M_GRAINS) {
            const blocks = generateM({ workspace: WORKSPACE, table, grain, now: NOW });
            for (const query of blocks.queries) await assertParses(query.expression, `${table}/${grain}/${query.name}`);
            await assertParses(generateM({ workspace: WORKSPACE, table, grain, layout: "section", now: NOW }).text, `${table}/${grain} section`);
            const kql = kqlOf(blocks, "2026-10-24T00:00:00.000Z", "2026-11-23T00:00:00.000Z");
            assert.match(kql, new RegExp(`^${table}\\n\\| where TimeGenerated >= datetime\\(2026-10-24T00:00:00.000Z\\) and TimeGenerated < datetime\\(2026-11-23T00:00:00.000Z\\)\\n`));
            assert.deepEqual(analyzeKql(kql, undefined, { all: true }), [], kql);
        }
    }
});

test("the query uses the static host, RelativePath, Query with the timespan, Prefer and a 10-minute timeout", () => {
    const main = generateM({ workspace: WORKSPACE, now: NOW }).queries[3]?.expression ?? "";
    assert.match(main, /Web\.Contents\("https:\/\/api\.loganalytics\.io", \[/);
    assert.match(main, /RelativePath = "v1\/workspaces\/" & WorkspaceId & "\/query",/);
    assert.match(main, /Query = \[query = Kql, timespan = StartText & "\/" & EndText\],/);
    assert.match(main, /Headers = \[#"Prefer" = "wait=600"\],/);
    assert.match(main, /Timeout = #duration\(0, 0, 10, 0\)/);
    assert.match(main, /StartText = DateTime\.ToText\(RangeStart, \[Format = "yyyy-MM-dd'T'HH:mm:ss\.fff'Z'", Culture = "en-US"\]\)/);
    assert.match(main, /Record\.HasFields\(Response, "error"\)/, "a PartialError response fails the refresh");
    // The final step filters the datetime column on the parameters, half-open.
    assert.match(main, /Filtered = Table\.SelectRows\(Typed, each \[TimeGenerated\] >= DateTime\.AddZone\(RangeStart, 0\) and \[TimeGenerated\] < DateTime\.AddZone\(RangeEnd, 0\)\)\nin\n {4}Filtered$/);
    assert.ok(!main.includes(WORKSPACE.toLowerCase()), "the workspace comes from the parameter, not a literal");
});

test("every Log Analytics column type has its M type and converter, driven by the response's column types", () => {
    const main = generateM({ workspace: WORKSPACE, now: NOW }).queries[3]?.expression ?? "";
    const expected: Record<string, string> = {
        string: "type text", int: "Int32.Type", long: "Int64.Type", real: "type number", datetime: "type datetimezone",
        bool: "type logical", guid: "type text", timespan: "type duration", dynamic: "type text", decimal: "Decimal.Type",
    };
    for (const [laType, mType] of Object.entries(expected)) {
        assert.ok(main.includes(`if laType = "${laType}" then ${mType} else`), `${laType} -> ${mType}`);
        assert.ok(main.includes(`if laType = "${laType}" then ((v) =>`), `${laType} has a converter`);
    }
    assert.match(main, /type any,\n/, "unknown types load untyped instead of failing");
    assert.match(main, /List\.Transform\(Columns, each \{\[name\], ColumnConverter\(\[type\]\), ColumnType\(\[type\]\)\}\)/);
});

test("the parameters: WorkspaceId text, RangeStart/RangeEnd date-times bounded by --days", () => {
    const doc = generateM({ workspace: WORKSPACE, days: "7", now: NOW });
    assert.deepEqual(doc.queries.map(q => q.name), ["WorkspaceId", "RangeStart", "RangeEnd", "McasShadowItReporting"]);
    assert.equal(doc.queries[0]?.expression, `"6f1c0f0e-1234-4bcd-9a0b-0123456789ab" meta [IsParameterQuery = true, Type = "Text", IsParameterQueryRequired = true]`);
    assert.equal(doc.queries[1]?.expression, `#datetime(2026, 11, 16, 0, 0, 0) meta [IsParameterQuery = true, Type = "DateTime", IsParameterQueryRequired = true]`);
    assert.equal(doc.queries[2]?.expression, `#datetime(2026, 11, 23, 0, 0, 0) meta [IsParameterQuery = true, Type = "DateTime", IsParameterQueryRequired = true]`);
    assert.equal(doc.range.end.getTime() - doc.range.start.getTime(), 7 * 86_400_000);
    const blocks = doc.text;
    assert.match(blocks, /\/\/ ===== Query 1 of 4: WorkspaceId =====\n/);
    assert.match(blocks, /\/\/ ===== Query 4 of 4: McasShadowItReporting =====\n/);
    const section = generateM({ workspace: WORKSPACE, layout: "section", now: NOW }).text;
    assert.match(section, /section Section1;\n/);
    assert.match(section, /shared RangeEnd =\n#datetime/);
});

test("--from-folder: M that reads the export layout, typed by the schema, filtered by the range", async () => {
    for (const table of SUPPORTED_TABLE_NAMES) {
        const doc = generateM({ workspace: WORKSPACE, table, fromFolder: "C:\\Exports\\Sentinel", now: NOW });
        const main = doc.queries[3]?.expression ?? "";
        for (const query of doc.queries) await assertParses(query.expression, `${table} folder ${query.name}`);
        await assertParses(generateM({ workspace: WORKSPACE, table, fromFolder: "/data/exports/", layout: "section", now: NOW }).text, "section");
        assert.match(main, /Root = "C:\\Exports\\Sentinel",/);
        assert.match(main, new RegExp(`TableFolder = Root & "\\\\" & WorkspaceId & "\\\\${table}",`));
        assert.match(main, /Parquet\.Document\(content\)/);
        assert.match(main, /Csv\.Document\(content, \[Delimiter = ",", Encoding = 65001, QuoteStyle = QuoteStyle\.Csv\]\)/);
        assert.match(main, /Text\.EndsWith\(_, " \[UTC\]"\)/, "the portal's header suffix is removed");
        assert.match(main, /\{"TimeGenerated", "datetime"\}/);
        assert.match(main, /DateTime\.From\(\[Day\]\) < RangeEnd and DateTime\.From\(\[Day\]\) \+ #duration\(1, 0, 0, 0\) > RangeStart/);
        assert.match(main, /each \[TimeGenerated\] >= DateTime\.AddZone\(RangeStart, 0\) and \[TimeGenerated\] < DateTime\.AddZone\(RangeEnd, 0\)\)\nin/);
        assert.ok(!main.includes("Web.Contents"));
    }
    const posixDoc = generateM({ workspace: WORKSPACE, fromFolder: "/data/exports/", now: NOW }).queries[3]?.expression ?? "";
    assert.match(posixDoc, /Root = "\/data\/exports",\n {4}TableFolder = Root & "\/" & WorkspaceId & "\/McasShadowItReporting",/);
});

test("hostile folder names stay inside their M text literal", async () => {
    const folder = "/tmp/a\"b#(lf)c\n\\d";
    const doc = generateM({ workspace: WORKSPACE, fromFolder: folder, now: NOW });
    for (const query of doc.queries) await assertParses(query.expression, query.name);
    assert.ok(doc.queries[3]?.expression.includes(`Root = ${mText(folder)},`));
    assert.equal(unescapeMText(mText(folder)), folder);
});

interface MToken { readonly kind: string; readonly data: string }

async function lex(text: string, what: string): Promise<{ tokens: MToken[]; comments: MToken[] }> {
    const result = await TaskUtils.tryLexParse(DefaultSettings, text);
    if (!TaskUtils.isOk(result)) assert.fail(`${what} does not parse as M:\n${text}`);
    const snapshot = (result as unknown as { lexerSnapshot: { tokens: MToken[]; comments: MToken[] } }).lexerSnapshot;
    return { tokens: snapshot.tokens, comments: snapshot.comments };
}

/** The text literal bound to `Root` in the lexed document, read back into the folder it stands for. */
function rootFolderOf(tokens: readonly MToken[]): string {
    const at = tokens.findIndex((token, i) => token.kind === "Identifier" && token.data === "Root" && tokens[i + 1]?.kind === "Equal");
    assert.ok(at >= 0, "the document has a Root step");
    assert.equal(tokens[at + 2]?.kind, "TextLiteral");
    return unescapeMText(tokens[at + 2].data);
}

test("folder paths with line breaks stay inside their literal and their comment, and round-trip (lexed by the M parser)", async () => {
    const plain = "/data/exports";
    const hostile = [
        "/data/exp\norts\nin Table.FromRecords({})\n// end",
        "C:\\Exports\r\nSentinel\rx",
        "/data/a\u2028b\u2029c\u0085d",
        "/data/\"quoted\" #(lf) \t tab",
    ];
    const reference = await lex(generateM({ workspace: WORKSPACE, fromFolder: plain, layout: "section", now: NOW }).text, "plain section");
    const referenceBlocks = generateM({ workspace: WORKSPACE, fromFolder: plain, now: NOW }).text.split("\n\n");
    for (const folder of hostile) {
        const section = await lex(generateM({ workspace: WORKSPACE, fromFolder: folder, layout: "section", now: NOW }).text, JSON.stringify(folder));
        assert.equal(rootFolderOf(section.tokens), folder, "the path round-trips through the M literal");
        assert.deepEqual(section.tokens.map(t => t.kind), reference.tokens.map(t => t.kind), "nothing of the path leaks out of a literal or comment");
        assert.equal(section.comments.length, reference.comments.length, "no comment is split or added");
        const preambleComment = section.comments[0]?.data ?? "";
        assert.ok(preambleComment.includes(mText(folder)), `the preamble names the folder as its M literal: ${preambleComment}`);

        const blocks = generateM({ workspace: WORKSPACE, fromFolder: folder, now: NOW }).text.split("\n\n");
        assert.equal(blocks.length, referenceBlocks.length);
        assert.ok(blocks[0].split("\n").every(line => line === "" || line.startsWith("// ")), "the preamble is comment lines only");
        for (let i = 1; i < blocks.length; i++) {
            const block = await lex(blocks[i], `block ${i}`);
            const plainBlock = await lex(referenceBlocks[i], `plain block ${i}`);
            assert.deepEqual(block.tokens.map(t => t.kind), plainBlock.tokens.map(t => t.kind));
            if (i === blocks.length - 1) assert.equal(rootFolderOf(block.tokens), folder);
        }
    }
});

test("bad options are UserErrors that say what to do", () => {
    const cases: [Parameters<typeof generateM>[0], RegExp][] = [
        [{ workspace: "my-workspace" }, /"my-workspace" is not a workspace ID: expected a GUID.*Overview page/],
        [{ workspace: "" }, /--workspace is required/],
        [{ workspace: `${WORKSPACE}x` }, /is not a workspace ID/],
        [{ workspace: WORKSPACE, days: "0" }, /--days "0" is not valid: give a whole number of days from 1 to 730/],
        [{ workspace: WORKSPACE, days: "731" }, /from 1 to 730/],
        [{ workspace: WORKSPACE, days: "1.5" }, /--days "1.5"/],
        [{ workspace: WORKSPACE, days: "ten" }, /--days "ten"/],
        [{ workspace: WORKSPACE, grain: "week" }, /--grain "week" is not valid: use one of day, hour, none, raw/],
        [{ workspace: WORKSPACE, table: "AuditLogs" }, /not supported yet; supported tables: McasShadowItReporting, SecurityAlert, SigninLogs/],
        [{ workspace: WORKSPACE, table: "Heartbeat" }, /unknown table "Heartbeat"; supported tables/],
        [{ workspace: WORKSPACE, layout: "pbix" }, /--layout "pbix" is not valid: use one of blocks, section/],
        [{ workspace: WORKSPACE, fromFolder: "/x", grain: "hour" }, /--from-folder loads the exported rows as they are/],
    ];
    for (const [options, message] of cases) {
        assert.throws(() => generateM({ ...options, now: NOW }), (e: unknown) => e instanceof UserError && message.test(e.message), JSON.stringify(options));
    }
    assert.throws(() => generateM({ workspace: "x".repeat(10_000) }), (e: unknown) => e instanceof UserError && e.message.length < 500);
});
