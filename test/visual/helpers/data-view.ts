import powerbi from "powerbi-visuals-api";
import { DiscoveryRow } from "./discovery-data";
import { ExactCountRole, GROUPING_ROLES, GroupingRole as ModelGroupingRole } from "../../../src/model/roles";
import { BASE_GROUPINGS, ROW_MEASURES, RowMeasure } from "../../fixtures/roles";
import {
    AggregateFunction, buildCategoricalDataView, CellOf, RowIdentity, rowIdentityOf as fixtureRowIdentityOf, summarizedName,
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

/** Each column's display name: a grouping's is its role's; a measure's as the well shows it ("Sum of UploadedBytes"). */
export const COLUMN_NAME = Object.fromEntries([
    ...GROUPING_ROLES.map(role => [role, role]), ...ALL_MEASURES.map(role => [role, summarizedName(role)]),
]) as Record<GroupingRole | MeasureRole, string>;

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
    role in GROUPING_VALUE ? GROUPING_VALUE[role as GroupingRole](row) : row[ROW_FIELDS[role as MeasureRole]];

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
