// What the rest of a report sees when the visual applies JSON filters: the preview's stand-in for the other visuals
// of a page. Pure: no DOM.
//
// Copied from the Visual Filters API documentation (learn.microsoft.com, power-bi/developer/visuals/filter-api):
// a basic filter keeps the rows whose target column holds one of `values` ("SELECT * FROM table WHERE col1 IN
// (1, 2, 3)"), NotIn the others, All every row; an advanced filter joins one or two conditions with And/Or; the
// filters one applyJsonFilter call sends restrict their own columns and intersect, and a later call replaces them
// (PowerBI-visuals issues #263 and #520); a null filter with FilterAction.remove clears them. (Blank) is `null` in
// `values`, as in the filters Power BI writes itself (PowerBI-JavaScript issue #258). The filter does not apply to
// the visual that set it (a slicer is not filtered by its own selection), so the visual's DataView stays as it is.
// Harsh where the docs are silent: values compare by type and value (the number 3 is not the text "3"), "" is not
// (Blank), and a filter on a column the dataset lacks, or with an unknown operator, is refused with an error.
import { DatasetColumnName, PreviewDataset, TextColumnName, NumberColumnName, isTextColumn } from "./dataset.ts";
import { localMidnight, TABLE } from "./dataview.ts";

interface Target { readonly table?: unknown; readonly column?: unknown }
interface Condition { readonly operator?: unknown; readonly value?: unknown }
export interface JsonFilter {
    readonly $schema?: unknown;
    readonly target?: Target;
    readonly filterType?: unknown;
    readonly operator?: unknown;
    readonly values?: readonly unknown[];
    readonly logicalOperator?: unknown;
    readonly conditions?: readonly Condition[];
}

/** Columns a filter may target: the grouping columns the preview's dataset holds. */
const FILTERABLE = new Set<DatasetColumnName>([
    "AppCategory", "AppName", "StreamName", "AppScore", "AppTags", "TimeGenerated", "UserName", "IpAddress", "AppId",
]);

/** The filters one applyJsonFilter call carries, as a list (null or undefined: none). */
export function filtersOf(filter: unknown): JsonFilter[] {
    if (filter === null || filter === undefined) return [];
    return (Array.isArray(filter) ? filter : [filter]) as JsonFilter[];
}

function columnOf(filter: JsonFilter): DatasetColumnName {
    const { table, column } = filter.target ?? {};
    if (table !== TABLE || typeof column !== "string" || !FILTERABLE.has(column as DatasetColumnName)) {
        throw new Error(`a filter targets ${JSON.stringify(filter.target)}, which is not a grouping column of ${TABLE} ` +
            `(${[...FILTERABLE].join(", ")}): build the target from the column's queryName`);
    }
    return column as DatasetColumnName;
}

function isBasic(filter: JsonFilter): boolean {
    return filter.filterType === 1 || (typeof filter.$schema === "string" && filter.$schema.endsWith("#basic"));
}

function isAdvanced(filter: JsonFilter): boolean {
    return filter.filterType === 0 || (typeof filter.$schema === "string" && filter.$schema.endsWith("#advanced"));
}

function cellAt(dataset: PreviewDataset, column: DatasetColumnName, row: number): string | number | null {
    if (isTextColumn(column)) {
        const text = dataset.text[column as TextColumnName];
        const code = text.codes[row];
        if (code < 0) return null;
        // The visual filters a date by the instant of the Date it was handed (local midnight), as ISO text.
        return column === "TimeGenerated" ? localMidnight(text.dictionary[code]).toISOString() : text.dictionary[code];
    }
    return dataset.numbers[column as NumberColumnName][row];
}

function equalCell(cell: string | number | null, value: unknown): boolean {
    if (value === null) return cell === null;
    return cell === value;
}

function meets(cell: string | number | null, condition: Condition): boolean {
    const { operator, value } = condition;
    switch (operator) {
        case "IsBlank": return cell === null;
        case "IsNotBlank": return cell !== null;
        case "Is": return equalCell(cell, value);
        case "IsNot": return !equalCell(cell, value);
        case "LessThan": case "LessThanOrEqual": case "GreaterThan": case "GreaterThanOrEqual": {
            if (cell === null || typeof cell !== typeof value) return false;
            const a = cell;
            const b = value as string | number;
            if (operator === "LessThan") return a < b;
            if (operator === "LessThanOrEqual") return a <= b;
            if (operator === "GreaterThan") return a > b;
            return a >= b;
        }
        default: throw new Error(`an advanced filter condition has the unknown operator ${JSON.stringify(operator)}`);
    }
}

/** A test of one row against one filter, checked for shape once. */
function predicateOf(dataset: PreviewDataset, filter: JsonFilter): (row: number) => boolean {
    const column = columnOf(filter);
    if (isBasic(filter)) {
        const values = filter.values;
        if (!Array.isArray(values)) throw new Error(`the basic filter on ${column} has no values array`);
        const test = (row: number) => values.some(value => equalCell(cellAt(dataset, column, row), value));
        switch (filter.operator) {
            case "In": return test;
            case "NotIn": return row => !test(row);
            case "All": return () => true;
            default: throw new Error(`the basic filter on ${column} has the unknown operator ${JSON.stringify(filter.operator)}`);
        }
    }
    if (isAdvanced(filter)) {
        const conditions = filter.conditions ?? [];
        if (conditions.length < 1 || conditions.length > 2) throw new Error(`the advanced filter on ${column} needs one or two conditions`);
        if (filter.logicalOperator === "Or") return row => conditions.some(c => meets(cellAt(dataset, column, row), c));
        if (filter.logicalOperator === "And") return row => conditions.every(c => meets(cellAt(dataset, column, row), c));
        throw new Error(`the advanced filter on ${column} has the logical operator ${JSON.stringify(filter.logicalOperator)}`);
    }
    throw new Error(`the preview applies basic and advanced filters only, not ${JSON.stringify(filter.$schema ?? filter.filterType)}`);
}

/** What the other visuals of the page would show under the filters. */
export interface ReportSlice {
    readonly rows: number;
    readonly apps: number;
    readonly totalBytes: number;
}

/** The rows the rest of the report keeps under `filters`, summed as a card visual would. Throws on a bad filter. */
export function reportSlice(dataset: PreviewDataset, filters: readonly JsonFilter[]): ReportSlice {
    const predicates = filters.map(filter => predicateOf(dataset, filter));
    const apps = new Set<number>();
    let rows = 0;
    let totalBytes = 0;
    for (let row = 0; row < dataset.rowCount; row++) {
        if (!predicates.every(keep => keep(row))) continue;
        rows++;
        apps.add(dataset.text.AppName.codes[row]);
        totalBytes += dataset.numbers.TotalBytes[row] ?? 0;
    }
    return { rows, apps: apps.size, totalBytes };
}

function valueText(value: unknown): string {
    return value === null ? "(Blank)" : String(value);
}

/** "App category in (Cloud storage, Webmail)": how the selection log names a filter. */
export function describeFilter(filter: JsonFilter, displayNames: Readonly<Record<string, string>>): string {
    const column = typeof filter.target?.column === "string" ? filter.target.column : "?";
    const name = displayNames[column] ?? column;
    if (isBasic(filter)) {
        const operator = filter.operator === "NotIn" ? "not in" : filter.operator === "All" ? "all" : "in";
        return `${name} ${operator} (${(filter.values ?? []).map(valueText).join(", ")})`;
    }
    const conditions = (filter.conditions ?? []).map(c => `${String(c.operator)} ${valueText(c.value)}`);
    return `${name}: ${conditions.join(` ${String(filter.logicalOperator)} `)}`;
}
