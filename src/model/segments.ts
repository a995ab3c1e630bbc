/*
 * The rows loaded so far, kept by the visual while Power BI delivers them in incremental segments
 * (`fetchMoreData(false)`). Documented behaviour this follows (learn.microsoft.com, "Fetch more data from Power BI",
 * section "Incremental updates mode"):
 * - each update after the first carries only the next segment (operationKind Segment), never the rows before it;
 * - the first N rows of a segment may repeat rows of the previous one, N = lastMergeIndex + 1 (the docs read it from
 *   `dataView.table.lastMergeIndex`; a categorical DataView has no table, so `categorical.lastMergeIndex` is read too);
 * - "the visual keeps the data view passed to it": the host does not resend rows, so selection and tooltips read
 *   the rows kept here.
 * Appending costs O(segment rows): the column arrays grow in place, and each append returns a new DataView object
 * over them so that code comparing DataView objects sees that rows were added. Pure: no DOM, no host.
 */

interface PerRowColumn {
    values: unknown[];
    identity?: unknown[];
    highlights?: unknown[] | null;
}

/** The parts of a categorical DataView that carry one entry per row, plus what stays as it is. */
export interface SegmentDataView {
    readonly metadata?: { readonly segment?: object | null };
    readonly table?: { readonly lastMergeIndex?: unknown };
    readonly categorical?: {
        readonly categories?: readonly PerRowColumn[];
        readonly values?: readonly PerRowColumn[];
        readonly lastMergeIndex?: unknown;
    };
}

/** Rows at the start of a segment that repeat rows of the previous segment (lastMergeIndex + 1, or 0). */
export function overlapRowsOf(dataView: SegmentDataView | undefined): number {
    const index = dataView?.table?.lastMergeIndex ?? dataView?.categorical?.lastMergeIndex;
    return typeof index === "number" && Number.isInteger(index) && index >= 0 ? index + 1 : 0;
}

function perRowLength(dataView: SegmentDataView): number {
    const categorical = dataView.categorical;
    const first = categorical?.categories?.[0] ?? categorical?.values?.[0];
    return first?.values.length ?? 0;
}

/** Same columns in the same places, with or without highlights alike: a segment can be appended to the rows. */
function sameShape(a: SegmentDataView, b: SegmentDataView): boolean {
    const ca = a.categorical?.categories ?? [];
    const cb = b.categorical?.categories ?? [];
    const va = a.categorical?.values ?? [];
    const vb = b.categorical?.values ?? [];
    if (ca.length !== cb.length || va.length !== vb.length) return false;
    const key = (column: PerRowColumn) => {
        const source = (column as { source?: { queryName?: string; displayName?: string; roles?: object } }).source;
        return JSON.stringify([source?.queryName ?? null, source?.displayName ?? null, source?.roles ?? null]);
    };
    return ca.every((c, i) => key(c) === key(cb[i]))
        && va.every((v, i) => key(v) === key(vb[i]) && Array.isArray(v.highlights) === Array.isArray(vb[i].highlights));
}

export class LoadedRows<T extends object = SegmentDataView> {
    private constructor(
        /** The DataView over every row kept: pass it to the model, selection and tooltips. */
        readonly dataView: T,
        /** The last DataView object the host sent: the same object again brings nothing new. */
        readonly received: T,
        /** False while the columns are still the host's own arrays (copied before the first append). */
        private readonly owned: boolean,
    ) { }

    /** The first window of a new query (operationKind Create), or a whole aggregated DataView (Append). */
    static start<T extends object>(dataView: T): LoadedRows<T> {
        return new LoadedRows(dataView, dataView, false);
    }

    get rowCount(): number {
        return perRowLength(this.dataView as SegmentDataView);
    }

    /** Whether `segment` carries the same fields as the rows kept, so that it can be appended to them. */
    accepts(segment: T): boolean {
        return sameShape(this.dataView as SegmentDataView, segment as SegmentDataView);
    }

    /** The rows kept plus the rows of `segment` past its overlap; the segment's metadata (segment marker) is taken. */
    append(received: T): LoadedRows<T> {
        const segment = received as SegmentDataView;
        const base = this.owned ? this.dataView as SegmentDataView : copyColumns(this.dataView as SegmentDataView);
        const from = Math.min(overlapRowsOf(segment), perRowLength(segment));
        const into = (target: PerRowColumn | undefined, source: PerRowColumn | undefined) => {
            if (!target || !source) return;
            pushFrom(target.values, source.values, from);
            if (target.identity && source.identity) pushFrom(target.identity, source.identity, from);
            if (Array.isArray(target.highlights) && Array.isArray(source.highlights)) pushFrom(target.highlights, source.highlights, from);
        };
        const categories = base.categorical?.categories ?? [];
        const values = base.categorical?.values ?? [];
        categories.forEach((column, i) => into(column, segment.categorical?.categories?.[i]));
        values.forEach((column, i) => into(column, segment.categorical?.values?.[i]));
        return new LoadedRows(rewrap(base, segment) as T, received, true);
    }
}

function pushFrom(target: unknown[], source: readonly unknown[], from: number): void {
    for (let i = from; i < source.length; i++) target.push(source[i]);
}

/**
 * A new DataView object over the same column arrays, with the metadata of the latest segment (its segment marker
 * says whether more rows remain); formatting objects are kept from before when a segment carries none.
 */
function rewrap<T extends SegmentDataView>(base: T, latest: T): T {
    const categorical = base.categorical ?? {};
    const categories = categorical.categories?.map(c => ({ ...c }));
    const valueColumns = (categorical.values ?? []).map(v => ({ ...v }));
    const values = Object.assign(valueColumns, withoutRows(categorical.values), { grouped: () => [{ values: valueColumns }] });
    const objects = (latest.metadata as { objects?: unknown } | undefined)?.objects ?? (base.metadata as { objects?: unknown } | undefined)?.objects;
    return {
        ...base,
        metadata: { ...(latest.metadata ?? {}), ...(objects === undefined ? {} : { objects }) },
        categorical: { ...categorical, ...(categories ? { categories } : {}), values },
    } as T;
}

/** The properties of a DataViewValueColumns array other than its entries (source, identityFields). */
function withoutRows(values: readonly PerRowColumn[] | undefined): object {
    if (!values) return {};
    const extra: Record<string, unknown> = {};
    for (const key of Object.keys(values)) if (!/^\d+$/.test(key) && key !== "grouped") extra[key] = (values as unknown as Record<string, unknown>)[key];
    return extra;
}

/** Copies the per-row arrays (O(rows of the first window)) so that appends never write into the host's arrays. */
function copyColumns<T extends SegmentDataView>(dataView: T): T {
    const copy = (column: PerRowColumn): PerRowColumn => ({
        ...column,
        values: [...column.values],
        ...(column.identity ? { identity: [...column.identity] } : {}),
        ...(Array.isArray(column.highlights) ? { highlights: [...column.highlights] } : {}),
    });
    const categorical = dataView.categorical ?? {};
    const categories = categorical.categories?.map(copy);
    const valueColumns = (categorical.values ?? []).map(copy);
    const values = Object.assign(valueColumns, withoutRows(categorical.values));
    return { ...dataView, categorical: { ...categorical, ...(categories ? { categories } : {}), values } } as T;
}
