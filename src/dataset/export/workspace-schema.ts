// The columns a workspace's table really has, read before an export: the export keeps every one of them, in the
// order the service returns them, each stored as the type the service declares for it.
import { asLogAnalyticsType, type ColumnSchema, type TableSchema } from "../../schema.ts";
import { UserError } from "../errors.ts";
import { schemaProbeQuery } from "../kql/index.ts";
import { TIME_COLUMN } from "../tables.ts";
import { runQuery, type QueryRunner } from "./fetch.ts";
import { formatSpan, type Span } from "./windows.ts";

/**
 * The schema of a result's columns: names and types as the service reports them, in its order. TimeGenerated
 * must be there as a datetime (windows, day files and the watermark are all on it); anything else goes.
 */
export function schemaFromColumns(table: string, columns: readonly { readonly name?: string; readonly type?: string }[], workspaceId: string): TableSchema {
    const out: ColumnSchema[] = [];
    const seen = new Set<string>();
    for (const [i, column] of columns.entries()) {
        if (column.name === undefined || column.name === "" || seen.has(column.name)) {
            throw new UserError(`workspace ${workspaceId} answered ${table} with an unnamed or repeated column (#${i + 1}: ${JSON.stringify(column.name)}); nothing was exported`);
        }
        seen.add(column.name);
        out.push({ name: column.name, type: asLogAnalyticsType(column.type ?? "string") });
    }
    const time = out.find(c => c.name === TIME_COLUMN);
    if (!time || time.type !== "datetime") {
        throw new UserError(
            `${table} in workspace ${workspaceId} has no datetime column ${TIME_COLUMN} (it has: ${out.map(c => `${c.name}:${c.type}`).join(", ") || "no column"}); ` +
            "the export splits and resumes on it and cannot run. Run `shadowit check` to see the table's schema.",
        );
    }
    return { name: table, columns: out };
}

/** Reads the table's columns from the workspace with a query that returns no row. */
export async function fetchWorkspaceSchema(runner: QueryRunner, expected: TableSchema, span: Span, counter: { requests: number }): Promise<TableSchema> {
    const ctx = { workspaceId: runner.workspaceId, table: expected.name, window: formatSpan(span), endpoint: runner.endpoint };
    const { result } = await runQuery(runner, ctx, schemaProbeQuery(expected), span, counter);
    const table = result.status === "Success" ? result.tables[0] : result.partialTables[0];
    if (!table) throw new UserError(`workspace ${runner.workspaceId} answered the schema query of ${expected.name} without a result table; rerun to try again`);
    return schemaFromColumns(expected.name, table.columnDescriptors, runner.workspaceId);
}
