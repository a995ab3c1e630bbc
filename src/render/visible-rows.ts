/** Rows `first` (inclusive) to `end` (exclusive) of a list. */
export interface RowRange {
    readonly first: number;
    readonly end: number;
}

export interface ListView {
    /** Rows in the list. */
    readonly count: number;
    /** Height of every row, in pixels. */
    readonly rowHeight: number;
    /** How far the list's scroll container is scrolled, in pixels. */
    readonly scrollTop: number;
    /** An upper bound of the scroll container's height, in pixels. */
    readonly viewHeight: number;
    /** Rows drawn beyond each edge of the view: room for what sits above the list in its container. */
    readonly overscan: number;
}

/**
 * The rows a scroll container can show, with the overscan on each side. Positions are taken from the top of the
 * container's content: what sits above the list there only moves the rows down, which the overscan covers.
 */
export function visibleRows(view: ListView): RowRange {
    const { count, rowHeight, overscan } = view;
    if (count <= 0) return { first: 0, end: 0 };
    if (!(rowHeight > 0)) return { first: 0, end: count };
    const viewHeight = Number.isFinite(view.viewHeight) ? Math.max(0, view.viewHeight) : 0;
    // A list that got shorter since it was scrolled: the browser will scroll back to its end, so show the end now.
    const scrollEnd = Math.max(0, count * rowHeight - viewHeight);
    const scrollTop = Number.isFinite(view.scrollTop) ? Math.min(scrollEnd, Math.max(0, view.scrollTop)) : 0;
    const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
    const end = Math.min(count, Math.ceil((scrollTop + viewHeight) / rowHeight) + overscan);
    return { first, end };
}
