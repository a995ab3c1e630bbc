import { ModelAccumulator } from "./accumulator";
import { bindRoles, DataViewInput, rowCountOf } from "./input";
import { buildModel, dataNoteOf, DisplayLabels } from "./snapshot";
import { DashboardModel, DashboardSettings, DataNote } from "./types";

/**
 * What the visual keeps between updates. Treat it as consumed by `updateModel`: an append folds into the same
 * accumulator, so only the state returned by the latest call is valid.
 */
export interface ModelState {
    readonly accumulator: ModelAccumulator;
    /** The DataView last folded, to recognise an update that carries the very same data. */
    readonly dataView: DataViewInput | undefined;
}

export interface UpdateOptions {
    /**
     * True when the DataView holds the rows folded before plus new ones: an incremental segment appended to the rows
     * the visual keeps (operationKind Segment, see segments.ts), or a host's aggregated DataView (operationKind Append).
     */
    readonly isAppend: boolean;
}

export interface FoldResult {
    readonly state: ModelState;
    /** True when the rows were folded from scratch; false when the previous aggregates were reused. */
    readonly rebuilt: boolean;
    /** Rows folded by this update. */
    readonly rowsFolded: number;
}

export interface ModelUpdate extends FoldResult {
    readonly model: DashboardModel;
}

export function createModelState(): ModelState {
    return { accumulator: new ModelAccumulator(bindRoles(undefined)), dataView: undefined };
}

/** Turns a DataView into the dashboard model, folding only what is new (see `foldDataView`). */
export function updateModel(
    previous: ModelState | undefined,
    dataView: DataViewInput | undefined,
    settings: DashboardSettings,
    labels: DisplayLabels,
    options: UpdateOptions,
): ModelUpdate {
    const folded = foldDataView(previous, dataView, options);
    return { ...folded, model: buildModel(folded.state.accumulator, settings, labels) };
}

/**
 * Folds a DataView into the aggregates, reading only what is new:
 * - the same DataView object again (a settings or resize update): no rows are read;
 * - an append with the same fields, highlight state and more rows: only the appended rows are folded;
 * - anything else (new query, changed fields, filters, highlights, fewer rows): all rows are folded afresh.
 */
export function foldDataView(previous: ModelState | undefined, dataView: DataViewInput | undefined, options: UpdateOptions): FoldResult {
    const rowCount = rowCountOf(dataView);
    const kept = previous?.accumulator;
    if (previous && kept && previous.dataView === dataView && kept.rowsRead === rowCount) {
        return { state: previous, rebuilt: false, rowsFolded: 0 };
    }
    const binding = bindRoles(dataView);
    const canAppend = options.isAppend && kept !== undefined
        && kept.binding.signature === binding.signature
        && kept.binding.hasHighlights === binding.hasHighlights
        && rowCount > kept.rowsRead;
    const accumulator = canAppend ? kept : new ModelAccumulator(binding);
    const fromRow = accumulator.rowsRead;
    accumulator.fold(dataView, fromRow);
    return { state: { accumulator, dataView }, rebuilt: !canAppend, rowsFolded: rowCount - fromRow };
}

/** The data note alone, for an update that refreshes only the note while the panels show `rowsShown` rows. */
export function noteOfState(state: ModelState, settings: DashboardSettings, rowsShown: number): DataNote {
    return dataNoteOf(state.accumulator, settings.rowCap, rowsShown, settings.today);
}
