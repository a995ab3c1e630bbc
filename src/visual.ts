import "../style/visual.less";
import powerbi from "powerbi-visuals-api";
import { FormattingSettingsService } from "powerbi-visuals-utils-formattingmodel";
import { Behavior } from "./interaction/behavior";
import { SelectionController } from "./interaction/selection";
import { tooltipFieldItems } from "./interaction/tooltip-fields";
import {
    createModelState, DashboardModel, DashboardSettings, DataNote, foldDataView, hasMoreSegments, ModelState,
    noteOfState, POWER_BI_ROW_CEILING, redrawsPanels, ROW_WINDOW, rowCountOf, shouldFetchMore, snapshotModel,
} from "./model";
import { dayOfDate } from "./model/days";
import { DashboardView, Viewport } from "./render/dashboard";
import { Formatter } from "./render/format";
import { Strings } from "./render/strings";
import { Mark, RenderContext, ResolvedColors } from "./render/types";
import { applyPaletteDefaults, ShadowItSettingsModel, toDashboardSettings } from "./settings";
import { OperationKind, UpdateType } from "./update-kinds";
import DataView = powerbi.DataView;
import IVisual = powerbi.extensibility.visual.IVisual;
import IVisualHost = powerbi.extensibility.visual.IVisualHost;
import ISandboxExtendedColorPalette = powerbi.extensibility.ISandboxExtendedColorPalette;
import VisualConstructorOptions = powerbi.extensibility.visual.VisualConstructorOptions;
import VisualUpdateOptions = powerbi.extensibility.visual.VisualUpdateOptions;


interface Drawn {
    readonly dataView: DataView;
    readonly marks: readonly Mark[];
    /** Rows folded when the panels were drawn. */
    readonly rows: number;
}

export class Visual implements IVisual {
    private readonly host: IVisualHost;
    private readonly view: DashboardView;
    private readonly strings: Strings;
    private readonly formattingSettingsService: FormattingSettingsService;
    /** The current time, whose day is "today" for the time panels (rows after it are left out); tests fix it. */
    clock: () => Date = () => new Date();
    private readonly selection: SelectionController;
    private readonly behavior: Behavior;
    private formattingSettings: ShadowItSettingsModel;
    private modelState: ModelState = createModelState();
    private drawn: Drawn | null = null;
    /** Row count at which fetchMoreData was last requested, so each segment is requested once. */
    private requestedAtRows = -1;
    /** Set when the host refused fetchMoreData (its limit is reached); reset by a fresh query. */
    private hostLimitReached = false;

    constructor(options?: VisualConstructorOptions) {
        if (!options) throw new Error("Power BI created the visual without its element and host.");
        this.host = options.host;
        const localizationManager = this.host.createLocalizationManager();
        this.strings = new Strings(localizationManager, this.host.locale || "en-US");
        this.formattingSettingsService = new FormattingSettingsService(localizationManager);
        this.formattingSettings = new ShadowItSettingsModel();
        this.view = new DashboardView(options.element);
        const selectionManager = this.host.createSelectionManager();
        this.selection = new SelectionController(this.host, selectionManager, () => this.behavior.renderSelection());
        this.behavior = new Behavior({
            root: this.view.root,
            selection: this.selection,
            tooltipService: this.host.tooltipService ?? null,
            interactionsAllowed: () => this.interactionsAllowed(),
            reveal: key => this.view.reveal(key),
            tooltipFields: key => tooltipFieldItems(this.selection.boundDataView, this.selection.rowsOf(key), this.strings.locale, {
                blank: this.strings.get("Visual_Blank"), varies: this.strings.get("Visual_Tooltip_Varies"),
            }),
        });
    }

