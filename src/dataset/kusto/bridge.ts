// Microsoft's Kusto language service (a Bridge.NET build of Kusto.Language): loading it once, the typings of the
// parts of its surface the companion uses, and the global state that binds queries against the table schemas.
import { createRequire } from "node:module";
import type { LogAnalyticsType, TableSchema } from "../../schema.ts";

/** A Bridge.NET list (System.Collections.Generic.IReadOnlyList). */
export interface BridgeList<T> { readonly Count: number; getItem(index: number): T }

export interface BridgeDiagnostic {
    readonly Severity: string; readonly Code: string; readonly Message: string;
    readonly Start: number; readonly Length: number; readonly Category: string;
}

export interface BridgeColumn { readonly Name: string; readonly Type: { readonly Name: string } }

/** A parsed and bound query. */
export interface BridgeCode {
    GetDiagnostics(): BridgeList<BridgeDiagnostic>;
    /** The result's type: a table type has columns; null or column-less when the query is not tabular. */
    readonly ResultType: { readonly Columns?: BridgeList<BridgeColumn> } | null;
}

export interface KustoLanguage {
    Symbols: {
        ScalarTypes: { GetSymbol(name: string): unknown };
        ColumnSymbol: new (name: string, type: unknown, description: null, originalColumns: null, source: null, examples: null) => unknown;
        TableSymbol: { $ctor4: new (name: string, columns: unknown[]) => unknown };
        DatabaseSymbol: { ctor: new (name: string, members: unknown[]) => unknown };
    };
    GlobalState: { Default: { WithDatabase(db: unknown): unknown } };
    KustoCode: { ParseAndAnalyze(text: string, globals: unknown): BridgeCode };
    Editor: { KustoCodeService: { ctor: new (code: BridgeCode) => { GetAnalyzerDiagnostics(waitForAnalysis: boolean): BridgeList<BridgeDiagnostic> } } };
}

let language: KustoLanguage | undefined;

/** The language service, loaded on first use (about a quarter of a second). */
export function kustoLanguage(): KustoLanguage {
    if (language) return language;
    // The library is a script that defines the globals `Bridge` and `Kusto`; under CommonJS, Bridge uses
    // Node's `global` as its global object, so requiring the runtime and then the assembly is enough.
    // (The companion's .ts modules run as CommonJS: the package has no "type": "module".)
    const load = createRequire(__filename);
    load("@kusto/language-service-next/bridge.min.js");
    load("@kusto/language-service-next/Kusto.Language.Bridge.min.js");
    const kusto = (globalThis as { Kusto?: { Language?: KustoLanguage } }).Kusto;
    if (!kusto?.Language) throw new Error("@kusto/language-service-next did not define Kusto.Language");
    language = kusto.Language;
    return language;
}

const globalsCache = new WeakMap<readonly TableSchema[], unknown>();

/** The global state of a workspace database holding `tables`; built once per tables array. */
function kustoGlobals(tables: readonly TableSchema[]): unknown {
    const cached = globalsCache.get(tables);
    if (cached) return cached;
    const { Symbols, GlobalState } = kustoLanguage();
    const tableSymbols = tables.map(table => new Symbols.TableSymbol.$ctor4(table.name, table.columns.map(column =>
        new Symbols.ColumnSymbol(column.name, scalarType(Symbols.ScalarTypes, column.type), null, null, null, null))));
    const globals = GlobalState.Default.WithDatabase(new Symbols.DatabaseSymbol.ctor("workspace", tableSymbols));
    globalsCache.set(tables, globals);
    return globals;
}

function scalarType(types: KustoLanguage["Symbols"]["ScalarTypes"], type: LogAnalyticsType): unknown {
    const symbol = types.GetSymbol(type);
    if (!symbol) throw new Error(`the Kusto language service has no scalar type ${type}`);
    return symbol;
}

/** Parses and binds `query` against `tables`. */
export function parseAndAnalyze(query: string, tables: readonly TableSchema[]): BridgeCode {
    return kustoLanguage().KustoCode.ParseAndAnalyze(query, kustoGlobals(tables));
}
