/*
 * How often the panels are redrawn while fetchMoreData segments arrive. Each segment folds only its own rows, but a
 * redraw costs what the distinct values (streams, apps) cost, and those grow with the rows: redrawing on every
 * segment made loading 1,048,576 rows cost far more than ten times loading 104,858. So the panels are redrawn
 * when the rows folded have doubled since they were last drawn, and once more when loading ends (all segments in,
 * the row cap or the host's limit reached): 7 redraws for 35 segments. The updates in between fold their rows and
 * refresh the loading note, which says how many rows the panels show.
 */

export interface LoadingProgress {
    /** Rows folded so far, this update's included. */
    readonly rowsRead: number;
    /** Rows folded when the panels were last drawn; 0 when they have not been drawn for this data yet. */
    readonly rowsDrawn: number;
    /** True while the visual will ask the host for another segment. */
    readonly moreDataPending: boolean;
    /** True when this update appended a segment to the data already drawn. */
    readonly isAppend: boolean;
}

export function redrawsPanels(progress: LoadingProgress): boolean {
    if (!progress.isAppend || !progress.moreDataPending || progress.rowsDrawn <= 0) return true;
    return progress.rowsRead >= 2 * progress.rowsDrawn;
}
