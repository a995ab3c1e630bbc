// Builds the categorical DataView that Power BI would send this visual for a set of bound roles: one row per
// distinct combination of the bound grouping fields, measures aggregated per row (sum, or distinct count for
// Users and IP addresses, or the exact-count DAX measures evaluated as DAX does), cut into the data-reduction window
// and fetchMoreData segments. Pure: no DOM.
import type powerbi from "powerbi-visuals-api";
import { DatasetColumnName, NumberColumnName, PreviewDataset, TextColumnName, isTextColumn } from "./dataset.ts";

type DataView = powerbi.DataView;
type DataViewMetadataColumn = powerbi.DataViewMetadataColumn;
type DataViewCategoryColumn = powerbi.DataViewCategoryColumn;
type DataViewValueColumn = powerbi.DataViewValueColumn;
type DataViewValueColumns = powerbi.DataViewValueColumns;
type DataViewObjects = powerbi.DataViewObjects;
/** A cell as Power BI delivers it: blanks arrive as null although the typings leave null out. */
export type CellValue = string | number | boolean | Date | null;
type PrimitiveValue = CellValue;

export const TABLE = "McasShadowItReporting";

/**
 * How a measure role's value is computed per row: "sum" and "distinct" are the implicit summarizations of a column
 * dropped into the well (Sum, Count (Distinct)); "measure" is a DAX measure of the generated report (exact counts).
 */
export type Aggregation = "sum" | "distinct" | "measure";

export interface MeasureSource {
    readonly column: DatasetColumnName;
    readonly aggregation: Aggregation;
    /**
     * For a DAX measure: `CALCULATE(DISTINCTCOUNT(T[column]), ALLSELECTED(T), VALUES(T[keep]))`, or without the
     * VALUES filter when `keep` is null. ALLSELECTED(T) drops the filters of the visual's own groupings and keeps
     * the filters around the visual (slicers, the page, other visuals); VALUES(T[keep]) puts back the row's own
     * value(s) of `keep`. So every row of an app carries the app's count over everything the visual shows.
     */
    readonly keep?: DatasetColumnName | null;
    /** A DAX measure's name, as the generated report's model defines it (its queryName is "Table.Name"). */
    readonly measureName?: string;
}

/** Grouping roles read the column of the same name. */
export const GROUPING_SOURCES: Readonly<Record<string, DatasetColumnName>> = {
    AppCategory: "AppCategory", AppName: "AppName", StreamName: "StreamName", AppScore: "AppScore", AppTags: "AppTags",
    TimeGenerated: "TimeGenerated", UserName: "UserName", IpAddress: "IpAddress", AppId: "AppId",
};

/**
 * Roles a report would bind only for the panels about time and people: they multiply the rows (one per day, user or
 * address), so the page starts without them and the author ticks their wells.
 */
const UNBOUND_AT_START: readonly string[] = ["TimeGenerated", "UserName", "IpAddress", "AppId"];

export function isBoundAtStart(role: string): boolean {
    return isBindable(role) && !UNBOUND_AT_START.includes(role);
}

/** Measure roles: the column dragged into the well and the aggregation Power BI applies to it. */
export const MEASURE_SOURCES: Readonly<Record<string, MeasureSource>> = {
    UploadedBytes: { column: "UploadedBytes", aggregation: "sum" },
    DownloadedBytes: { column: "DownloadedBytes", aggregation: "sum" },
    TotalBytes: { column: "TotalBytes", aggregation: "sum" },
    TotalEvents: { column: "TotalEvents", aggregation: "sum" },
    BlockedEvents: { column: "BlockedEvents", aggregation: "sum" },
    Users: { column: "UserName", aggregation: "distinct" },
    IpAddresses: { column: "IpAddress", aggregation: "distinct" },
    UsersTotal: { column: "UserName", aggregation: "measure", keep: null, measureName: "Users (total)" },
    UsersPerApp: { column: "UserName", aggregation: "measure", keep: "AppName", measureName: "Users per app" },
    UsersPerCategory: { column: "UserName", aggregation: "measure", keep: "AppCategory", measureName: "Users per category" },
    UsersPerStream: { column: "UserName", aggregation: "measure", keep: "StreamName", measureName: "Users per stream" },
    IpAddressesTotal: { column: "IpAddress", aggregation: "measure", keep: null, measureName: "IP addresses (total)" },
};

