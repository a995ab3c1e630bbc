
/*
 * How Power BI summarized a column dropped into a measure well, read from the DataView's metadata column.
 *
 * An implicit summarization of a column is a semantic query aggregation: the column's `expr` is
 * `{ _kind: 4, arg: <column ref>, func: <QueryAggregateFunction> }` and its `queryName` is `<Function>(<Table>.<Column>)`.
 * QueryAggregateFunction, as in Power BI's semantic query (microsoft/PowerBI-visuals, src/Clients/Data/semanticQuery):
 * Sum 0, Avg 1, Count 2, Min 3, Max 4, CountNonNull 5, Median 6, StandardDeviation 7, Variance 8. "Count" is the
 * menu's Count (Distinct); the menu's Count (non-blank values) is CountNonNull: a DataView captured from Power BI
 * for "Count of article_id" carries `queryName: "CountNonNull(documents.article_id)"` and `func: 5`. A DAX measure
 * has no aggregation (`queryName` "<Table>.<Measure>"), so its values are taken as they are.
 * Both readings are used: `expr` first (its number does not depend on names), `queryName` when `expr` is absent.
 */

const SQ_EXPR_AGGREGATION = 4;
const FUNCTION_NAMES: readonly string[] = [
    "Sum", "Avg", "Count", "Min", "Max", "CountNonNull", "Median", "StandardDeviation", "Variance",
];
/** A column's source as input.ts's ColumnSourceInput, declared here so that input.ts, which loads this module, is not imported back. */
interface SummarizedSource {
    readonly displayName?: string;
    readonly queryName?: string;
    readonly expr?: unknown;
}

/** The function that counts distinct values (the menu's Count (Distinct)). */
export const DISTINCT_COUNT = "Count";
const AGGREGATED_NAME = /^([A-Za-z]+)\((.+)\)$/;

/** The summarization function's name ("Count", "CountNonNull", "Sum", …), or null for a measure or a plain column. */
export function summarizationOf(source: SummarizedSource): string | null {
    const expr = source.expr as { readonly _kind?: unknown; readonly func?: unknown } | null | undefined;
    if (expr && typeof expr === "object" && expr._kind === SQ_EXPR_AGGREGATION && typeof expr.func === "number") {
        return FUNCTION_NAMES[expr.func] ?? `function ${expr.func}`;
    }
    const match = AGGREGATED_NAME.exec(source.queryName ?? "");
    return match && FUNCTION_NAMES.includes(match[1]) ? match[1] : null;
}

/** True when the column's values are not distinct counts: a column summarized with anything but Count (Distinct). */
export function isNotDistinctCount(source: SummarizedSource): boolean {
    const summarization = summarizationOf(source);
    return summarization !== null && summarization !== DISTINCT_COUNT;
}