    public update(options: VisualUpdateOptions): void {
        this.host.eventService.renderingStarted(options);
        try {
            // The visual's filter as the host keeps it (after a click here, or from a bookmark).
            const filtersChanged = this.selection.receiveFilters(options.jsonFilters, options.dataViews?.[0]);
            this.draw(options);
            if (filtersChanged) this.behavior.renderSelection();
            this.host.eventService.renderingFinished(options);
        } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            this.showFailure(options, reason);
            this.host.eventService.renderingFailed(options, reason);
        }
    }

    public getFormattingModel(): powerbi.visuals.FormattingModel {
        applyPaletteDefaults(this.formattingSettings, this.host.colorPalette as ISandboxExtendedColorPalette);
        return this.formattingSettingsService.buildFormattingModel(this.formattingSettings);
    }

    public destroy(): void {
        this.behavior.hideTooltip();
    }

    private interactionsAllowed(): boolean {
        return this.host.hostCapabilities?.allowInteractions !== false;
    }

    private draw(options: VisualUpdateOptions): void {
        const viewport = viewportOf(options);
        const type = options.type ?? UpdateType.Data;
        const dataChanged = (type & (UpdateType.Data | UpdateType.Style | UpdateType.ViewMode)) !== 0;
        if (!dataChanged && this.drawn && (type & UpdateType.Resize) !== 0 && (type & UpdateType.ResizeEnd) === 0) {
            // Live resize: only the frame follows; the layout is redone once on ResizeEnd.
            this.view.root.style.width = `${viewport.width}px`;
            this.view.root.style.height = `${viewport.height}px`;
            return;
        }

        const dataView = options.dataViews?.[0];
        if (!dataView || !hasBoundFields(dataView)) {
            this.drawn = null;
            this.modelState = createModelState();
            this.behavior.bind([]);
            this.view.renderLanding(viewport, this.context(this.defaultSettings(dataView)));
            return;
        }

        const settings = this.readSettings(dataView);
        const isAppend = options.operationKind === OperationKind.Append;
        const folded = foldDataView(this.modelState, dataView, { isAppend });
        this.modelState = folded.state;
        if (folded.rebuilt && !isAppend) {
            this.hostLimitReached = false;
            this.requestedAtRows = -1;
        }

        this.requestMoreData(dataView, settings);
        const rows = folded.state.accumulator.rowsRead;
        const drawn = this.drawn;
        const moreDataPending = !this.hostLimitReached && shouldFetchMore(rows, settings.rowCap, hasMoreSegments(dataView));
        const appended = isAppend && !folded.rebuilt;
        if (drawn && !redrawsPanels({ rowsRead: rows, rowsDrawn: drawn.rows, moreDataPending, isAppend: appended })) {
            // The panels keep what they show; the note tells how far loading has got.
            this.drawn = { ...drawn, dataView };
            this.selection.bind(dataView, drawn.marks);
            this.view.renderNote(this.withHostLimit(noteOfState(folded.state, settings, drawn.rows)), this.context(settings));
            return;
        }
        const model = snapshotModel(folded.state, settings, {
            blank: this.strings.get("Visual_Blank"), other: this.strings.get("Visual_Other"),
        });
        this.render(viewport, { ...model, note: this.withHostLimit(model.note) }, settings, dataView, rows);
    }

    /** When the host refused more data, loading has ended at its limit. */
    private withHostLimit(note: DataNote): DataNote {
        return this.hostLimitReached ? { ...note, moreDataPending: false, rowCapReached: true } : note;
    }

    private render(viewport: Viewport, model: DashboardModel, settings: DashboardSettings, dataView: DataView, rows: number): void {
        const ctx = this.context(settings);
        const result = this.view.render(model, viewport, ctx);
        this.drawn = { dataView, marks: result.marks, rows };
        this.selection.bind(dataView, result.marks);
        this.behavior.bind(result.marks);
    }

    /** Asks the host for the next segment while it has more and the row cap allows. */
    private requestMoreData(dataView: DataView, settings: DashboardSettings): void {
        const rows = rowCountOf(dataView);
        if (this.hostLimitReached || rows === this.requestedAtRows) return;
        if (!shouldFetchMore(rows, settings.rowCap, hasMoreSegments(dataView))) return;
        this.requestedAtRows = rows;
        if (!this.host.fetchMoreData(true)) this.hostLimitReached = true;
    }

    private readSettings(dataView: DataView | undefined): DashboardSettings {
        this.formattingSettings = this.formattingSettingsService.populateFormattingSettingsModel(
            ShadowItSettingsModel, dataView as DataView);
        return toDashboardSettings(this.formattingSettings, this.host.colorPalette as ISandboxExtendedColorPalette, dayOfDate(this.clock()));
    }

    private defaultSettings(dataView: DataView | undefined): DashboardSettings {
        return this.readSettings(dataView);
    }

    private context(settings: DashboardSettings): RenderContext {
        return {
            settings,
            strings: this.strings,
            format: new Formatter(this.strings.locale, settings.byteUnits),
            colors: resolveColors(settings, this.host.colorPalette as ISandboxExtendedColorPalette),
            fontSize: settings.fontSize,
            settingsNotes: this.settingsNotes(),
        };
    }

    /** Formatting values the visual corrected, said on the canvas instead of changed silently. */
    private settingsNotes(): string[] {
        const requested = Math.round(Number(this.formattingSettings.format.rowCap.value));
        if (!Number.isFinite(requested) || requested < 1 || requested >= ROW_WINDOW) return [];
        const count = new Formatter(this.strings.locale, "si");
        return [this.strings.format("Visual_Note_RowCapBelowWindow", {
            requested: count.count(requested), window: count.count(ROW_WINDOW), ceiling: count.count(POWER_BI_ROW_CEILING),
        })];
    }

    private showFailure(options: VisualUpdateOptions, reason: string): void {
        try {
            this.drawn = null;
            this.modelState = createModelState();
            this.behavior.bind([]);
            this.view.renderMessage(viewportOf(options), this.strings.format("Visual_Error", { reason }));
        } catch {
            // Nothing more can be shown; the host still gets renderingFailed with the reason.
        }
    }
}

function viewportOf(options: VisualUpdateOptions): Viewport {
    const width = Number(options.viewport?.width);
    const height = Number(options.viewport?.height);
    return {
        width: Number.isFinite(width) && width > 0 ? width : 0,
        height: Number.isFinite(height) && height > 0 ? height : 0,
    };
}

function hasBoundFields(dataView: DataView): boolean {
    return (dataView.metadata?.columns?.length ?? 0) > 0;
}

/** In high contrast only the palette's foreground, background and selected-foreground are used. */
export function resolveColors(settings: DashboardSettings, palette: ISandboxExtendedColorPalette | undefined): ResolvedColors {
    const foreground = palette?.foreground?.value ?? "#252423";
    const background = palette?.background?.value ?? "#ffffff";
    const foregroundSelected = palette?.foregroundSelected?.value ?? foreground;
    if (palette?.isHighContrast) {
        const c = foreground;
        return {
            highContrast: true, foreground, background, foregroundSelected,
            sanctioned: c, unsanctioned: c, otherTag: c, uploaded: c, downloaded: c, high: c, medium: c, low: c, unscored: c,
        };
    }
    return { highContrast: false, foreground, background, foregroundSelected, ...settings.colors };
}