export function isBindable(role: string): boolean {
    return role in GROUPING_SOURCES || role in MEASURE_SOURCES;
}

/** The dataset grouped on the bound grouping roles, in Power BI's default order (ascending, blanks first). */
export interface GroupedTable {
    readonly groupingRoles: readonly string[];
    readonly measureRoles: readonly string[];
    /** Per grouping role, the value of each group row. */
    readonly categories: readonly (readonly PrimitiveValue[])[];
    /** Per measure role, the aggregate of each group row. */
    readonly measures: readonly (readonly (number | null)[])[];
    /** Per measure role, the aggregate over all rows (the grand total Power BI computes for totals). */
    readonly totals: readonly (number | null)[];
    readonly rowCount: number;
}

function valueAt(dataset: PreviewDataset, column: DatasetColumnName, row: number): PrimitiveValue {
    if (isTextColumn(column)) {
        const text = dataset.text[column];
        const code = text.codes[row];
        if (code < 0) return null;
        return column === "TimeGenerated" ? localMidnight(text.dictionary[code]) : text.dictionary[code];
    }
    return dataset.numbers[column as NumberColumnName][row];
}

/** A value's identity within its column: text by dictionary code, numbers by value, null apart. */
function keyPart(dataset: PreviewDataset, column: DatasetColumnName, row: number): string | number {
    if (isTextColumn(column)) return dataset.text[column as TextColumnName].codes[row];
    const value = dataset.numbers[column as NumberColumnName][row];
    return value === null ? "n" : value;
}

/**
 * A day ("2026-03-02") as Power BI hands a date column to a visual: a Date at local midnight of that day in the
 * browser's time zone (a visual reading it in UTC shows the day before west of Greenwich, microsoft/charticulator#1067).
 */
export function localMidnight(day: string): Date {
    const [year, month, date] = day.split("-").map(Number);
    return new Date(year, month - 1, date);
}

function compareValues(a: PrimitiveValue, b: PrimitiveValue): number {
    if (a === b) return 0;
    if (a === null || a === undefined) return -1;
    if (b === null || b === undefined) return 1;
    if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
    if (typeof a === "number" && typeof b === "number") return a - b;
    const left = String(a);
    const right = String(b);
    return left < right ? -1 : left > right ? 1 : 0;
}

