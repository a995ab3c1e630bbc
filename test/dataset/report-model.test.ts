import { test } from "node:test";
import assert from "node:assert/strict";
import { DefaultSettings, TaskUtils } from "@microsoft/powerquery-parser";
import { analyzeKql } from "../../src/dataset/kusto/analyze.ts";
import { TABLE } from "../../src/dataset/report/index.ts";
import { checkAgainstSchema, readTmdl, type TmdlObject } from "./report-tmdl-reader.ts";
import { sampleProject, textOf, WORKSPACE } from "./report-setup.ts";

const MODEL = "Shadow IT.SemanticModel/definition/";

function readModel(fromFolder?: string): { files: Map<string, TmdlObject[]>; tables: TmdlObject[]; all: TmdlObject[] } {
    const project = sampleProject(fromFolder);
    const files = new Map<string, TmdlObject[]>();
    for (const file of project.files.keys()) {
        if (file.startsWith(MODEL) && file.endsWith(".tmdl")) files.set(file, readTmdl(textOf(project, file), file));
    }
    const all = [...files.values()].flat();
    return { files, tables: all.filter(o => o.type === "Table"), all };
}

function property(object: TmdlObject, name: string): string | true | undefined {
    return object.properties.get(name);
}

async function assertParsesAsM(text: string, what: string): Promise<void> {
    const result = await TaskUtils.tryLexParse(DefaultSettings, text);
    if (!TaskUtils.isOk(result)) {
        const error = (result as { error?: { message?: string } }).error;
        assert.fail(`${what} does not parse as M: ${error?.message ?? "unknown error"}\n${text}`);
    }
}

function unescapeMText(literal: string): string {
    return literal.slice(1, -1).replace(/""/g, "\"").replace(/#\(([^)]+)\)/g, (_, code: string) => {
        const named: Record<string, string> = { lf: "\n", cr: "\r", tab: "\t", "#": "#" };
        return named[code] ?? String.fromCodePoint(parseInt(code, 16));
    });
}

/** The KQL of a query's `Kql = ...,` step, with the range bounds spliced in as Power Query does. */
function kqlOf(m: string): string {
    const line = m.split("\n").find(l => l.trimStart().startsWith("Kql = "));
    assert.ok(line, `the query has a Kql step:\n${m}`);
    const expression = line.trim().replace(/^Kql = /, "").replace(/,$/, "");
    const parts = expression.match(/"(?:[^"]|"")*"|StartText|EndText/g) ?? [];
    assert.equal(parts.join(" & "), expression, "the Kql step is a concatenation of text literals and the bounds");
    return parts.map(p => p === "StartText" ? "2026-03-01T00:00:00.000Z" : p === "EndText" ? "2026-03-02T00:00:00.000Z" : unescapeMText(p)).join("");
}

test("every TMDL file reads back and matches Microsoft's TMDL object metadata", () => {
    const { files } = readModel();
    assert.deepEqual([...files.keys()].map(f => f.slice(MODEL.length)).sort(), [
        "database.tmdl", "expressions.tmdl", "model.tmdl", "relationships.tmdl",
        ...Object.values(TABLE).map(t => `tables/${t}.tmdl`),
    ].sort());
    for (const [file, objects] of files) {
        const top = objects.filter(o => o.type !== "Ref" && o.type !== "Database" && o.type !== "Model");
        const model = objects.find(o => o.type === "Model");
        if (model) checkAgainstSchema([model], undefined);
        checkAgainstSchema(objects.filter(o => o.type === "Ref" || o.type === "Database"), undefined);
        // Tables, expressions and relationships are the model's children, written in files of their own.
        checkAgainstSchema(top, "Model");
        assert.ok(objects.length > 0, file);
    }
});

