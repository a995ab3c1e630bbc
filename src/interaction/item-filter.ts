// What a click on a mark filters, as JSON filters of Power BI's filter API. Pure: no host, no DOM.
//
// Why filters and not selection IDs: with several grouping roles in one categorical DataView, Power BI gives each
// row one identity, the combination of all its grouping values (microsoft/PowerBI-visuals issues #87 and #595:
// `withCategory(categories[0], 0)` yields `A == "A1" && B == "B1"`), so no selection ID can stand for "every row of
// Cloud storage". A basic filter on the role's column ("Visual Filters API", learn.microsoft.com
// power-bi/developer/visuals/filter-api) names the item by its value, so it covers rows not loaded yet as well.
// Filters on different columns are sent as one array (a second applyJsonFilter call replaces the first:
// PowerBI-visuals issues #263 and #520) and the report intersects them, as it does filters on different fields.
import { GroupingRole } from "../model/types";

/** Table and column a filter targets (IFilterColumnTarget of powerbi-models). */
export interface FilterTarget {
    readonly table: string;
    readonly column: string;
}

/** A basic filter as powerbi-models' BasicFilter.toJSON() writes it. */
export interface BasicFilterJson {
    readonly $schema: typeof BASIC_FILTER_SCHEMA;
    readonly target: FilterTarget;
    readonly filterType: typeof BASIC_FILTER_TYPE;
    readonly operator: "In";
    /** `null` stands for (Blank), as in the filters Power BI itself writes (PowerBI-JavaScript issue #258). */
    readonly values: readonly FilterValue[];
}

export type FilterValue = string | number | boolean | null;

// An identifier, not a URL anything loads: powerbi-models' BasicFilter writes exactly this text.
// eslint-disable-next-line powerbi-visuals/no-http-string -- the filter schema's name is http://, not a resource
export const BASIC_FILTER_SCHEMA = "http://powerbi.com/product/schema#basic";
/** FilterType.Basic of powerbi-models. */
export const BASIC_FILTER_TYPE = 1;

/** The values selected per role, each value under its `valueKey`. */
export type FilterState = ReadonlyMap<GroupingRole, ReadonlyMap<string, FilterValue>>;

export const EMPTY_FILTER_STATE: FilterState = new Map();

/** The metadata a column target is read from: `expr` when the host gives it, else `queryName` ("Table.Column"). */
export interface ColumnSource {
    readonly queryName?: string;
    readonly expr?: unknown;
}

/**
 * The column a filter must target. Power BI's column metadata carries the query expression (`expr.source.entity`
 * and `expr.ref`, read the same way by powerbi-visuals-utils-interactivityutils' extractFilterColumnTarget); without
 * it, `queryName` is "Table.Column" (the split the filter API docs show). The display name is never used: an author
 * may rename a field in the well.
 */
export function filterTargetOf(source: ColumnSource | undefined): FilterTarget | null {
    if (!source) return null;
    const expr = source.expr as { source?: { entity?: unknown }; ref?: unknown } | undefined;
    if (expr && typeof expr.source?.entity === "string" && typeof expr.ref === "string") {
        return { table: expr.source.entity, column: expr.ref };
    }
    const queryName = source.queryName ?? "";
    // A level of a date hierarchy ("T.TimeGenerated.Variation.Date Hierarchy.Year") is no column a basic filter can
    // name, and one level's values do not name a day: such a mark filters nothing (docs/visual.md, date hierarchy).
    if (queryName.includes(".Variation.")) return null;
    const dot = queryName.indexOf(".");
    if (dot <= 0 || dot === queryName.length - 1) return null;
    return { table: queryName.slice(0, dot), column: queryName.slice(dot + 1) };
}

