import powerbi from "powerbi-visuals-api";
import { DiscoveryRow } from "./discovery-data";
import type { ExactCountRole, GroupingRole as ModelGroupingRole } from "../../../src/model/roles";
import { BASE_GROUPINGS, ROW_MEASURES, RowMeasure } from "../../fixtures/roles";
import {
    AggregateFunction, buildCategoricalDataView, CellOf, RowIdentity, rowIdentityOf as fixtureRowIdentityOf,
    TooltipField as FixtureTooltipField,
} from "../../fixtures/data-view";
import type { RowFields } from "../../fixtures/global-view";
import DataView = powerbi.DataView;
import PrimitiveValue = powerbi.PrimitiveValue;

/*
 * The karma specs' view of the shared fixture DataView (test/fixtures/data-view.ts): their rows carry short field
 * names (discovery-data.ts), read here role by role.
 */

/** The groupings these specs bind: the model's, the app ID included. */
export type GroupingRole = ModelGroupingRole;
export type MeasureRole = RowMeasure;

export const ALL_GROUPINGS: readonly GroupingRole[] = BASE_GROUPINGS;
export const ALL_MEASURES: readonly MeasureRole[] = ROW_MEASURES;

/** Optional measures that give a distinct count exactly at one grain: the same value on every row of an item. */
export type { ExactCountRole };

export type Summarization = Extract<AggregateFunction, "Sum" | "Count" | "CountNonNull">;

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
export type TooltipField = FixtureTooltipField<DiscoveryRow> & { readonly value: (row: DiscoveryRow) => Cell };

export interface DataViewOptions {
    readonly groupings?: readonly GroupingRole[];
    readonly measures?: readonly MeasureRole[];
    /** Per row, the fraction of each measure that is highlighted (0 = not highlighted). */
    readonly highlight?: (row: DiscoveryRow, index: number) => number;
    /** Sets metadata.segment, as the host does while more rows can be fetched. */
    readonly segment?: boolean;
    /** An incremental segment repeating the previous one's last rows (lastMergeIndex: test/fixtures/data-view.ts). */
    readonly overlap?: { readonly rows: number; readonly on?: "table" | "categorical" };
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

/** Where the specs' rows keep each role's value of the base groupings and measures. */
export const ROW_FIELDS: RowFields<DiscoveryRow> = {
    AppCategory: "category", AppName: "app", StreamName: "stream", AppScore: "score", AppTags: "tags", UploadedBytes: "uploaded",
    DownloadedBytes: "downloaded", TotalBytes: "total", TotalEvents: "events", BlockedEvents: "blocked", Users: "users",
    IpAddresses: "ips",
};

const cellOf: CellOf<DiscoveryRow> = (row, role) =>
    role in GROUPING_VALUE ? GROUPING_VALUE[role as GroupingRole](row) : MEASURE_VALUE[role as MeasureRole](row);

export function rowIdentityOf(row: DiscoveryRow, groupings: readonly GroupingRole[]): RowIdentity {
    return fixtureRowIdentityOf(row, groupings, cellOf);
}

/**
 * A categorical DataView as the host builds it from the capabilities' mapping. The measures are DAX measures
 * named like the implicit ones ("Table.Sum of UploadedBytes") unless `distinctSummarization` summarizes Users and
 * IP addresses in the well.
 */
export function buildDataView(rows: readonly DiscoveryRow[], options: DataViewOptions = {}): DataView {
    return buildCategoricalDataView(rows, {
        groupings: options.groupings ?? ALL_GROUPINGS,
        measures: options.measures ?? ALL_MEASURES,
        cell: cellOf,
        measuresAs: "dax",
        distinctSummarization: options.distinctSummarization,
        withExpr: true,
        highlight: options.highlight,
        roundHighlight: Math.round,
        tooltips: options.tooltips,
        exact: options.exact,
        segment: options.segment,
        overlap: options.overlap,
        objects: options.objects,
    }) as unknown as DataView;
}
