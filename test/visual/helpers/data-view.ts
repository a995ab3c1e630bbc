import powerbi from "powerbi-visuals-api";
import { createCategoricalDataViewBuilder } from "powerbi-visuals-utils-testutils";
import { DiscoveryRow } from "./discovery-data";
import type { ExactCountRole, GroupingRole as ModelGroupingRole } from "../../../src/model/roles";
import { BASE_GROUPINGS, ROW_MEASURES, RowMeasure } from "../../fixtures/roles";
import DataView = powerbi.DataView;
import DataViewMetadataColumn = powerbi.DataViewMetadataColumn;
import PrimitiveValue = powerbi.PrimitiveValue;

/** The groupings these specs bind: the model's, the app ID included. */
export type GroupingRole = ModelGroupingRole;
export type MeasureRole = RowMeasure;

export const ALL_GROUPINGS: readonly GroupingRole[] = BASE_GROUPINGS;
export const ALL_MEASURES: readonly MeasureRole[] = ROW_MEASURES;

/** Optional measures that give a distinct count exactly at one grain: the same value on every row of an item. */
export type { ExactCountRole };

/**
 * QueryAggregateFunction of Power BI's semantic query (microsoft/PowerBI-visuals, semanticQuery): Count is the
 * field menu's Count (Distinct), CountNonNull its Count.
 */
const AGGREGATE_FUNCTIONS = { Sum: 0, Count: 2, CountNonNull: 5 } as const;
export type Summarization = keyof typeof AGGREGATE_FUNCTIONS;

/** Cells may be null (a blank), as in real DataViews. */
type Cell = PrimitiveValue | null;

export const GROUPING_VALUE: Record<GroupingRole, (row: DiscoveryRow) => Cell> = {
    AppCategory: r => r.category,
    AppName: r => r.app,
    StreamName: r => r.stream,
    AppScore: r => r.score,
    AppTags: r => r.tags,
    TimeGenerated: r => (r.time ?? null) as Cell,
    UserName: r => r.user ?? null,
    IpAddress: r => r.ip ?? null,
    AppId: r => r.appId ?? null,
};

const MEASURE_VALUE: Record<MeasureRole, (row: DiscoveryRow) => number> = {
    UploadedBytes: r => r.uploaded,
    DownloadedBytes: r => r.downloaded,
    TotalBytes: r => r.total,
    TotalEvents: r => r.events,
    BlockedEvents: r => r.blocked,
    Users: r => r.users,
    IpAddresses: r => r.ips,
};

export const COLUMN_NAME: Record<GroupingRole | MeasureRole, string> = {
    AppCategory: "AppCategory", AppName: "AppName", StreamName: "StreamName", AppScore: "AppScore", AppTags: "AppTags",
    TimeGenerated: "TimeGenerated", UserName: "UserName", IpAddress: "IpAddress", AppId: "AppId",
    UploadedBytes: "Sum of UploadedBytes", DownloadedBytes: "Sum of DownloadedBytes", TotalBytes: "Sum of TotalBytes",
    TotalEvents: "Sum of TotalEvents", BlockedEvents: "Sum of BlockedEvents", Users: "Count of UserName",
    IpAddresses: "Count of IpAddress",
};

/** A field dropped into the Tooltips well: a value column with the Tooltips role. */
export interface TooltipField {
    readonly displayName: string;
    /** "Sum(McasShadowItReporting.TotalEvents)" for an implicit sum; a DAX measure's is "Table.Measure". */
    readonly queryName: string;
    readonly format?: string;
    readonly value: (row: DiscoveryRow) => Cell;
    /** The grand total the host computes for the column, when it gives one. */
    readonly subtotal?: number;
}

export interface DataViewOptions {
    readonly groupings?: readonly GroupingRole[];
    readonly measures?: readonly MeasureRole[];
    /** Per row, the fraction of each measure that is highlighted (0 = not highlighted). */
    readonly highlight?: (row: DiscoveryRow, index: number) => number;
    /** Sets metadata.segment, as the host does while more rows can be fetched. */
    readonly segment?: boolean;
    readonly objects?: powerbi.DataViewObjects;
    readonly tooltips?: readonly TooltipField[];
    /**
     * Users and IP addresses as columns of the table summarized in the well (queryName "Count(Table.UserName)" and
     * the aggregation's expr, as Power BI writes them), instead of the default measures.
     */
    readonly distinctSummarization?: Summarization;
    /** Exact-count DAX measures to bind, with their value on each row. */
    readonly exact?: Partial<Record<ExactCountRole, (row: DiscoveryRow, index: number) => number>>;
}

const DISTINCT_COLUMN: Partial<Record<MeasureRole, string>> = { Users: "UserName", IpAddresses: "IpAddress" };