export function groupDataset(dataset: PreviewDataset, groupingRoles: readonly string[], measureRoles: readonly string[]): GroupedTable {
    const groupColumns = groupingRoles.map(role => {
        const column = GROUPING_SOURCES[role];
        if (!column) throw new Error(`the preview cannot bind ${role} as a grouping field`);
        return column;
    });
    const measureSources = measureRoles.map(role => {
        const source = MEASURE_SOURCES[role];
        if (!source) throw new Error(`the preview cannot bind ${role} as a measure`);
        return source;
    });

    const groupOf = new Map<string, number>();
    const firstRow: number[] = [];
    const sums = measureSources.map(() => [] as (number | null)[]);
    const distinct = measureSources.map(() => [] as Set<string | number>[]);
    const totalSums: (number | null)[] = measureSources.map(() => null);
    const totalDistinct = measureSources.map(() => new Set<string | number>());
    // DAX measures: the distinct values per value of the kept column over every row, and per group the kept values.
    const perKept = measureSources.map(source => (source.aggregation === "measure" ? distinctPerKept(dataset, source) : null));
    const keptOfGroup = measureSources.map(() => [] as Set<string | number>[]);

    for (let row = 0; row < dataset.rowCount; row++) {
        const key = groupColumns.length === 0 ? "" : groupColumns.map(column => keyPart(dataset, column, row)).join("\u0001");
        let group = groupOf.get(key);
        if (group === undefined) {
            group = firstRow.length;
            groupOf.set(key, group);
            firstRow.push(row);
            measureSources.forEach((source, m) => {
                if (source.aggregation === "sum") sums[m].push(null);
                else if (source.aggregation === "distinct") distinct[m].push(new Set());
                else keptOfGroup[m].push(new Set());
            });
        }
        measureSources.forEach((source, m) => {
            if (source.aggregation === "measure") {
                keptOfGroup[m][group].add(source.keep ? keyPart(dataset, source.keep, row) : "");
            } else if (source.aggregation === "sum") {
                const value = dataset.numbers[source.column as NumberColumnName][row];
                if (value === null) return;
                sums[m][group] = (sums[m][group] ?? 0) + value;
                totalSums[m] = (totalSums[m] ?? 0) + value;
            } else {
                // DISTINCTCOUNT counts a blank as one value, as Power BI's Count (Distinct) does.
                const part = keyPart(dataset, source.column, row);
                distinct[m][group].add(part);
                totalDistinct[m].add(part);
            }
        });
    }
    // A query with measures only still has one (total) row, even over no data.
    if (groupColumns.length === 0 && firstRow.length === 0 && measureSources.length > 0) {
        firstRow.push(-1);
        measureSources.forEach((source, m) => {
            if (source.aggregation === "sum") sums[m].push(null);
            else if (source.aggregation === "distinct") distinct[m].push(new Set());
            else keptOfGroup[m].push(new Set([""]));
        });
    }

    const categoryValues = groupColumns.map(column => firstRow.map(row => (row < 0 ? null : valueAt(dataset, column, row))));
    const order = firstRow.map((_, index) => index);
    order.sort((a, b) => {
        for (const values of categoryValues) {
            const difference = compareValues(values[a], values[b]);
            if (difference !== 0) return difference;
        }
        return a - b;
    });
    const measures = measureSources.map((source, m) => order.map(group => {
        if (source.aggregation === "sum") return sums[m][group];
        if (source.aggregation === "distinct") return distinct[m][group].size;
        return measureValue(perKept[m]!, keptOfGroup[m][group]);
    }));
    return {
        groupingRoles: [...groupingRoles],
        measureRoles: [...measureRoles],
        categories: categoryValues.map(values => order.map(group => values[group])),
        measures,
        totals: measureSources.map((source, m) => (source.aggregation === "sum" ? totalSums[m]
            : source.aggregation === "distinct" ? totalDistinct[m].size : measureValue(perKept[m]!, new Set(perKept[m]!.keys())))),
        rowCount: order.length,
    };
}

/** Per value of the measure's kept column ("" for all rows when it keeps none), the distinct values of its column. */
function distinctPerKept(dataset: PreviewDataset, source: MeasureSource): Map<string | number, Set<string | number>> {
    const byKept = new Map<string | number, Set<string | number>>();
    for (let row = 0; row < dataset.rowCount; row++) {
        const kept = source.keep ? keyPart(dataset, source.keep, row) : "";
        let values = byKept.get(kept);
        if (values === undefined) {
            values = new Set();
            byKept.set(kept, values);
        }
        // DISTINCTCOUNT counts a blank as one value.
        values.add(keyPart(dataset, source.column, row));
    }
    return byKept;
}

/**
 * The measure on a row whose kept column holds `kept`: the distinct values over those rows; BLANK (null) over no
 * rows, as DISTINCTCOUNT returns on an empty table.
 */
function measureValue(byKept: ReadonlyMap<string | number, ReadonlySet<string | number>>, kept: ReadonlySet<string | number>): number | null {
    const sets = [...kept].map(value => byKept.get(value)).filter((set): set is ReadonlySet<string | number> => set !== undefined);
    if (sets.length === 0) return null;
    if (sets.length === 1) return sets[0].size;
    const union = new Set<string | number>();
    for (const set of sets) for (const value of set) union.add(value);
    return union.size;
}

