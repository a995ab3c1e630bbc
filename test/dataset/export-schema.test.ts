// The export against a workspace whose McasShadowItReporting follows the Azure Monitor table reference (AppId as a
// string, int counters, seven more columns, another column order): every row and every column arrives, each
// stored as the workspace types it, and the manifest shows the schema with its differences from the expected one.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { runExport } from "../../src/dataset/export/index.ts";
import type { RunningEmulator } from "../../src/dataset/emulator/index.ts";
import { MCAS_SHADOW_IT_REPORTING_AZURE_MONITOR, type ColumnSchema } from "../../src/schema.ts";
import { assertExportMatches } from "./export-helpers.ts";
import { DAY, END, exportOptions, exportTarget, iso, readManifest, suiteEmulator, TABLE } from "./export-setup.ts";

const START = END - 3 * DAY;
const ISO_MS = "%Y-%m-%dT%H:%M:%S.%gZ";
const quote = (name: string) => `"${name.replace(/"/g, "\"\"")}"`;
const sqlString = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** A column's value as comparable text: datetimes as ISO with milliseconds, everything else cast to text. */
function asText(column: ColumnSchema, source: string = column.name): string {
    return column.type === "datetime" ? `strftime(${quote(source)}, '${ISO_MS}')` : `CAST(${quote(source)} AS VARCHAR)`;
}

/** Rows of the workspace in [START, END) that the export lacks, and exported rows the workspace lacks, by every column. */
async function rowDifferences(emulator: RunningEmulator, folder: string, format: "parquet" | "csv"): Promise<{ missing: number; unexpected: number }> {
    const columns = MCAS_SHADOW_IT_REPORTING_AZURE_MONITOR.columns;
    const dir = path.join(folder, TABLE);
    const files = readdirSync(dir).filter(n => n.endsWith(`.${format}`)).map(n => sqlString(path.join(dir, n)));
    const expected = `SELECT ${columns.map(c => asText(c)).join(", ")} FROM ${TABLE} WHERE TimeGenerated >= epoch_ms(${START}) AND TimeGenerated < epoch_ms(${END})`;
    const exported = format === "parquet"
        ? `SELECT ${columns.map(c => asText(c)).join(", ")} FROM read_parquet([${files.join(", ")}])`
        // CSV holds text already; datetime columns are named "<name> [UTC]" and written as ISO text.
        : `SELECT ${columns.map(c => quote(c.type === "datetime" ? `${c.name} [UTC]` : c.name)).join(", ")} FROM ` +
          `read_csv([${files.join(", ")}], header = true, all_varchar = true, allow_quoted_nulls = false)`;
    const [{ missing, unexpected }] = await emulator.query(
        `SELECT (SELECT count(*) FROM (${expected} EXCEPT ALL ${exported}))::BIGINT AS missing, ` +
        `(SELECT count(*) FROM (${exported} EXCEPT ALL ${expected}))::BIGINT AS unexpected`,
    );
    return { missing: Number(missing), unexpected: Number(unexpected) };
}

describe("export: the Azure Monitor reference's schema", () => {
    const running = suiteEmulator({ rows: 3000, seed: 71, days: 4, schema: "azure-monitor" });

    for (const format of ["parquet", "csv"] as const) {
        it(`keeps every row and column, typed as the workspace types them (${format})`, async () => {
            const emulator = running();
            const { out, folder } = exportTarget(emulator, `export-schema-${format}`);
            await runExport(exportOptions(emulator, out, { since: iso(START), until: iso(END), format, rowBudget: 400 }));
            await assertExportMatches(emulator, folder, START, END, format);
            assert.deepEqual(await rowDifferences(emulator, folder, format), { missing: 0, unexpected: 0 });

            const schema = readManifest(folder).tables[TABLE].schema;
            const header = (c: ColumnSchema) => (format === "csv" && c.type === "datetime" ? `${c.name} [UTC]` : c.name);
            assert.deepEqual(schema.map(c => c.name), MCAS_SHADOW_IT_REPORTING_AZURE_MONITOR.columns.map(header), "every column, in the workspace's order");
            const byName = new Map(schema.map(c => [c.name, c]));
            assert.deepEqual(byName.get("AppId"), { name: "AppId", type: "string", fileType: "VARCHAR", expectedType: "int" });
            assert.deepEqual(byName.get("TotalBytes"), { name: "TotalBytes", type: "int", fileType: "INTEGER", expectedType: "long" });
            assert.deepEqual(byName.get("MachineName"), { name: "MachineName", type: "string", fileType: "VARCHAR", documented: false });
            assert.deepEqual(byName.get("StreamName"), { name: "StreamName", type: "string", fileType: "VARCHAR" });
        });
    }

    it("fills the extra columns as a workspace would: endpoint records name their device, firewalls the Windows account", async () => {
        const emulator = running();
        const rows = await emulator.query(
            `SELECT StreamName = 'Win10 Endpoint Users' AND UserName <> '' AS endpoint, count(*)::BIGINT AS n, ` +
            "count(*) FILTER (WHERE MachineId SIMILAR TO '[0-9a-f]{40}' AND MachineName <> '')::BIGINT AS devices, " +
            "count(*) FILTER (WHERE RawUserName LIKE '%\\%' ESCAPE '!' AND UserName <> '')::BIGINT AS accounts, " +
            "count(*) FILTER (WHERE Date = date_trunc('day', TimeGenerated) AND AppId = CAST(AppId AS INTEGER)::VARCHAR)::BIGINT AS consistent " +
            `FROM ${TABLE} GROUP BY endpoint ORDER BY endpoint`,
        );
        const [network, endpoint] = rows.map(r => ({ n: Number(r.n), devices: Number(r.devices), accounts: Number(r.accounts), consistent: Number(r.consistent) }));
        assert.ok(endpoint.n > 0 && endpoint.devices === endpoint.n && endpoint.accounts === 0, JSON.stringify(endpoint));
        assert.ok(network.devices === 0 && network.accounts > 0.9 * network.n, JSON.stringify(network));
        assert.equal(network.consistent + endpoint.consistent, network.n + endpoint.n);
    });
});