test("the reader refuses what TMDL does not allow (so that the check above can fail)", () => {
    const bad: Record<string, RegExp> = {
        "table 'App Daily'\n    lineageTag: x\n": /tabs/,
        "table App Daily\n": /unexpected|quoted/,
        "table T\n\tcolumn C\n\t\tdataType: text\n": /DataType must be one of/,
        "table T\n\tcolumn C\n\t\tcolour: red\n": /no property colour/,
        "table T\n\tmeasure M =\n\t\tSUM(x)\n": /expression must follow/,
        "table T\n\t\tcolumn C\n": /one tab deeper/,
        "table T\n\trefreshPolicy\n\t\trollingWindowGranularity: week\n": /RollingWindowGranularity must be one of/,
        "table T\n\tpartition P = sql\n": /PartitionSourceType|one of/,
    };
    for (const [text, expected] of Object.entries(bad)) {
        assert.throws(() => checkAgainstSchema(readTmdl(text, "bad.tmdl"), "Model"), expected, text);
    }
});

test("the parameters: WorkspaceId (Text) says where to find it; RangeStart and RangeEnd are DateTime", () => {
    const { all } = readModel();
    const expressions = all.filter(o => o.type === "Expression");
    assert.deepEqual(expressions.map(e => e.name), ["WorkspaceId", "RangeStart", "RangeEnd"]);
    const [workspace, start, end] = expressions as [TmdlObject, TmdlObject, TmdlObject];
    assert.equal(workspace.defaultValue, `"${WORKSPACE.toLowerCase()}" meta [IsParameterQuery = true, Type = "Text", IsParameterQueryRequired = true]`);
    assert.match(workspace.description ?? "", /Log Analytics workspaces > your workspace > Overview > Workspace ID/);
    // Desktop's default range: one day, the UTC day of "now" (2026-03-02T10:00Z).
    assert.equal(start.defaultValue, "#datetime(2026, 3, 2, 0, 0, 0) meta [IsParameterQuery = true, Type = \"DateTime\", IsParameterQueryRequired = true]");
    assert.equal(end.defaultValue, "#datetime(2026, 3, 3, 0, 0, 0) meta [IsParameterQuery = true, Type = \"DateTime\", IsParameterQueryRequired = true]");
    for (const e of expressions) assert.equal(e.children.find(c => c.type === "Annotation" && c.name === "PBI_ResultType")?.defaultValue, e === workspace ? "Text" : "DateTime");
});

