// The result schema Microsoft's Kusto binder gives a query: the column names and types a workspace would answer
// with. The emulator names unnamed columns from it (Kusto's naming rules have many special cases) and refuses a
// query whose column types its own translation would get wrong.
import type { TableSchema } from "../../schema.ts";
import { parseAndAnalyze } from "../kusto/bridge.ts";

export interface KustoColumn {
    readonly name: string;
    readonly type: string;
}

/** The columns of a tabular query's result as Kusto binds them; undefined if the query is not tabular. */
export function kustoColumns(query: string, tables: readonly TableSchema[]): KustoColumn[] | undefined {
    const columns = parseAndAnalyze(query, tables).ResultType?.Columns;
    if (!columns) return undefined;
    const out: KustoColumn[] = [];
    for (let i = 0; i < columns.Count; i++) {
        const column = columns.getItem(i);
        out.push({ name: column.Name, type: column.Type.Name });
    }
    return out;
}

/** Kusto's name for one unnamed expression, found by binding a one-column probe query after `prefix`. */
export function kustoNameOf(tables: readonly TableSchema[]) {
    return (prefix: string, form: "column" | "aggregate" | "key", itemText: string): string | undefined => {
        const operator = form === "column" ? "project" : form === "aggregate" ? "summarize" : "summarize by";
        const columns = kustoColumns(`${prefix}\n| ${operator} ${itemText}`, tables);
        return columns?.length === 1 ? columns[0].name : undefined;
    };
}