describe("export: a workspace whose schema changes between runs", () => {
    // The same sample tenant served first with the Azure Monitor reference's columns, then with the Defender doc's.
    const before = suiteEmulator({ rows: 2500, seed: 73, days: 4, schema: "azure-monitor" });
    const after = suiteEmulator({ rows: 2500, seed: 73, days: 4 });
    const EXTRA = ["AadTenantId", "AppInstance", "Date", "MachineId", "MachineName", "RawUserName", "RichUserName"];

    for (const format of ["parquet", "csv"] as const) {
        it(`keeps the columns earlier files have and the later workspace lacks, and loses no row (${format})`, async () => {
            const { out, folder } = exportTarget(before(), `export-schema-change-${format}`);
            await runExport(exportOptions(before(), out, { since: iso(START), until: iso(END), format }));
            // The second run starts in the middle of a day: that day's file merges old rows (with the extra columns)
            // and new ones (without them).
            const middle = START + DAY + 12 * 3_600_000;
            await runExport(exportOptions(after(), out, { since: iso(middle), until: iso(END), format }));
            await assertExportMatches(after(), folder, START, END, format);

            const merged = path.join(folder, TABLE, `${iso(middle).slice(0, 10)}.${format}`);
            const source = format === "parquet"
                ? `read_parquet(${sqlString(merged)})`
                : `read_csv(${sqlString(merged)}, header = true, all_varchar = true, allow_quoted_nulls = false)`;
            const [described] = await after().query(`SELECT list(column_name) AS names FROM (DESCRIBE SELECT * FROM ${source})`);
            const names = (described.names as { items?: unknown[] }).items ?? (described.names as unknown[]);
            const current = ["TenantId", "SourceSystem", format === "csv" ? "TimeGenerated [UTC]" : "TimeGenerated"];
            assert.deepEqual([...names].slice(0, 3), current, "the current workspace's columns first");
            assert.deepEqual([...names].slice(-EXTRA.length), EXTRA.map(n => (format === "csv" && n === "Date" ? "Date [UTC]" : n)), "then the ones only earlier runs saw");
            const time = format === "csv" ? `strptime("TimeGenerated [UTC]", '${ISO_MS}')` : "TimeGenerated";
            const [counts] = await after().query(
                `SELECT count(*) FILTER (WHERE ${time} < epoch_ms(${middle}) AND AadTenantId IS NOT NULL AND MachineId IS NOT NULL)::BIGINT AS old_with, ` +
                `count(*) FILTER (WHERE ${time} < epoch_ms(${middle}))::BIGINT AS old_rows, ` +
                `count(*) FILTER (WHERE ${time} >= epoch_ms(${middle}) AND AadTenantId IS NULL)::BIGINT AS new_without, ` +
                `count(*) FILTER (WHERE ${time} >= epoch_ms(${middle}))::BIGINT AS new_rows FROM ${source}`,
            );
            assert.ok(Number(counts.old_rows) > 0 && Number(counts.new_rows) > 0, `${counts.old_rows} earlier and ${counts.new_rows} later rows`);
            assert.equal(Number(counts.old_with), Number(counts.old_rows), "earlier rows keep their extra columns");
            assert.equal(Number(counts.new_without), Number(counts.new_rows), "later rows have none");
        });
    }
});