test("every M expression parses; every KQL passes the Kusto language service against the table schemas", async () => {
    const { all } = readModel();
    let kqlCount = 0;
    for (const e of all.filter(o => o.type === "Expression")) await assertParsesAsM(e.defaultValue ?? "", `expression ${e.name}`);
    for (const table of all.filter(o => o.type === "Table")) {
        const partition = table.children.find(c => c.type === "Partition");
        assert.ok(partition, `${table.name} has a partition`);
        assert.equal(partition.defaultValue, "m");
        assert.equal(property(partition, "mode"), "import");
        const source = property(partition, "source");
        assert.equal(typeof source, "string");
        await assertParsesAsM(source as string, `${table.name} partition`);
        const policy = table.children.find(c => c.type === "RefreshPolicy");
        if (policy) assert.equal(property(policy, "sourceExpression"), source, `${table.name}: the policy's source is the partition's`);
        if ((source as string).includes("Kql = ")) {
            const kql = kqlOf(source as string);
            // count_distinct is chosen over dcount on purpose: the counts must be exact (KS515 suggests dcount).
            const diagnostics = analyzeKql(kql, undefined, { all: true }).filter(d => d.code !== "KS515");
            assert.deepEqual(diagnostics, [], `${table.name}:\n${kql}`);
            assert.match(source as string, /Web\.Contents\("https:\/\/api\.loganalytics\.io", \[\n\s+RelativePath = "v1\/workspaces\/" & WorkspaceId & "\/query",/);
            assert.match(source as string, /ManualStatusHandling = \{400\}/);
            assert.match(source as string, /Checked = if Status = 400 or Record\.HasFields\(Response, "error"\) then/);
            kqlCount++;
        }
    }
    assert.equal(kqlCount, 9, "every table but Date queries Log Analytics");
});

test("fact tables have a daily incremental refresh policy; their M filters [RangeStart, RangeEnd)", () => {
    const { tables } = readModel();
    const withPolicy = tables.filter(t => t.children.some(c => c.type === "RefreshPolicy")).map(t => t.name).sort();
    assert.deepEqual(withPolicy, [TABLE.alerts, TABLE.appDaily, TABLE.userAppDaily, TABLE.userDaily, TABLE.signins, TABLE.categoryDaily].sort());
    for (const table of tables) {
        const policy = table.children.find(c => c.type === "RefreshPolicy");
        if (!policy) continue;
        assert.equal(property(policy, "policyType"), "basic");
        assert.equal(property(policy, "rollingWindowGranularity"), "day");
        assert.equal(property(policy, "rollingWindowPeriods"), "90");
        assert.equal(property(policy, "incrementalGranularity"), "day");
        assert.equal(property(policy, "incrementalPeriods"), "3");
        const source = property(policy, "sourceExpression") as string;
        assert.match(source, /Filtered = Table\.SelectRows\(Final, each \[Date\] >= RangeStart and \[Date\] < RangeEnd\)\nin\n {4}Filtered$/);
    }
});

test("the Date table is marked as the date table and every relationship joins existing columns, many to one", () => {
    const { tables, all } = readModel();
    const date = tables.find(t => t.name === TABLE.date);
    assert.equal(date && property(date, "dataCategory"), "Time");
    assert.equal(property(date?.children.find(c => c.name === "Date") as TmdlObject, "isKey"), true);
    const columns = new Map(tables.map(t => [t.name, new Map(t.children.filter(c => c.type === "Column").map(c => [c.name, c]))]));
    const relationships = all.filter(o => o.type === "Relationship");
    assert.equal(relationships.length, 15);
    for (const r of relationships) {
        for (const end of ["fromColumn", "toColumn"]) {
            const ref = property(r, end) as string;
            const match = /^('(?:[^']|'')+'|\w+)\.('(?:[^']|'')+'|\w+)$/.exec(ref);
            assert.ok(match, ref);
            const unquote = (s: string) => s.startsWith("'") ? s.slice(1, -1).replace(/''/g, "'") : s;
            const column = columns.get(unquote(match[1] as string))?.get(unquote(match[2] as string));
            assert.ok(column, `${end} ${ref} exists`);
            if (end === "toColumn") assert.equal(property(column, "isKey"), true, `${ref} is its table's key`);
        }
    }
});

test("measures have format strings and descriptions, and every column and measure they name exists", () => {
    const { tables } = readModel();
    const columns = new Set<string>();
    const measures = new Set<string>();
    for (const t of tables) {
        for (const c of t.children) {
            if (c.type === "Column") columns.add(`${t.name}[${c.name}]`);
            if (c.type === "Measure") measures.add(c.name ?? "");
        }
    }
    const expected = ["Traffic", "Uploaded", "Downloaded", "Events", "Blocked events", "Blocked share", "Apps", "Users", "App users (lower bound)", "Users per app", "Users per stream", "Users (total)", "Risky app users", "Alerts", "Risky sign-ins", "Failed sign-ins"];
    for (const name of expected) assert.ok(measures.has(name), `measure ${name}`);
    for (const t of tables) {
        for (const m of t.children.filter(c => c.type === "Measure")) {
            assert.ok(m.description && m.description.length > 10, `${m.name} has a description`);
            assert.equal(typeof property(m, "formatString"), "string", `${m.name} has a format string`);
            const dax = m.defaultValue ?? "";
            for (const [, table, column] of dax.matchAll(/'([^']+)'\[([^\]]+)\]/g)) assert.ok(columns.has(`${table}[${column}]`), `${m.name}: ${table}[${column}]`);
            for (const [, before, name] of dax.matchAll(/(^|[^'\w\]])\[([^\]]+)\]/g)) {
                assert.ok(before !== undefined && measures.has(name as string), `${m.name}: [${name}] is a measure`);
            }
        }
    }
});

test("exact users per app come from one day's Global view row, or its one stream, and are blank otherwise", () => {
    const { tables } = readModel();
    const appDaily = tables.find(t => t.name === TABLE.appDaily)?.children;
    assert.equal(appDaily?.find(c => c.name === "Users per app")?.defaultValue, [
        "IF(",
        "    ISFILTERED('User'),",
        "    DISTINCTCOUNT('Risky App Users'[UserKey]),",
        "    IF(",
        "        COUNTROWS(VALUES('App Daily'[Date])) = 1 && COUNTROWS(VALUES('App Daily'[AppId])) = 1,",
        "        VAR GlobalUsers = CALCULATE(SUM('App Daily'[Users]), KEEPFILTERS('App Daily'[StreamName] = \"Global view\"))",
        "        RETURN IF(NOT ISBLANK(GlobalUsers), GlobalUsers, IF(COUNTROWS(VALUES('App Daily'[StreamName])) = 1, SUM('App Daily'[Users])))",
        "    )",
        ")",
    ].join("\n"));
    const userDaily = tables.find(t => t.name === TABLE.userDaily)?.children;
    assert.equal(userDaily?.find(c => c.name === "Users per stream")?.defaultValue, "IF(NOT ISCROSSFILTERED('App'), [Users])");
    assert.equal(userDaily?.find(c => c.name === "Users (total)")?.defaultValue, "CALCULATE(IF(NOT ISCROSSFILTERED('App'), [Users]), ALLSELECTED())");
});

test("Global view is counted once: traffic measures take its rows alone per day when present", () => {
    const { tables } = readModel();
    const traffic = tables.find(t => t.name === TABLE.appDaily)?.children.find(c => c.name === "Traffic");
    assert.equal(traffic?.defaultValue, [
        "IF(",
        "    ISFILTERED('User'),",
        "    SUM('Risky App Users'[TotalBytes]),",
        "    SUMX(",
        "        VALUES('App Daily'[Date]),",
        "        VAR GlobalRows = CALCULATE(SUM('App Daily'[TotalBytes]), KEEPFILTERS('App Daily'[StreamName] = \"Global view\"))",
        "        RETURN IF(NOT ISBLANK(GlobalRows), GlobalRows, CALCULATE(SUM('App Daily'[TotalBytes])))",
        "    )",
        ")",
    ].join("\n"));
    assert.match(traffic?.description ?? "", /Global view/);
});

test("the same options give byte-identical projects", () => {
    const a = sampleProject();
    const b = sampleProject();
    assert.deepEqual([...a.files.keys()], [...b.files.keys()]);
    for (const [file, content] of a.files) assert.deepEqual(b.files.get(file), content, file);
});

test("--from-folder: the same tables, columns and measures, summarized in M from the export's files", async () => {
    const folder = "C:\\Exports\\Shadow IT";
    const overFolder = readModel(folder);
    const overApi = readModel();
    const shape = (tables: TmdlObject[]) => tables.map(t => [t.name, t.children.filter(c => c.type !== "Partition" && c.type !== "RefreshPolicy").map(c => `${c.type} ${c.name} ${c.defaultValue ?? ""}`)]);
    assert.deepEqual(shape(overFolder.tables), shape(overApi.tables));
    for (const [, objects] of overFolder.files) checkAgainstSchema(objects.filter(o => o.type !== "Ref" && o.type !== "Database" && o.type !== "Model"), "Model");
    for (const table of overFolder.tables) {
        const source = property(table.children.find(c => c.type === "Partition") as TmdlObject, "source") as string;
        await assertParsesAsM(source, `${table.name} over a folder`);
        assert.doesNotMatch(source, /Web\.Contents/, table.name);
        if (table.name !== TABLE.date) assert.match(source, /Root = "C:\\Exports\\Shadow IT",\n.*TableFolder = Root & "\\" & WorkspaceId & "\\(McasShadowItReporting|SecurityAlert|SigninLogs)",/, table.name);
        // Alerts and sign-ins are optional in an export: without their subfolder they load empty.
        assert.equal(/Rows = if not Exported then #table\(\{"TenantId", "TimeGenerated", /.test(source), table.name === TABLE.alerts || table.name === TABLE.signins, table.name);
        const policy = table.children.find(c => c.type === "RefreshPolicy");
        // Facts read only the day files of their partition; dimensions read every file.
        assert.equal(/InRange = DayFiles,/.test(source), policy === undefined && table.name !== TABLE.date, table.name);
    }
});
