// Microsoft's Kusto language service (a Bridge.NET build of Kusto.Language) used to check KQL text against
// the table schemas: real parser, real binder, the same diagnostics Log Analytics reports.
import { createRequire } from "node:module";
import { TABLES, type LogAnalyticsType, type TableSchema } from "../../schema.ts";

export interface KqlDiagnostic {
    severity: "error" | "warning" | "suggestion" | string;
    code: string;
    message: string;
    /** Offset of the offending text in the query, in UTF-16 code units. */
    start: number;
    length: number;
    category?: string;
}

export interface AnalyzeOptions {
    /**
     * Also run the language service's analyzers and report their warnings and suggestions (e.g. KS501 "avoid
     * isnull on strings"). Default: errors only, which is what makes a query fail.
     */
    readonly all?: boolean;
}

// Just the parts of the library's surface used here.
interface BridgeList<T> { readonly Count: number; getItem(index: number): T }
interface BridgeDiagnostic {
    readonly Severity: string; readonly Code: string; readonly Message: string;
    readonly Start: number; readonly Length: number; readonly Category: string;
}
interface KustoLanguage {
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
interface BridgeCode { GetDiagnostics(): BridgeList<BridgeDiagnostic> }

let language: KustoLanguage | undefined;

function loadLanguage(): KustoLanguage {
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

function globalsFor(tables: readonly TableSchema[]): unknown {
    const cached = globalsCache.get(tables);
    if (cached) return cached;
    const { Symbols, GlobalState } = loadLanguage();
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

function severityOf(raw: string): string {
    return raw.toLowerCase();
}

/**
 * Parses and binds `query` against the tables (default: the companion's three tables) and returns the
 * diagnostics: errors only unless `options.all`. The library loads on first use (about a quarter of a
 * second, then the first analysis warms its binder); later calls take milliseconds.
 */
export function analyzeKql(query: string, tables: readonly TableSchema[] = TABLES, options: AnalyzeOptions = {}): KqlDiagnostic[] {
    const { KustoCode, Editor } = loadLanguage();
    const code = KustoCode.ParseAndAnalyze(query, globalsFor(tables));
    const result: KqlDiagnostic[] = [];
    const collect = (list: BridgeList<BridgeDiagnostic>) => {
        for (let i = 0; i < list.Count; i++) {
            const d = list.getItem(i);
            const severity = severityOf(d.Severity);
            if (!options.all && severity !== "error") continue;
            result.push({ severity, code: d.Code, message: d.Message, start: d.Start, length: d.Length, category: d.Category });
        }
    };
    collect(code.GetDiagnostics());
    if (options.all) collect(new Editor.KustoCodeService.ctor(code).GetAnalyzerDiagnostics(true));
    return result;
}

/** The errors only: a query with any of these fails in Log Analytics. */
export function kqlErrors(query: string, tables: readonly TableSchema[] = TABLES): KqlDiagnostic[] {
    return analyzeKql(query, tables).filter(d => d.severity === "error");
}
