import { HierarchyGrain, hierarchyGrainOf, HierarchyLevels, hierarchyLevelsOf } from "./date-hierarchy";
import { DISTINCT_COUNT, isNotDistinctCount, summarizationOf } from "./summarization";
import { GROUPING_ROLES, MEASURE_ROLES } from "./roles";
import type { DistinctCountStatus, GroupingRole, MeasureRole, RoleName } from "./types";

export type { CategoryColumnInput, ColumnSourceInput, ValueColumnInput } from "./dataview-columns";
import type { CategoryColumnInput, ColumnSourceInput, ValueColumnInput } from "./dataview-columns";

/*
 * The parts of a Power BI categorical DataView that the model reads, as structural types: a `powerbi.DataView`
 * is assignable to `DataViewInput`, and tests can build plain objects without the host.
 */

export interface DataViewInput {
    readonly metadata?: {
        /** Present while the host has more segments to deliver through fetchMoreData. */
        readonly segment?: object | null;
    };
    readonly categorical?: {
        readonly categories?: readonly CategoryColumnInput[];
        readonly values?: readonly ValueColumnInput[];
    };
}

export { EXACT_COUNT_ROLES, GROUPING_ROLES, MEASURE_ROLES } from "./roles";

/** Which DataView column each bound role reads from. */
export interface RoleBinding {
    readonly categories: Readonly<Partial<Record<GroupingRole, number>>>;
    readonly measures: Readonly<Partial<Record<MeasureRole, number>>>;
    readonly bound: ReadonlySet<RoleName>;
    /**
     * Identifies the bound columns (role → kind, position and query name): equal signatures mean that an
     * appended segment carries the same fields, so previously folded rows stay valid.
     */
    readonly signature: string;
    readonly hasHighlights: boolean;
    /** Users or IP addresses summarized otherwise than Count (Distinct) (summarization.ts): not distinct counts. */
    readonly notDistinct: DistinctCountStatus["notDistinct"];
    /**
     * Users or IP addresses bound as a column summarized with Count (Distinct): then each row's value is the exact
     * distinct count of the row's table rows. A measure bound there may be anything (a lower bound, say).
     */
    readonly implicitDistinct: ReadonlySet<"Users" | "IpAddresses">;
    /**
     * Time generated bound as levels of a date hierarchy (date-hierarchy.ts): the level columns and the grain they
     * date rows at (null: they name no date). Null when Time generated is one plain column or unbound.
     */
    readonly timeHierarchy: { readonly levels: HierarchyLevels; readonly grain: HierarchyGrain | null } | null;
}

function hasRole(source: ColumnSourceInput, role: string): boolean {
    return source.roles?.[role] === true;
}

export function bindRoles(dataView: DataViewInput | undefined): RoleBinding {
    const categories: Partial<Record<GroupingRole, number>> = {};
    const measures: Partial<Record<MeasureRole, number>> = {};
    const bound = new Set<RoleName>();
    const parts: string[] = [];
    const categoryColumns = dataView?.categorical?.categories ?? [];
    const valueColumns = dataView?.categorical?.values ?? [];
    let hasHighlights = false;
    const notDistinct: { role: "Users" | "IpAddresses"; aggregation: string }[] = [];
    const implicitDistinct = new Set<"Users" | "IpAddresses">();

    for (const role of GROUPING_ROLES) {
        const index = categoryColumns.findIndex(column => hasRole(column.source, role));
        if (index < 0) continue;
        categories[role] = index;
        bound.add(role);
        parts.push(`${role}=c${index}:${columnName(categoryColumns[index].source)}`);
    }
    const levels = hierarchyLevelsOf(categoryColumns, "TimeGenerated");
    const timeHierarchy = levels === null ? null : { levels, grain: hierarchyGrainOf(levels) };
    if (levels !== null) {
        for (const [level, index] of Object.entries(levels)) parts.push(`TimeGenerated.${level}=c${index}:${columnName(categoryColumns[index].source)}`);
    }
    for (const role of MEASURE_ROLES) {
        const index = valueColumns.findIndex(column => hasRole(column.source, role));
        if (index < 0) continue;
        measures[role] = index;
        bound.add(role);
        parts.push(`${role}=v${index}:${columnName(valueColumns[index].source)}`);
        if (Array.isArray(valueColumns[index].highlights)) hasHighlights = true;
        const source = valueColumns[index].source;
        if ((role === "Users" || role === "IpAddresses") && isNotDistinctCount(source)) {
            notDistinct.push({ role, aggregation: summarizationOf(source) ?? "" });
        }
        if ((role === "Users" || role === "IpAddresses") && summarizationOf(source) === DISTINCT_COUNT) implicitDistinct.add(role);
    }
    return { categories, measures, bound, signature: parts.join("|"), hasHighlights, notDistinct, implicitDistinct, timeHierarchy };
}

function columnName(source: ColumnSourceInput): string {
    return JSON.stringify([source.queryName ?? null, source.displayName]);
}

/** Rows in the DataView: the length of the category columns, or of the value columns when no grouping is bound. */
export function rowCountOf(dataView: DataViewInput | undefined): number {
    const categorical = dataView?.categorical;
    if (!categorical) return 0;
    const firstCategory = categorical.categories?.[0];
    if (firstCategory) return firstCategory.values.length;
    let rows = 0;
    for (const column of categorical.values ?? []) rows = Math.max(rows, column.values.length);
    return rows;
}

export function hasMoreSegments(dataView: DataViewInput | undefined): boolean {
    const segment = dataView?.metadata?.segment;
    return segment !== undefined && segment !== null;
}
