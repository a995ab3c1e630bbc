// How Power BI applies a visual's JSON filters to the rest of the report, for asserting which rows a click leaves
// the other visuals. Copied from the Visual Filters API documentation (learn.microsoft.com, power-bi/developer/
// visuals/filter-api): a basic filter keeps the rows whose target column holds one of `values` ("SELECT * FROM
// table WHERE col1 IN (1, 2, 3)"); an advanced filter joins at most two conditions with And/Or; the filters a visual
// applies as one array restrict different columns and intersect, as a report's filters on different fields do
// (a second applyJsonFilter call replaces the first: PowerBI-visuals issues #263 and #520). (Blank) is `null` in
// `values`, as in the filters Power BI writes itself (PowerBI-JavaScript issue #258). Harsh where the docs are
// silent: values compare by type and value (the number 3 is not the text "3"), "" is not (Blank), and a filter
// whose target is not a column of the table, or whose operator is unknown, throws instead of passing every row.
import { DiscoveryRow } from "./discovery-data";
import { ALL_GROUPINGS, COLUMN_NAME, GROUPING_VALUE, GroupingRole } from "./data-view";

const TABLE = "McasShadowItReporting";

interface Target { table?: string; column?: string }
interface Condition { operator: string; value?: unknown }
interface JsonFilter {
    $schema?: string;
    target?: Target;
    filterType?: number;
    operator?: string;
    values?: unknown[];
    logicalOperator?: "And" | "Or";
    conditions?: Condition[];
}

function roleOf(target: Target | undefined): GroupingRole {
    const role = [...ALL_GROUPINGS, "TimeGenerated" as const, "UserName" as const, "IpAddress" as const].find(r => target?.table === TABLE && COLUMN_NAME[r] === target?.column);
    if (!role) throw new Error(`the filter targets ${JSON.stringify(target)}, which is no grouping column of ${TABLE}`);
    return role;
}

/** A date cell is the instant an ISO text names (filters carry dates as ISO text, as the filter API's examples do). */
function same(cell: unknown, value: unknown): boolean {
    if (value === null) return cell === null || cell === undefined;
    if (cell instanceof Date) return typeof value === "string" && cell.getTime() === Date.parse(value);
    return cell === value;
}

function meets(cell: unknown, condition: Condition): boolean {
    const { operator, value } = condition;
    const isBlank = cell === null || cell === undefined;
    switch (operator) {
        case "IsBlank": return isBlank;
        case "IsNotBlank": return !isBlank;
        case "Is": return same(cell, value);
        case "IsNot": return !same(cell, value);
    }
    if (isBlank || typeof cell !== typeof value) return false;
    const a = cell as number | string;
    const b = value as number | string;
    switch (operator) {
        case "LessThan": return a < b;
        case "LessThanOrEqual": return a <= b;
        case "GreaterThan": return a > b;
        case "GreaterThanOrEqual": return a >= b;
        default: throw new Error(`unknown advanced filter condition ${operator}`);
    }
}

function passes(filter: JsonFilter, row: DiscoveryRow): boolean {
    const cell = GROUPING_VALUE[roleOf(filter.target)](row);
    if (filter.filterType === 1 || filter.$schema?.endsWith("#basic")) {
        const values = filter.values ?? [];
        switch (filter.operator) {
            case "In": return values.some(v => same(cell, v));
            case "NotIn": return !values.some(v => same(cell, v));
            case "All": return true;
            default: throw new Error(`unknown basic filter operator ${String(filter.operator)}`);
        }
    }
    if (filter.filterType === 0 || filter.$schema?.endsWith("#advanced")) {
        const conditions = filter.conditions ?? [];
        if (conditions.length === 0 || conditions.length > 2) throw new Error("an advanced filter has one or two conditions");
        return filter.logicalOperator === "Or" ? conditions.some(c => meets(cell, c)) : conditions.every(c => meets(cell, c));
    }
    throw new Error(`unsupported filter ${JSON.stringify(filter)}`);
}

/** Indices of the rows the rest of the report keeps under `filters` (null or empty: every row). */
export function rowsPassing(filters: unknown, rows: readonly DiscoveryRow[]): number[] {
    const list = (filters === null || filters === undefined ? [] : ([] as unknown[]).concat(filters)) as JsonFilter[];
    const kept: number[] = [];
    rows.forEach((row, index) => {
        if (list.every(filter => passes(filter, row))) kept.push(index);
    });
    return kept;
}