export interface RoleDisplay {
    readonly name: string;
    readonly displayName: string;
}

/** One grouping value of a row identity. */
export interface IdentityPart {
    readonly queryName: string;
    readonly displayName: string;
    readonly value: PrimitiveValue;
}

/**
 * The opaque identity of a row, as Power BI builds it for a categorical DataView: ONE identity per row, the
 * combination of all the row's grouping values, shared by every category column (microsoft/PowerBI-visuals issues
 * #87 and #595: `withCategory(categories[0], 0)` yields `A == "A1" && B == "B1"`, never `A == "A1"` alone). Its
 * selection IDs read `key`.
 */
export interface PreviewIdentity {
    readonly kind: "shadowit-preview";
    readonly parts: readonly IdentityPart[];
    readonly key: string;
}

export function isPreviewIdentity(value: unknown): value is PreviewIdentity {
    return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "shadowit-preview";
}

function typeOf(column: DatasetColumnName, isMeasure: boolean): powerbi.ValueTypeDescriptor {
    if (column === "TimeGenerated" && !isMeasure) return { dateTime: true };
    if (isMeasure || !isTextColumn(column)) return { numeric: true, integer: true };
    return { text: true };
}

export interface DataViewWindow {
    /** First and past-the-end group rows that this DataView carries. */
    readonly start: number;
    readonly end: number;
    readonly objects?: DataViewObjects;
    /** Role display names, as Power BI shows the field names in the wells. */
    readonly displayNames?: Readonly<Record<string, string>>;
    /**
     * Rows at the start of this window that repeat the end of the previous one: an incremental segment says how many
     * with lastMergeIndex = overlap - 1 ("Fetch more data from Power BI", incremental updates mode: "there's some
     * overlap between consecutive data views"). Set on `categorical`, the mapping this visual asks for.
     */
    readonly overlap?: number;
}

export function categoricalDataView(table: GroupedTable, window: DataViewWindow): DataView {
    const columns: DataViewMetadataColumn[] = [];
    const displayName = (role: string, fallback: string): string => window.displayNames?.[role] ?? fallback;
    const groupingColumns = table.groupingRoles.map(role => {
        const column = GROUPING_SOURCES[role];
        return { role, column, queryName: `${TABLE}.${column}`, displayName: displayName(role, column) };
    });
    const windowValues = table.categories.map(values => values.slice(window.start, window.end) as powerbi.PrimitiveValue[]);
    const rowIdentities = Array.from({ length: Math.max(0, window.end - window.start) }, (_, row) => {
        const parts = groupingColumns.map((c, i) => ({ queryName: c.queryName, displayName: c.displayName, value: windowValues[i][row] ?? null }));
        return {
            kind: "shadowit-preview", parts, key: JSON.stringify(parts.map(p => [p.queryName, p.value])),
        } satisfies PreviewIdentity;
    }) as unknown as powerbi.visuals.CustomVisualOpaqueIdentity[];
    const categories: DataViewCategoryColumn[] = groupingColumns.map(({ role, column, queryName }, c) => {
        const source: DataViewMetadataColumn = {
            displayName: column, queryName, roles: { [role]: true }, type: typeOf(column, false), index: columns.length,
        };
        columns.push(source);
        return { source, values: windowValues[c], identity: rowIdentities, identityFields: [] };
    });
    const valueColumns = table.measureRoles.map((role, m) => {
        const measure = MEASURE_SOURCES[role];
        const source: DataViewMetadataColumn = measure.aggregation === "measure"
            ? {
                displayName: measure.measureName ?? role, queryName: `${TABLE}.${measure.measureName ?? role}`, roles: { [role]: true },
                type: { numeric: true, integer: true }, isMeasure: true, index: columns.length,
            }
            : implicitMeasureSource(role, measure, columns.length);
        const column: DataViewValueColumn = { source, values: table.measures[m].slice(window.start, window.end) as powerbi.PrimitiveValue[] };
        if (measure.aggregation === "distinct") {
            // Distinct counts do not add up across rows: the host computes the exact total, as Power BI does.
            const subtotal = table.totals[m];
            source.aggregates = { subtotal: subtotal as powerbi.PrimitiveValue };
            column.subtotal = subtotal as powerbi.PrimitiveValue;
        }
        columns.push(source);
        return column;
    });
    const values = valueColumns as DataViewValueColumns;
    values.grouped = () => [{ values: valueColumns }];

    const metadata: powerbi.DataViewMetadata = { columns };
    if (window.objects) metadata.objects = window.objects;
    if (window.end < table.rowCount) metadata.segment = {};
    const categorical: powerbi.DataViewCategorical = { values };
    if (categories.length > 0) categorical.categories = categories;
    if (window.overlap !== undefined && window.overlap > 0) (categorical as { lastMergeIndex?: number }).lastMergeIndex = window.overlap - 1;
    return { metadata, categorical };
}

