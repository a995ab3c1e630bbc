import type { DiscoveryRow } from "../data/discoveryRows";
import type { UserDayRow } from "../data/userDayRows";
import type { GroupingRole } from "../../src/model/roles";
import { appendRows, BASE_GROUPINGS, buildCategoricalDataView, CategoricalDataView, TIME_AND_PEOPLE } from "../../test/fixtures/data-view";

/*
 * The DataView the benchmark's host posts: the tests' categorical DataView (test/fixtures/data-view.ts), with the
 * cheap identities of a host that never resolves a selection ("position": `{ key: "AppName#12" }`, numbered across
 * segments) and the measures named by their role. APP_GROUPINGS are the five app fields; EVERY_GROUPING adds the
 * time, user, address and app ID fields, which rows at user × day grain (bench/data/userDayRows.ts) carry.
 */

export type GroupingField = GroupingRole;
export const APP_GROUPINGS: readonly GroupingField[] = BASE_GROUPINGS;
export const EVERY_GROUPING: readonly GroupingField[] = [...BASE_GROUPINGS, ...TIME_AND_PEOPLE];

type Row = DiscoveryRow | UserDayRow;

/** A DataView whose columns are always there (the fixture leaves `categorical` out only when nothing is bound). */
export type BenchDataView = CategoricalDataView & { readonly categorical: NonNullable<CategoricalDataView["categorical"]> };

/** `overlap`: the first rows repeat the previous segment's last ones (lastMergeIndex = overlap - 1). */
export function buildDataView(rows: readonly Row[], moreSegments: boolean, firstRowIndex = 0,
    groupings: readonly GroupingField[] = APP_GROUPINGS, overlap = 0): BenchDataView {
    return buildCategoricalDataView(rows as readonly UserDayRow[], {
        groupings, identity: "position", firstRowIndex, measureNames: "role", segment: moreSegments,
        overlap: { rows: overlap },
    }) as BenchDataView;
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
        appendRows(this.base, rows as readonly UserDayRow[]);
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
