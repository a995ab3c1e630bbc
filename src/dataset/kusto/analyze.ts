// KQL text checked against the table schemas with Microsoft's Kusto language service (see bridge.ts): real
// parser, real binder, the same diagnostics Log Analytics reports.
import type { TableSchema } from "../../schema.ts";
import { TABLES } from "../tables.ts";
import { kustoLanguage, parseAndAnalyze, type BridgeDiagnostic, type BridgeList } from "./bridge.ts";

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

function severityOf(raw: string): string {
    return raw.toLowerCase();
}

/**
 * Parses and binds `query` against the tables (default: the companion's tables, src/dataset/tables.ts) and returns the
 * diagnostics: errors only unless `options.all`. The library loads on first use (about a quarter of a
 * second, then the first analysis warms its binder); later calls take milliseconds.
 */
export function analyzeKql(query: string, tables: readonly TableSchema[] = TABLES, options: AnalyzeOptions = {}): KqlDiagnostic[] {
    const code = parseAndAnalyze(query, tables);
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
    if (options.all) {
        const { Editor } = kustoLanguage();
        collect(new Editor.KustoCodeService.ctor(code).GetAnalyzerDiagnostics(true));
    }
    return result;
}

/** The errors only: a query with any of these fails in Log Analytics. */
export function kqlErrors(query: string, tables: readonly TableSchema[] = TABLES): KqlDiagnostic[] {
    return analyzeKql(query, tables).filter(d => d.severity === "error");
}
