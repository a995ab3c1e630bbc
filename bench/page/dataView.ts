import { DiscoveryRow } from "../data/discoveryRows";
import type { UserDayRow } from "../data/userDayRows";

/*
 * A categorical DataView as Power BI builds it for the visual's roles: the grouping columns (categories) and the
 * measures (values), each column tagged with its role. Structural types only, so this module needs no host.
 * APP_GROUPINGS are the five app fields; EVERY_GROUPING adds the time, user, address and app ID fields, which rows
 * at user × day grain (bench/data/userDayRows.ts) carry.
 */

export type GroupingField = "AppCategory" | "AppName" | "StreamName" | "AppScore" | "AppTags" | "TimeGenerated" | "UserName"
    | "IpAddress" | "AppId";
type MeasureField = "UploadedBytes" | "DownloadedBytes" | "TotalBytes" | "TotalEvents" | "BlockedEvents" | "Users"
    | "IpAddresses";

export const APP_GROUPINGS: readonly GroupingField[] = ["AppCategory", "AppName", "StreamName", "AppScore", "AppTags"];
export const EVERY_GROUPING: readonly GroupingField[] = [...APP_GROUPINGS, "TimeGenerated", "UserName", "IpAddress", "AppId"];

const COLUMN_TYPE: Record<GroupingField, Record<string, boolean>> = {
    AppCategory: { text: true }, AppName: { text: true }, StreamName: { text: true }, AppTags: { text: true },
    AppScore: { numeric: true, integer: true }, TimeGenerated: { dateTime: true }, UserName: { text: true },
    IpAddress: { text: true }, AppId: { numeric: true, integer: true },
};

type Row = DiscoveryRow | UserDayRow;
const MEASURES: readonly { field: MeasureField; query: string }[] = [
    { field: "UploadedBytes", query: "Sum(McasShadowItReporting.UploadedBytes)" },
    { field: "DownloadedBytes", query: "Sum(McasShadowItReporting.DownloadedBytes)" },
    { field: "TotalBytes", query: "Sum(McasShadowItReporting.TotalBytes)" },
    { field: "TotalEvents", query: "Sum(McasShadowItReporting.TotalEvents)" },
    { field: "BlockedEvents", query: "Sum(McasShadowItReporting.BlockedEvents)" },
    // Count (Distinct) is Power BI's "Count" aggregation; "CountNonNull" is the menu's Count (src/model/summarization.ts).
    { field: "Users", query: "Count(McasShadowItReporting.UserName)" },
    { field: "IpAddresses", query: "Count(McasShadowItReporting.IpAddress)" },
];

export interface BenchColumn {
    readonly displayName: string;
    readonly queryName: string;
    readonly index: number;
    readonly roles: Record<string, boolean>;
    readonly type: Record<string, boolean>;
    readonly isMeasure?: boolean;
}

export interface BenchDataView {
    readonly metadata: { readonly columns: BenchColumn[]; readonly segment?: object };
    readonly categorical: {
        readonly categories: { source: BenchColumn; values: unknown[]; identity: unknown[] }[];
        readonly values: { source: BenchColumn; values: unknown[] }[] & { grouped(): unknown[] };
    };
}

export function buildDataView(rows: readonly Row[], moreSegments: boolean, firstRowIndex = 0,
    groupings: readonly GroupingField[] = APP_GROUPINGS): BenchDataView {
    const columns: BenchColumn[] = [];
    const categories = groupings.map((field, k) => {
        const source: BenchColumn = {
            displayName: field,
            queryName: `McasShadowItReporting.${field}`,
            index: k,
            roles: { [field]: true },
            type: COLUMN_TYPE[field],
        };
        columns.push(source);
        const values = new Array<unknown>(rows.length);
        const identity = new Array<unknown>(rows.length);
        for (let r = 0; r < rows.length; r++) {
            values[r] = (rows[r] as UserDayRow)[field];
            identity[r] = { key: `${field}#${firstRowIndex + r}` };
        }
        return { source, values, identity };
    });
    const valueColumns = MEASURES.map(({ field, query }, k) => {
        const source: BenchColumn = {
            displayName: field,
            queryName: query,
            index: groupings.length + k,
            roles: { [field]: true },
            type: { numeric: true, integer: true },
            isMeasure: true,
        };
        columns.push(source);
        const values = new Array<unknown>(rows.length);
        for (let r = 0; r < rows.length; r++) values[r] = rows[r][field];
        return { source, values };
    });
    const values = Object.assign(valueColumns, { grouped: () => [{ values: valueColumns }] });
    return {
        metadata: moreSegments ? { columns, segment: {} } : { columns },
        categorical: { categories, values },
    };
}

/**
 * The host's side of fetchMoreData in aggregation mode (`fetchMoreData(true)`): Power BI hands the visual every
 * row loaded so far in a new DataView object. Columns grow in place so that building segment k costs O(segment),
 * not O(all rows); each call to `view()` returns a new DataView object over them.
 */
export class GrowingDataView {
    private readonly base: BenchDataView;

    constructor(groupings: readonly GroupingField[] = APP_GROUPINGS) {
        this.base = buildDataView([], false, 0, groupings);
    }

    get rowCount(): number {
        return this.base.categorical.categories[0].values.length;
    }

    append(rows: readonly Row[]): void {
        const start = this.rowCount;
        for (const column of this.base.categorical.categories) {
            const field = column.source.displayName as GroupingField;
            for (let r = 0; r < rows.length; r++) {
                column.values.push((rows[r] as UserDayRow)[field]);
                column.identity.push({ key: `${field}#${start + r}` });
            }
        }
        for (const column of this.base.categorical.values) {
            const field = column.source.displayName as MeasureField;
            for (let r = 0; r < rows.length; r++) column.values.push(rows[r][field]);
        }
    }

    view(moreSegments: boolean): BenchDataView {
        const { columns } = this.base.metadata;
        const categories = this.base.categorical.categories.map(c => ({ ...c }));
        const valueColumns = this.base.categorical.values.map(c => ({ ...c }));
        const values = Object.assign(valueColumns, { grouped: () => [{ values: valueColumns }] });
        return {
            metadata: moreSegments ? { columns, segment: {} } : { columns },
            categorical: { categories, values },
        };
    }
}