/** A cell as a filter value: Dates as ISO text, blanks as null. */
export function filterValueOf(raw: unknown): FilterValue {
    if (raw === null || raw === undefined) return null;
    if (typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean") return raw;
    if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? String(raw) : raw.toISOString();
    return String(raw);
}

/**
 * The key of a filter value. Unlike the model's keys, "" and null stay apart: the model shows both as (Blank), but a
 * filter must name each form the column holds, so a (Blank) mark carries both when the data has both.
 */
export function filterValueKey(value: FilterValue): string {
    if (value === null) return "null";
    return `${typeof value === "string" ? "s" : typeof value === "number" ? "n" : "b"}:${String(value)}`;
}

export function valuesByKey(values: readonly FilterValue[]): Map<string, FilterValue> {
    return new Map(values.map(value => [filterValueKey(value), value]));
}

/**
 * The state after a click on an item of `role` with `values`: a plain click makes the item the whole selection, or
 * clears it when the item was all there was; Ctrl adds the item, or removes it when it was selected.
 */
export function toggleItem(state: FilterState, role: GroupingRole, values: ReadonlyMap<string, FilterValue>,
    selectedKeys: readonly string[], multiSelect: boolean): FilterState {
    const current = state.get(role);
    const itemSelected = selectedKeys.length > 0 && current !== undefined && selectedKeys.every(k => current.has(k));
    if (!multiSelect) {
        const onlyThisItem = itemSelected && state.size === 1 && [...current.keys()].every(k => values.has(k));
        return onlyThisItem ? EMPTY_FILTER_STATE : new Map([[role, new Map(values)]]);
    }
    const next = new Map(state);
    const roleValues = new Map(current ?? []);
    if (itemSelected) {
        for (const key of values.keys()) roleValues.delete(key);
    } else {
        for (const [key, value] of values) roleValues.set(key, value);
    }
    if (roleValues.size === 0) next.delete(role);
    else next.set(role, roleValues);
    return next;
}

/** One basic "In" filter per role with values, in the order of `roles`; roles without a target are left out. */
export function jsonFiltersOf(state: FilterState, targets: ReadonlyMap<GroupingRole, FilterTarget>,
    roles: readonly GroupingRole[]): BasicFilterJson[] {
    const filters: BasicFilterJson[] = [];
    for (const role of roles) {
        const values = state.get(role);
        const target = targets.get(role);
        if (!values || values.size === 0 || !target) continue;
        filters.push({
            $schema: BASIC_FILTER_SCHEMA, target: { ...target }, filterType: BASIC_FILTER_TYPE, operator: "In",
            values: [...values.values()],
        });
    }
    return filters;
}

/**
 * The state a report's filters describe (a bookmark, or the filter this visual applied, handed back in the update's
 * `jsonFilters`): basic "In" filters whose target is the column of a bound role. Other filters are not this
 * visual's items and are ignored.
 */
export function stateFromJsonFilters(filters: readonly unknown[] | undefined,
    targets: ReadonlyMap<GroupingRole, FilterTarget>): FilterState {
    const state = new Map<GroupingRole, Map<string, FilterValue>>();
    for (const filter of filters ?? []) {
        const basic = filter as Partial<BasicFilterJson> & { operator?: unknown } | null;
        if (!basic || basic.operator !== "In" || !Array.isArray(basic.values) || !basic.target) continue;
        const target = basic.target as Partial<FilterTarget>;
        for (const [role, roleTarget] of targets) {
            if (roleTarget.table !== target.table || roleTarget.column !== target.column) continue;
            const values = state.get(role) ?? new Map<string, FilterValue>();
            for (const [key, value] of valuesByKey(basic.values.map(filterValueOf))) values.set(key, value);
            if (values.size > 0) state.set(role, values);
        }
    }
    return state;
}

/** True when both states select the same values of the same roles. */
export function sameFilterState(a: FilterState, b: FilterState): boolean {
    if (a.size !== b.size) return false;
    for (const [role, values] of a) {
        const other = b.get(role);
        if (!other || other.size !== values.size) return false;
        for (const key of values.keys()) if (!other.has(key)) return false;
    }
    return true;
}
