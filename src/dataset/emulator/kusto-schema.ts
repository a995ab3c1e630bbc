// The result schema Microsoft's Kusto binder gives a query: the column names and types a workspace would answer
// with. The emulator names unnamed columns from it (Kusto's naming rules have many special cases) and refuses a
// query whose column types its own translation would get wrong.
import type { LogAnalyticsType, TableSchema } from "../../schema.ts";
import { analyzeKql } from "../kusto/analyze.ts";

export interface KustoColumn {
    readonly name: string;
    readonly type: string;
}

interface BridgeList<T> { readonly Count: number; getItem(index: number): T }
interface KustoLanguage {
    Symbols: {
        ScalarTypes: { GetSymbol(name: string): unknown };
        ColumnSymbol: new (name: string, type: unknown, description: null, originalColumns: null, source: null, examples: null) => unknown;
        TableSymbol: { $ctor4: new (name: string, columns: unknown[]) => unknown };
        DatabaseSymbol: { ctor: new (name: string, members: unknown[]) => unknown };
    };
    GlobalState: { Default: { WithDatabase(db: unknown): unknown } };
    KustoCode: {
        ParseAndAnalyze(text: string, globals: unknown): {
            readonly ResultType: { readonly Columns?: BridgeList<{ readonly Name: string; readonly Type: { readonly Name: string } }> } | null;
        };
    };
}

let language: KustoLanguage | undefined;
const globalsCache = new WeakMap<readonly TableSchema[], unknown>();

function kusto(): KustoLanguage {
    if (language) return language;
    // analyze.ts loads the library, which defines the global `Kusto`; this module reuses that one copy.
    analyzeKql("print 1", []);
    const loaded = (globalThis as { Kusto?: { Language?: KustoLanguage } }).Kusto?.Language;
    if (!loaded) throw new Error("the Kusto language service is not loaded");
    language = loaded;
    return language;
}

function globalsFor(tables: readonly TableSchema[]): unknown {
    const cached = globalsCache.get(tables);
    if (cached) return cached;
    const { Symbols, GlobalState } = kusto();
    const symbols = tables.map(table => new Symbols.TableSymbol.$ctor4(table.name, table.columns.map(column =>
        new Symbols.ColumnSymbol(column.name, Symbols.ScalarTypes.GetSymbol(column.type), null, null, null, null))));
    const globals = GlobalState.Default.WithDatabase(new Symbols.DatabaseSymbol.ctor("workspace", symbols));
    globalsCache.set(tables, globals);
    return globals;
}

/** The columns of a tabular query's result as Kusto binds them; undefined if the query is not tabular. */
export function kustoColumns(query: string, tables: readonly TableSchema[]): KustoColumn[] | undefined {
    const result = kusto().KustoCode.ParseAndAnalyze(query, globalsFor(tables)).ResultType;
    const columns = result?.Columns;
    if (!columns) return undefined;
    const out: KustoColumn[] = [];
    for (let i = 0; i < columns.Count; i++) {
        const column = columns.getItem(i);
        out.push({ name: column.Name, type: column.Type.Name });
    }
    return out;
}

const KNOWN_TYPES = new Set<string>(["string", "int", "long", "real", "datetime", "bool", "guid", "timespan", "dynamic", "decimal"]);

export function isLogAnalyticsType(name: string): name is LogAnalyticsType {
    return KNOWN_TYPES.has(name);
}

/** Kusto's name for one unnamed expression, found by binding a one-column probe query after `prefix`. */
export function kustoNameOf(tables: readonly TableSchema[]) {
    return (prefix: string, form: "column" | "aggregate" | "key", itemText: string): string | undefined => {
        const operator = form === "column" ? "project" : form === "aggregate" ? "summarize" : "summarize by";
        const columns = kustoColumns(`${prefix}\n| ${operator} ${itemText}`, tables);
        return columns?.length === 1 ? columns[0].name : undefined;
    };
}