/** A measure column's source; Users and IP addresses summarized as `summarization` when given. */
function measureSource(role: MeasureRole, index: number, summarization: Summarization | undefined): DataViewMetadataColumn {
    const source = columnSource(role, index);
    const column = DISTINCT_COLUMN[role];
    if (!summarization || !column) return source;
    return {
        ...source,
        displayName: `Count of ${column}`,
        queryName: `${summarization}(McasShadowItReporting.${column})`,
        expr: {
            _kind: 4,
            arg: { _kind: 2, source: { _kind: 0, entity: "McasShadowItReporting" }, ref: column },
            func: AGGREGATE_FUNCTIONS[summarization],
        },
    } as unknown as DataViewMetadataColumn;
}

export function columnSource(role: GroupingRole | MeasureRole, index: number): DataViewMetadataColumn {
    const isMeasure = (ALL_MEASURES as readonly string[]).includes(role);
    const numeric = isMeasure || role === "AppScore";
    return {
        displayName: COLUMN_NAME[role],
        queryName: `McasShadowItReporting.${COLUMN_NAME[role]}`,
        index,
        isMeasure,
        roles: { [role]: true },
        type: role === "TimeGenerated" ? { dateTime: true } : numeric ? { numeric: true, integer: true } : { text: true },
    } as DataViewMetadataColumn;
}

/**
 * The identity Power BI gives a row of a categorical DataView with several grouping roles: ONE identity per row,
 * the combination of all its grouping values, shared by every category column (microsoft/PowerBI-visuals issues
 * #87 and #595: `withCategory(categories[0], 0)` yields `A == "A1" && B == "B1"`). No identity of a single column
 * exists, so a selection ID can never stand for every row of one category.
 */
export class TestRowIdentity {
    constructor(readonly values: Readonly<Partial<Record<GroupingRole, Cell>>>, readonly key: string) { }
}

export function rowIdentityOf(row: DiscoveryRow, groupings: readonly GroupingRole[]): TestRowIdentity {
    const values: Partial<Record<GroupingRole, Cell>> = {};
    for (const role of groupings) values[role] = GROUPING_VALUE[role](row);
    return new TestRowIdentity(values, groupings.map(role => `${role}=${JSON.stringify(values[role])}`).join(" && "));
}

/** A categorical DataView as the host builds it from the capabilities' mapping. */
export function buildDataView(rows: readonly DiscoveryRow[], options: DataViewOptions = {}): DataView {
    const groupings = options.groupings ?? ALL_GROUPINGS;
    const measures = options.measures ?? ALL_MEASURES;
    let builder = createCategoricalDataViewBuilder();
    groupings.forEach((role, i) => {
        builder = builder.withCategory({
            source: columnSource(role, i),
            values: rows.map(GROUPING_VALUE[role]) as PrimitiveValue[],
            identityFrom: { fields: [] },
        });
    });
    const tooltipColumns = (options.tooltips ?? []).map((field, i) => {
        const source = {
            displayName: field.displayName, queryName: field.queryName, format: field.format, isMeasure: true,
            index: groupings.length + measures.length + i, roles: { Tooltips: true }, type: { numeric: true },
        } as DataViewMetadataColumn;
        if (field.subtotal !== undefined) source.aggregates = { subtotal: field.subtotal };
        return { source, values: rows.map(field.value) as PrimitiveValue[] };
    });
    const exactColumns = (Object.entries(options.exact ?? {}) as [ExactCountRole, (row: DiscoveryRow, index: number) => number][])
        .map(([role, value], i) => ({
            source: {
                displayName: role, queryName: `McasShadowItReporting.${role}`, isMeasure: true,
                index: groupings.length + measures.length + tooltipColumns.length + i, roles: { [role]: true },
                type: { numeric: true, integer: true },
            } as DataViewMetadataColumn,
            values: rows.map(value) as PrimitiveValue[],
        }));
    if (measures.length > 0 || tooltipColumns.length > 0 || exactColumns.length > 0) {
        builder = builder.withValues({
            columns: [...measures.map((role, i) => {
                const values = rows.map(MEASURE_VALUE[role]);
                const column: { source: DataViewMetadataColumn; values: PrimitiveValue[]; highlights?: PrimitiveValue[] } = {
                    source: measureSource(role, groupings.length + i, options.distinctSummarization),
                    values,
                };
                if (options.highlight) {
                    const highlight = options.highlight;
                    column.highlights = rows.map((row, r) => {
                        const share = highlight(row, r);
                        return share > 0 ? Math.round(values[r] * share) : null;
                    }) as PrimitiveValue[];
                }
                return column;
            }), ...tooltipColumns, ...exactColumns],
        });
    }
    const dataView = builder.build();
    const identities = rows.map(row => rowIdentityOf(row, groupings)) as unknown as powerbi.visuals.CustomVisualOpaqueIdentity[];
    for (const column of dataView.categorical?.categories ?? []) column.identity = identities;
    if (options.segment) (dataView.metadata as { segment?: object }).segment = {};
    if (options.objects) dataView.metadata.objects = options.objects;
    return dataView;
}