/** Power BI's semantic query aggregation functions (QueryAggregateFunction) of the implicit summarizations used here. */
const SUMMARIZATIONS = { sum: { name: "Sum", func: 0 }, distinct: { name: "Count", func: 2 } } as const;

/**
 * The metadata of a column summarized in a measure well, as Power BI writes it: queryName "<Function>(<Table>.<Column>)"
 * and expr an aggregation (_kind 4) of the column reference with QueryAggregateFunction `func`, where Count (2) is
 * the menu's Count (Distinct) and CountNonNull (5) its Count (see src/model/summarization.ts for the sources).
 */
function implicitMeasureSource(role: string, measure: MeasureSource, index: number): DataViewMetadataColumn {
    const summarization = SUMMARIZATIONS[measure.aggregation === "sum" ? "sum" : "distinct"];
    return {
        displayName: measure.aggregation === "sum" ? `Sum of ${measure.column}` : `Count of ${measure.column}`,
        queryName: `${summarization.name}(${TABLE}.${measure.column})`,
        expr: {
            _kind: 4,
            arg: { _kind: 2, source: { _kind: 0, entity: TABLE }, ref: measure.column },
            func: summarization.func,
        } as unknown as powerbi.data.ISQExpr,
        roles: { [role]: true }, type: typeOf(measure.column, true), isMeasure: true, index,
    };
}

/** Power BI's ceiling on rows loaded through fetchMoreData. */
export const FETCH_MORE_CEILING = 1048576;

/**
 * Tracks how many group rows the visual has been sent, as Power BI does for a window data reduction:
 * the first update carries `windowSize` rows, each accepted fetchMoreData adds one more window, up to the
 * 1,048,576-row ceiling ("Fetch more data from Power BI", considerations and limitations).
 */
export class SegmentCursor {
    private loaded: number;

    constructor(private readonly total: number, private readonly windowSize: number) {
        this.loaded = Math.min(total, windowSize);
    }

    get loadedRows(): number {
        return this.loaded;
    }

    get hasMore(): boolean {
        return this.loaded < this.total && this.loaded < FETCH_MORE_CEILING;
    }

    /** The next segment's rows [start, end), or null when nothing remains (fetchMoreData then returns false). */
    advance(): { start: number; end: number } | null {
        if (!this.hasMore) return null;
        const start = this.loaded;
        this.loaded = Math.min(this.total, start + this.windowSize, FETCH_MORE_CEILING);
        return { start, end: this.loaded };
    }
}

/** The categorical mapping's data-reduction window (30,000 for this visual), or Power BI's default top 1,000. */
export function windowCountOf(capabilities: { readonly dataViewMappings?: readonly unknown[] }): number {
    for (const mapping of capabilities.dataViewMappings ?? []) {
        const algorithm = (mapping as { categorical?: { categories?: { dataReductionAlgorithm?: { window?: { count?: number }; top?: { count?: number } } } } })
            .categorical?.categories?.dataReductionAlgorithm;
        const count = algorithm?.window?.count ?? algorithm?.top?.count;
        if (typeof count === "number" && count > 0) return count;
    }
    return 1000;
}
