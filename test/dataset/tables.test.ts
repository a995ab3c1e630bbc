// The list of table descriptors is the one place a companion table is declared: these tests hold each descriptor
// whole and consistent with its schema, and show that the help texts, names and schemas follow the list.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SECURITY_ALERT, type SchemaVariant } from "../../src/schema.ts";
import { aggregateQuery, AGGREGATE_GRAINS, rawQuery } from "../../src/dataset/kql/index.ts";
import { analyzeKql } from "../../src/dataset/kusto/analyze.ts";
import {
    COMPANION_TABLES, REQUIRED_TABLE, schemaOfVariant, SUPPORTED_TABLE_NAMES, TABLES, TIME_COLUMN,
    type CompanionTable, type SupportedTableName,
} from "../../src/dataset/tables.ts";
import { sampleFilesInWords, tableChoices, tablesHelpBlock, tablesInWords } from "../../src/dataset/commands/table-help.ts";

const END = new Date("2026-03-02T10:00:00Z");
const VARIANTS: readonly SchemaVariant[] = ["defender", "azure-monitor"];

test("a descriptor that lacks a part does not compile, and a name outside the list is no SupportedTableName", () => {
    // @ts-expect-error: no aggregate
    const withoutAggregate: CompanionTable = {
        name: "SecurityAlert", schema: SECURITY_ALERT, timeColumn: TIME_COLUMN, tiebreak: ["SystemAlertId"],
        sample: { rows: () => (function* () { /* no rows */ })(), count: () => 0 }, required: false, help: "alerts",
    };
    // @ts-expect-error: a time column other than TimeGenerated
    const otherTime: CompanionTable = { ...withoutAggregate, timeColumn: "StartTime", aggregate: { measures: [], keys: [] } };
    // @ts-expect-error: AuditLogs has no descriptor
    const unknown: SupportedTableName = "AuditLogs";
    const known: SupportedTableName[] = ["McasShadowItReporting", "SecurityAlert", "SigninLogs"];
    assert.deepEqual([...SUPPORTED_TABLE_NAMES], known);
    assert.ok(withoutAggregate && otherTime && unknown);
});

test("every descriptor is whole: its name, time column, tiebreak and aggregate match its schema", () => {
    assert.equal(COMPANION_TABLES.filter(t => t.required).length, 1, "one table is the dashboard's");
    assert.equal(REQUIRED_TABLE.name, "McasShadowItReporting");
    assert.deepEqual(TABLES, COMPANION_TABLES.map(t => t.schema));
    for (const table of COMPANION_TABLES as readonly CompanionTable[]) {
        for (const variant of VARIANTS) {
            const schema = schemaOfVariant(table, variant);
            assert.equal(schema.name, table.name, `${table.name} (${variant}): the schema's name`);
            const columns = new Map(schema.columns.map(c => [c.name, c.type]));
            assert.equal(columns.get(table.timeColumn), "datetime", `${table.name} (${variant}): ${table.timeColumn} is a datetime column`);
            for (const column of table.tiebreak) assert.ok(columns.has(column), `${table.name} (${variant}): tiebreak ${column} is a column`);
        }
        assert.ok(table.tiebreak.length > 0, `${table.name}: a tiebreak`);
        assert.ok(table.aggregate.measures.length > 0 && table.aggregate.keys.length > 0, `${table.name}: an aggregate`);
        assert.match(table.help, /^\S.*\S$/, `${table.name}: a help text`);
        assert.equal(typeof table.sample.rows, "function", `${table.name}: a sample generator`);
        for (const grain of AGGREGATE_GRAINS) {
            const query = aggregateQuery(table.name, grain);
            assert.deepEqual(analyzeKql(query, TABLES, { all: true }), [], query);
        }
        assert.match(rawQuery(table.name), new RegExp(`\\| order by ${TIME_COLUMN} asc, ${table.tiebreak[0]} asc`));
    }
});

test("every descriptor's sample generator yields the count it declares, with exactly its schema's columns", () => {
    const opts = { rows: 400, days: 3, seed: 11, end: END, globalView: false };
    for (const table of COMPANION_TABLES as readonly CompanionTable[]) {
        for (const variant of VARIANTS) {
            const schema = schemaOfVariant(table, variant);
            const rows = [...table.sample.rows(opts, variant)];
            assert.equal(rows.length, table.sample.count(opts.rows, opts.days), `${table.name} (${variant}): rows`);
            assert.ok(rows.length > 0, `${table.name} (${variant}): some rows`);
            for (const row of rows) assert.deepEqual(Object.keys(row).sort(), schema.columns.map(c => c.name).sort(), `${table.name} (${variant})`);
        }
    }
});

test("the commands' help names every table of the list", () => {
    for (const text of [tableChoices(), tablesInWords(), sampleFilesInWords(), tablesHelpBlock()]) {
        for (const name of SUPPORTED_TABLE_NAMES) assert.ok(text.includes(name), `${name} in ${JSON.stringify(text)}`);
    }
    assert.equal(tableChoices(), "McasShadowItReporting (default), SecurityAlert, SigninLogs");
    assert.equal(tablesInWords(), "McasShadowItReporting (needed), SecurityAlert and SigninLogs");
    assert.equal(sampleFilesInWords(), "McasShadowItReporting, SecurityAlert (about 1.5 % of --rows) and SigninLogs (about 20 % of --rows)");
});
