// Builds the categorical DataView that Power BI would send this visual for a set of bound roles: one row per
// distinct combination of the bound grouping fields, measures aggregated per row (sum, or distinct count for
// Users and IP addresses), cut into the data-reduction window and fetchMoreData segments. Pure: no DOM.
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

export type Aggregation = "sum" | "distinct";

export interface MeasureSource {
    readonly column: DatasetColumnName;
    readonly aggregation: Aggregation;
}

/** Grouping roles read the column of the same name. */
export const GROUPING_SOURCES: Readonly<Record<string, DatasetColumnName>> = {
    AppCategory: "AppCategory", AppName: "AppName", StreamName: "StreamName", AppScore: "AppScore", AppTags: "AppTags",
    TimeGenerated: "TimeGenerated", UserName: "UserName", IpAddress: "IpAddress",
};

/**
 * Roles a report would bind only for the panels about time and people: they multiply the rows (one per day, user or
 * address), so the page starts without them and the author ticks their wells.
 */
const UNBOUND_AT_START: readonly string[] = ["TimeGenerated", "UserName", "IpAddress"];

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

    for (let row = 0; row < dataset.rowCount; row++) {
        const key = groupColumns.length === 0 ? "" : groupColumns.map(column => keyPart(dataset, column, row)).join("\u0001");
        let group = groupOf.get(key);
        if (group === undefined) {
            group = firstRow.length;
            groupOf.set(key, group);
            firstRow.push(row);
            measureSources.forEach((source, m) => {
                if (source.aggregation === "sum") sums[m].push(null);
                else distinct[m].push(new Set());
            });
        }
        measureSources.forEach((source, m) => {
            if (source.aggregation === "sum") {
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
            else distinct[m].push(new Set());
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
    const measures = measureSources.map((source, m) => order.map(group =>
        source.aggregation === "sum" ? sums[m][group] : distinct[m][group].size));
    return {
        groupingRoles: [...groupingRoles],
        measureRoles: [...measureRoles],
        categories: categoryValues.map(values => order.map(group => values[group])),
        measures,
        totals: measureSources.map((source, m) => (source.aggregation === "sum" ? totalSums[m] : totalDistinct[m].size)),
        rowCount: order.length,
    };
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
        const aggregate = measure.aggregation === "sum" ? "Sum" : "CountNonNull";
        const label = measure.aggregation === "sum" ? `Sum of ${measure.column}` : `Count of ${measure.column} (Distinct)`;
        const source: DataViewMetadataColumn = {
            displayName: label, queryName: `${aggregate}(${TABLE}.${measure.column})`, roles: { [role]: true },
            type: typeOf(measure.column, true), isMeasure: true, index: columns.length,
        };
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
    return { metadata, categorical };
}

/** Power BI's ceiling on rows loaded through fetchMoreData. */
export const FETCH_MORE_CEILING = 1048576;

/**
 * Tracks how many group rows the visual has been sent, as Power BI does for a window data reduction:
 * the first update carries `windowSize` rows, each accepted fetchMoreData adds one more window.
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
