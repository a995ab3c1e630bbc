import "../style/visual.less";
import powerbi from "powerbi-visuals-api";
import { FormattingSettingsService } from "powerbi-visuals-utils-formattingmodel";
import { Behavior } from "./interaction/behavior";
import { downloadTable, readDownloadAvailability } from "./interaction/download";
import { SelectionController } from "./interaction/selection";
import { tooltipFieldItems } from "./interaction/tooltip-fields";
import {
    buildModel, createModelState, DashboardModel, DashboardSettings, DataNote, foldDataView, hasMoreSegments, ModelState,
    noteOfState, POWER_BI_ROW_CEILING, redrawsPanels, ROW_WINDOW, rowCountOf, shouldFetchMore,
} from "./model";
import { dayOfDate } from "./model/days";
import { PANEL_IDS, panelDefinition } from "./panels/registry";
import { panelRenderer } from "./panels/renderers";
import { DashboardView, Viewport } from "./render/dashboard";
import { DownloadAvailability } from "./render/export-button";
import { distinctCountWarning, WarningTexts } from "./render/distinct-warning";
import { Formatter } from "./render/format";
import { Strings } from "./render/strings";
import { Mark, RenderContext, ResolvedColors } from "./render/types";
import { browserTimer, LoadingTimer, LoadingWatch } from "./loading-watch";
import { LoadedRows } from "./model/segments";
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
    /** What was drawn, for a download of a panel's table and for a redraw when the download answer comes. */
    readonly viewport: Viewport;
    readonly model: DashboardModel;
    readonly settings: DashboardSettings;
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
    /** Every row of the current query received so far (incremental segments are appended here). */
    private loaded: LoadedRows<DataView> | null = null;
    /** Row count at which fetchMoreData was last requested, so each segment is requested once. */
    private requestedAtRows = -1;
    /** Why loading ended before the host's last segment; reset by a fresh query. */
    private loadingStopped: "stalled" | "refused" | undefined;
    private readonly segmentWatch: LoadingWatch;
    /**
     * True from renderingStarted until renderingFinished or renderingFailed. Loading all segments is one rendering:
     * the updates that bring further segments do not start another, and it finishes when loading has ended.
     */
    private renderingOpen = false;
    /** The latest update, for the rendering events and the redraw when a requested segment never comes. */
    private lastOptions: VisualUpdateOptions | null = null;
    /** What the host's warning icon says for the panels drawn; null when no figure needs it. */
    private warning: WarningTexts | null = null;
    /** True while the host shows the visual's warning icon. */
    private warningShown = false;
    /** Whether the host lets the visual download files (interaction/download.ts); undefined: no download button. */
    private download: DownloadAvailability | undefined;

    constructor(options?: VisualConstructorOptions, timer: LoadingTimer = browserTimer) {
        if (!options) throw new Error("Power BI created the visual without its element and host.");
        this.host = options.host;
        this.segmentWatch = new LoadingWatch(timer);
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
            launch: url => this.host.launchUrl(url),
            exportPanel: panel => void this.exportPanel(panel),
        });
        void readDownloadAvailability(this.host.downloadService).then(download => {
            this.download = download;
            // The answer comes after the first update: the buttons are drawn now.
            const drawn = this.drawn;
            if (download !== undefined && drawn !== null) this.render(drawn.viewport, drawn.model, drawn.settings, drawn.dataView, drawn.rows);
        });
    }

    /** Downloads the table of a panel as drawn last, when the host allows it; resolves to whether a file was saved. */
    async exportPanel(panel: string): Promise<boolean> {
        const drawn = this.drawn;
        const service = this.host.downloadService;
        const id = PANEL_IDS.find(candidate => candidate === panel);
        if (drawn === null || id === undefined || this.download?.allowed !== true || !service) return false;
        const exportTable = panelRenderer(id).exportTable;
        const part = drawn.model.panels[id];
        if (exportTable === undefined || part.status !== "ready") return false;
        const table = exportTable(part.data, this.context(drawn.settings));
        return downloadTable(service, id, this.strings.get(panelDefinition(id).titleKey), table);
    }

    public update(options: VisualUpdateOptions): void {
        if (!this.renderingOpen) {
            this.host.eventService.renderingStarted(options);
            this.renderingOpen = true;
        }
        this.lastOptions = options;
        try {
            // The visual's filter as the host keeps it (after a click here, or from a bookmark).
            const filtersChanged = this.selection.receiveFilters(options.jsonFilters, options.dataViews?.[0]);
            this.draw(options);
            this.reportWarning();
            if (filtersChanged) this.behavior.renderSelection();
            // While a requested segment is on its way the rendering goes on: an export must capture every row.
            if (!this.segmentWatch.waiting) this.finishRendering(options);
        } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            this.segmentWatch.stop();
            this.showFailure(options, reason);
            this.renderingOpen = false;
            this.host.eventService.renderingFailed(options, reason);
        }
    }

    private finishRendering(options: VisualUpdateOptions): void {
        if (!this.renderingOpen) return;
        this.renderingOpen = false;
        this.host.eventService.renderingFinished(options);
    }

    public getFormattingModel(): powerbi.visuals.FormattingModel {
        applyPaletteDefaults(this.formattingSettings, this.host.colorPalette as ISandboxExtendedColorPalette);
        return this.formattingSettingsService.buildFormattingModel(this.formattingSettings);
    }

    public destroy(): void {
        this.segmentWatch.stop();
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

        const received = options.dataViews?.[0];
        if (!received || !hasBoundFields(received)) {
            this.drawn = null;
            this.loaded = null;
            this.stopLoading();
            this.warning = null;
            this.modelState = createModelState();
            this.behavior.bind([]);
            this.view.renderLanding(viewport, this.context(this.readSettings(received)));
            return;
        }

        const isAppend = this.receive(received, options.operationKind);
        const dataView = (this.loaded as LoadedRows<DataView>).dataView;
        const settings = this.readSettings(dataView);
        const folded = foldDataView(this.modelState, dataView, { isAppend });
        this.modelState = folded.state;

        this.requestMoreData(dataView, settings);
        this.drawLoaded(viewport, settings, dataView, isAppend && !folded.rebuilt);
    }

    /**
     * Takes the DataView of an update into the rows kept and says whether it appended rows to them:
     * - the very DataView received last (a resize, a style change, the host echoing this visual's filter): nothing new;
     * - a segment (operationKind Segment, after fetchMoreData(false)) with the same fields: appended;
     * - an aggregated DataView (operationKind Append, after fetchMoreData(true)): it holds every row so far;
     * - anything else (Create: a new query, a filter or highlight elsewhere, a view-mode switch): loading restarts.
     */
    private receive(received: DataView, operationKind: number | undefined): boolean {
        const loaded = this.loaded;
        if (loaded && received === loaded.received) return false;
        if (loaded && operationKind === OperationKind.Segment && loaded.accepts(received)) {
            this.loaded = loaded.append(received);
            this.resumeAfterSegment();
            return true;
        }
        this.loaded = LoadedRows.start(received);
        if (operationKind === OperationKind.Append && loaded) {
            this.resumeAfterSegment();
            return true;
        }
        this.stopLoading();
        return false;
    }

    /** A requested segment came (perhaps after a stall was declared): loading goes on. */
    private resumeAfterSegment(): void {
        this.segmentWatch.stop();
        this.loadingStopped = undefined;
    }

    /** A fresh query: nothing requested, nothing stalled. */
    private stopLoading(): void {
        this.segmentWatch.stop();
        this.loadingStopped = undefined;
        this.requestedAtRows = -1;
    }

    private drawLoaded(viewport: Viewport, settings: DashboardSettings, dataView: DataView, appended: boolean): void {
        const rows = this.modelState.accumulator.rowsRead;
        const drawn = this.drawn;
        const moreDataPending = this.loadingStopped === undefined && shouldFetchMore(rows, settings.rowCap, hasMoreSegments(dataView));
        if (drawn && !redrawsPanels({ rowsRead: rows, rowsDrawn: drawn.rows, moreDataPending, isAppend: appended })) {
            // The panels keep what they show; the note tells how far loading has got.
            this.drawn = { ...drawn, dataView };
            this.selection.bind(dataView, drawn.marks);
            this.view.renderNote(this.withLoadingEnd(noteOfState(this.modelState, settings, drawn.rows)), this.context(settings));
            return;
        }
        const model = buildModel(this.modelState.accumulator, settings, {
            blank: this.strings.get("Visual_Blank"), other: this.strings.get("Visual_Other"),
        });
        this.render(viewport, { ...model, note: this.withLoadingEnd(model.note) }, settings, dataView, rows);
    }

    /** When the host stopped sending segments it had announced, loading has ended there, and the note says why. */
    private withLoadingEnd(note: DataNote): DataNote {
        const stopped = this.loadingStopped;
        return stopped ? { ...note, moreDataPending: false, rowCapReached: false, loadingStopped: stopped } : note;
    }

    private render(viewport: Viewport, model: DashboardModel, settings: DashboardSettings, dataView: DataView, rows: number): void {
        const ctx = this.context(settings);
        this.warning = distinctCountWarning(model.distinctCounts, this.strings);
        const result = this.view.render(model, viewport, ctx);
        this.drawn = { dataView, marks: result.marks, rows, viewport, model, settings };
        this.selection.bind(dataView, result.marks);
        this.behavior.bind(result.marks);
    }

    /**
     * Asks the host for the next segment while it has more and the row cap allows. Incremental segments
     * (fetchMoreData(false)) bring only the new rows; aggregated ones would resend every row so far with each segment,
     * so the host's work would grow with the square of the rows (docs/visual.md, "Loading").
     */
    private requestMoreData(dataView: DataView, settings: DashboardSettings): void {
        const rows = rowCountOf(dataView);
        if (this.loadingStopped !== undefined || rows === this.requestedAtRows) return;
        if (!shouldFetchMore(rows, settings.rowCap, hasMoreSegments(dataView))) return;
        this.requestedAtRows = rows;
        // Incremental mode has no 100 MB limit, and the row ceiling is checked above: a refusal is the host's failure.
        if (!this.host.fetchMoreData(false)) this.loadingStopped = "refused";
        else this.segmentWatch.start(() => this.onSegmentStalled());
    }

    /** The requested segment did not come: show every row loaded, say so, and end the rendering for exports. */
    private onSegmentStalled(): void {
        const options = this.lastOptions;
        if (!options || !this.loaded) return;
        this.loadingStopped = "stalled";
        try {
            const dataView = this.loaded.dataView;
            this.drawLoaded(viewportOf(options), this.readSettings(dataView), dataView, false);
            this.finishRendering(options);
        } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            this.showFailure(options, reason);
            this.renderingOpen = false;
            this.host.eventService.renderingFailed(options, reason);
        }
    }

    private readSettings(dataView: DataView | undefined): DashboardSettings {
        this.formattingSettings = this.formattingSettingsService.populateFormattingSettingsModel(
            ShadowItSettingsModel, dataView as DataView);
        return toDashboardSettings(this.formattingSettings, this.host.colorPalette as ISandboxExtendedColorPalette, dayOfDate(this.clock()));
    }

    private context(settings: DashboardSettings): RenderContext {
        return {
            settings,
            strings: this.strings,
            format: new Formatter(this.strings.locale, settings.byteUnits),
            colors: resolveColors(settings, this.host.colorPalette as ISandboxExtendedColorPalette),
            fontSize: settings.fontSize,
            settingsNotes: this.settingsNotes(),
            download: this.download,
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

    /**
     * Shows the warning icon for the figures drawn, on every update (the docs do not say whether the host keeps it
     * between updates), and withdraws it with empty texts once no figure needs it.
     */
    private reportWarning(): void {
        const warning = this.warning;
        if (warning !== null) {
            this.host.displayWarningIcon(warning.hoverText, warning.detailedText);
            this.warningShown = true;
        } else if (this.warningShown) {
            this.host.displayWarningIcon("", "");
            this.warningShown = false;
        }
    }

    private showFailure(options: VisualUpdateOptions, reason: string): void {
        try {
            this.drawn = null;
            this.warning = null;
            this.reportWarning();
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

/**
 * The host palette's foreground, background and selected foreground beside the settings' colours; in high contrast
 * toDashboardSettings (settings.ts) has already made every colour the palette's foreground.
 */
export function resolveColors(settings: DashboardSettings, palette: ISandboxExtendedColorPalette | undefined): ResolvedColors {
    const foreground = palette?.foreground?.value ?? "#252423";
    const background = palette?.background?.value ?? "#ffffff";
    const foregroundSelected = palette?.foregroundSelected?.value ?? foreground;
    return { highContrast: Boolean(palette?.isHighContrast), foreground, background, foregroundSelected, ...settings.colors };
}
