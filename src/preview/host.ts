// The preview's implementation of the Power BI visual host services this visual uses: selection IDs and the
// selection manager, tooltips, rendering events, the colour palette, localization, fetchMoreData and
// persistProperties. Browser only; everything user-visible is written with textContent.
import type powerbi from "powerbi-visuals-api";
import { PreviewIdentity, isPreviewIdentity } from "./dataview.ts";

type ISelectionId = powerbi.visuals.ISelectionId;
type IVisualHost = powerbi.extensibility.visual.IVisualHost;
type IColorInfo = powerbi.IColorInfo;

export type RenderState = "started" | "finished" | "failed";

/**
 * A selection ID of the preview: the row identities it was built from (withCategory takes the row's identity,
 * which fixes every grouping value of the row, whichever category column it is called with).
 */
export class PreviewSelectionId implements ISelectionId {
    readonly key: string;

    constructor(readonly rows: readonly PreviewIdentity[], readonly measures: readonly string[] = []) {
        this.key = JSON.stringify([rows.map(p => p.key).sort(), [...measures].sort()]);
    }

    equals(other: ISelectionId): boolean {
        return other instanceof PreviewSelectionId && other.key === this.key;
    }

    /** True when `other` lies within this selection: every value this ID fixes, `other` fixes too. */
    includes(other: ISelectionId): boolean {
        if (!(other instanceof PreviewSelectionId)) return false;
        const keys = new Set(other.rows.map(p => p.key));
        return this.rows.every(p => keys.has(p.key)) && this.measures.every(m => other.measures.includes(m));
    }

    getKey(): string {
        return this.key;
    }

    getSelector(): powerbi.data.Selector {
        return { data: this.rows, metadata: this.measures[0] } as unknown as powerbi.data.Selector;
    }

    getSelectorsByColumn(): powerbi.data.SelectorsByColumn {
        return {} as powerbi.data.SelectorsByColumn;
    }

    hasIdentity(): boolean {
        return this.rows.length > 0;
    }

    /** "App category = Cloud storage, App name = Box, …": what the host's logs show. */
    describe(): string {
        if (this.rows.length === 0 && this.measures.length === 0) return "(the whole visual)";
        const values = this.rows.map(row => row.parts.map(p => `${p.displayName} = ${displayValue(p.value)}`).join(", "));
        return [...values, ...this.measures.map(m => `measure ${m}`)].join("; ");
    }
}

function displayValue(value: unknown): string {
    return value === null || value === undefined || value === "" ? "(Blank)" : String(value);
}

class PreviewSelectionIdBuilder implements powerbi.visuals.ISelectionIdBuilder {
    private readonly parts: PreviewIdentity[] = [];
    private readonly measures: string[] = [];

    withCategory(categoryColumn: powerbi.DataViewCategoryColumn, index: number): this {
        const identity: unknown = categoryColumn?.identity?.[index];
        if (isPreviewIdentity(identity) && !this.parts.some(p => p.key === identity.key)) this.parts.push(identity);
        return this;
    }

    withSeries(): this {
        return this;
    }

    withMeasure(measureId: string): this {
        this.measures.push(measureId);
        return this;
    }

    withMatrixNode(): this {
        return this;
    }

    withTable(): this {
        return this;
    }

    createSelectionId(): ISelectionId {
        return new PreviewSelectionId(this.parts, this.measures);
    }
}

export interface SelectionEvents {
    onSelectionChanged(ids: readonly PreviewSelectionId[]): void;
    onContextMenu(ids: readonly PreviewSelectionId[], position: powerbi.extensibility.IPoint): void;
}

/** Power BI's selection manager, with native promises (the API's IPromise typing is structurally awkward). */
export class PreviewSelectionManager {
    private selected: PreviewSelectionId[] = [];
    private readonly callbacks: ((ids: ISelectionId[]) => void)[] = [];

    constructor(private readonly events: SelectionEvents) { }

    select(selectionId: ISelectionId | ISelectionId[], multiSelect = false): Promise<ISelectionId[]> {
        const ids = (Array.isArray(selectionId) ? selectionId : [selectionId]).filter((id): id is PreviewSelectionId => id instanceof PreviewSelectionId);
        if (multiSelect) {
            for (const id of ids) {
                const at = this.selected.findIndex(s => s.equals(id));
                if (at >= 0) this.selected.splice(at, 1);
                else this.selected.push(id);
            }
        } else if (ids.length === this.selected.length && ids.every(id => this.selected.some(s => s.equals(id)))) {
            // Clicking the only selected mark again clears the selection, as in Power BI.
            this.selected = [];
        } else {
            this.selected = [...ids];
        }
        this.events.onSelectionChanged(this.selected);
        return Promise.resolve([...this.selected]);
    }

    hasSelection(): boolean {
        return this.selected.length > 0;
    }

    clear(): Promise<object> {
        this.selected = [];
        this.events.onSelectionChanged(this.selected);
        return Promise.resolve({});
    }

    getSelectionIds(): ISelectionId[] {
        return [...this.selected];
    }

    registerOnSelectCallback(callback: (ids: ISelectionId[]) => void): void {
        this.callbacks.push(callback);
    }

    /** What Power BI does when a bookmark is applied: the visual is told which IDs are selected. */
    restore(ids: readonly PreviewSelectionId[]): void {
        this.selected = [...ids];
        this.events.onSelectionChanged(this.selected);
        for (const callback of this.callbacks) callback([...this.selected]);
    }

    showContextMenu(selectionId: ISelectionId, position: powerbi.extensibility.IPoint): Promise<object> {
        const ids = selectionId instanceof PreviewSelectionId ? [selectionId] : [];
        this.events.onContextMenu(ids, position);
        return Promise.resolve({});
    }

    toggleExpandCollapse(): Promise<object> {
        return Promise.resolve({});
    }
}

/** Tooltips drawn as a small box over the visual's frame. */
export class PreviewTooltipService implements powerbi.extensibility.ITooltipService {
    constructor(private readonly layer: HTMLElement, private readonly allowed: () => boolean) { }

    enabled(): boolean {
        return this.allowed();
    }

    show(options: powerbi.extensibility.TooltipShowOptions): void {
        const box = this.layer;
        box.replaceChildren();
        for (const item of options.dataItems ?? []) {
            const line = document.createElement("div");
            line.className = item.header ? "tooltip-header" : "tooltip-line";
            if (item.header) {
                line.textContent = item.header;
                box.appendChild(line);
                continue;
            }
            if (item.color) {
                const swatch = document.createElement("span");
                swatch.className = "tooltip-swatch";
                swatch.style.backgroundColor = item.color;
                line.appendChild(swatch);
            }
            const name = document.createElement("span");
            name.className = "tooltip-name";
            name.textContent = item.displayName ?? "";
            const value = document.createElement("span");
            value.className = "tooltip-value";
            value.textContent = item.value ?? "";
            line.append(name, value);
            box.appendChild(line);
        }
        box.hidden = box.childElementCount === 0;
        this.place(options.coordinates);
    }

    move(options: powerbi.extensibility.TooltipMoveOptions): void {
        this.place(options.coordinates);
    }

    hide(): void {
        this.layer.hidden = true;
        this.layer.replaceChildren();
    }

    private place(coordinates: number[] | undefined): void {
        if (!coordinates || coordinates.length < 2) return;
        this.layer.style.left = `${Math.round(coordinates[0] + 14)}px`;
        this.layer.style.top = `${Math.round(coordinates[1] + 14)}px`;
    }
}

const THEME_COLORS = ["#118DFF", "#12239E", "#E66C37", "#6B007B", "#E044A7", "#744EC2", "#D9B300", "#D64550", "#197278", "#1AAB40"];

function color(value: string): IColorInfo {
    return { value };
}

/** Power BI's default theme, or its high-contrast (black) theme when `highContrast` is on. */
export function createColorPalette(highContrast: boolean): powerbi.extensibility.ISandboxExtendedColorPalette {
    const assigned = new Map<string, string>();
    const foreground = highContrast ? "#FFFFFF" : "#252423";
    const background = highContrast ? "#000000" : "#FFFFFF";
    const palette = {
        isHighContrast: highContrast,
        getColor(key: string): IColorInfo {
            if (highContrast) return color(foreground);
            let value = assigned.get(key);
            if (!value) {
                value = THEME_COLORS[assigned.size % THEME_COLORS.length];
                assigned.set(key, value);
            }
            return color(value);
        },
        reset() {
            assigned.clear();
            return palette;
        },
        foreground: color(foreground),
        foregroundLight: color(highContrast ? "#FFFFFF" : "#3B3A39"),
        foregroundDark: color(highContrast ? "#FFFFFF" : "#252423"),
        foregroundNeutralLight: color(highContrast ? "#FFFFFF" : "#F3F2F1"),
        foregroundNeutralDark: color(highContrast ? "#FFFFFF" : "#201F1E"),
        foregroundNeutralSecondary: color(highContrast ? "#FFFFFF" : "#605E5C"),
        foregroundNeutralSecondaryAlt: color(highContrast ? "#FFFFFF" : "#8A8886"),
        foregroundNeutralSecondaryAlt2: color(highContrast ? "#FFFFFF" : "#A19F9D"),
        foregroundNeutralTertiary: color(highContrast ? "#FFFFFF" : "#B3B0AD"),
        foregroundNeutralTertiaryAlt: color(highContrast ? "#FFFFFF" : "#C8C6C4"),
        foregroundSelected: color(highContrast ? "#1AEBFF" : "#252423"),
        foregroundButton: color(foreground),
        background: color(background),
        backgroundLight: color(highContrast ? "#000000" : "#F3F2F1"),
        backgroundNeutral: color(highContrast ? "#000000" : "#C8C6C4"),
        backgroundDark: color(highContrast ? "#000000" : "#252423"),
        hyperlink: color(highContrast ? "#FFFF00" : "#0078D4"),
        visitedHyperlink: color(highContrast ? "#FFFF00" : "#0078D4"),
        mapPushpin: color(highContrast ? "#FFFFFF" : "#FF5F00"),
        shapeStroke: color(highContrast ? "#FFFFFF" : "#01B8AA"),
        selection: color(highContrast ? "#1AEBFF" : "#118DFF"),
        separator: color(highContrast ? "#FFFFFF" : "#C8C6C4"),
        negative: color(highContrast ? "#FFFFFF" : "#D64554"),
        neutral: color(highContrast ? "#FFFFFF" : "#D9B300"),
        positive: color(highContrast ? "#FFFFFF" : "#1AAB40"),
    };
    return palette as unknown as powerbi.extensibility.ISandboxExtendedColorPalette;
}

export function createLocalizationManager(
    resources: Readonly<Record<string, Readonly<Record<string, string>>>>, locale: string,
): powerbi.extensibility.ILocalizationManager {
    return {
        getDisplayName(key: string): string {
            return resources[locale]?.[key] ?? resources["en-US"]?.[key] ?? key;
        },
    };
}

export interface HostOptions {
    readonly locale: string;
    readonly highContrast: boolean;
    readonly allowInteractions: boolean;
    readonly stringResources: Readonly<Record<string, Readonly<Record<string, string>>>>;
    readonly tooltipLayer: HTMLElement;
    readonly selection: SelectionEvents;
    onRenderState(state: RenderState, reason?: string): void;
    fetchMoreData(aggregateSegments: boolean): boolean;
    /** IVisualHost.applyJsonFilter: `action` is powerbi.FilterAction (0 merge, 1 remove). */
    applyJsonFilter(filter: unknown, objectName: string, propertyName: string, action: number): void;
    persistProperties(changes: powerbi.VisualObjectInstancesToPersist): void;
    /**
     * IVisualHost.displayWarningIcon (Microsoft Learn, "Add a display warning icon to your visual"): Power BI shows an
     * icon on the visual's header with `hoverText` on hover and `detailedText` in a pop-up. The docs say nothing of
     * removing it; this host keeps it until the visual calls again with empty texts, the harsher reading.
     */
    displayWarningIcon(hoverText: string, detailedText: string): void;
    log(message: string): void;
}

/**
 * IVisualHost.launchUrl (learn.microsoft.com/power-bi/developer/visuals/launch-url): Power BI opens an absolute http or
 * https address in a new tab and ignores relative paths and other protocols. The preview does the same and logs it.
 */
function launchUrl(url: string, log: (message: string) => void): void {
    if (!/^https?:\/\/[^/]/i.test(url)) {
        log(`launchUrl ignored ${JSON.stringify(url)}: only absolute http and https addresses are opened`);
        return;
    }
    log(`launchUrl ${url}`);
    window.open(url, "_blank", "noopener,noreferrer");
}

/** The file types exportVisualsContent takes ("base64" for .pdf and .xlsx content), and its size limit (30 MB). */
const EXPORT_FILE_TYPES = new Set(["txt", "csv", "json", "tmplt", "xml", "base64"]);
const EXPORT_SIZE_LIMIT = 30 * 1024 * 1024;

/**
 * IDownloadService (learn.microsoft.com/power-bi/developer/visuals/file-download-api): `exportStatus` says Allowed
 * (PrivilegeStatus 0, as for a tenant whose admin turned the switch on), and `exportVisualsContent` saves the content
 * as a file of the browser (Power BI first asks the user to confirm; the preview logs the call instead). A file type
 * outside the documented list, or content over 30 MB, is refused: the promise rejects.
 */
function createDownloadService(log: (message: string) => void): powerbi.extensibility.IDownloadService {
    const exportContent = (content: string, fileName: string, fileType: string, fileDescription: string): Promise<boolean> => {
        if (!EXPORT_FILE_TYPES.has(fileType)) return Promise.reject(new Error(`exportVisualsContent: file type "${fileType}" is not supported`));
        const blob = new Blob([content], { type: fileType === "csv" ? "text/csv;charset=utf-8" : "application/octet-stream" });
        if (blob.size > EXPORT_SIZE_LIMIT) return Promise.reject(new Error("exportVisualsContent: the file is over 30 MB"));
        log(`exportVisualsContent ${fileName} (${fileType}, ${fileDescription}, ${blob.size} bytes)`);
        const link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = fileName;
        link.click();
        setTimeout(() => URL.revokeObjectURL(link.href), 0);
        return Promise.resolve(true);
    };
    const service = {
        exportStatus: () => Promise.resolve(0),
        exportVisualsContent: exportContent,
        exportVisualsContentExtended: (content: string, fileName: string, fileType: string, fileDescription: string) =>
            exportContent(content, fileName, fileType, fileDescription).then(downloadCompleted => ({ downloadCompleted, fileName })),
    };
    return service as unknown as powerbi.extensibility.IDownloadService;
}

export interface PreviewHost {
    readonly host: IVisualHost;
    readonly selectionManagers: PreviewSelectionManager[];
}

export function createHost(options: HostOptions): PreviewHost {
    const selectionManagers: PreviewSelectionManager[] = [];
    const palette = createColorPalette(options.highContrast);
    const host = {
        locale: options.locale,
        instanceId: "shadowit-preview",
        hostCapabilities: { allowInteractions: options.allowInteractions, allowModalDialog: false },
        colorPalette: palette,
        createSelectionIdBuilder: () => new PreviewSelectionIdBuilder(),
        createSelectionManager: () => {
            const manager = new PreviewSelectionManager(options.selection);
            selectionManagers.push(manager);
            return manager;
        },
        createLocalizationManager: () => createLocalizationManager(options.stringResources, options.locale),
        tooltipService: new PreviewTooltipService(options.tooltipLayer, () => options.allowInteractions),
        eventService: {
            renderingStarted: () => options.onRenderState("started"),
            renderingFinished: () => options.onRenderState("finished"),
            renderingFailed: (_update: unknown, reason?: string) => options.onRenderState("failed", reason),
        },
        telemetry: { instanceId: "shadowit-preview", trace: () => undefined },
        fetchMoreData: (aggregateSegments = true) => options.fetchMoreData(aggregateSegments),
        persistProperties: (changes: powerbi.VisualObjectInstancesToPersist) => options.persistProperties(changes),
        launchUrl: (url: string) => launchUrl(url, options.log),
        downloadService: createDownloadService(options.log),
        refreshHostData: () => options.log("refreshHostData"),
        displayWarningIcon: (hoverText: string, detailedText: string) => options.displayWarningIcon(hoverText, detailedText),
        switchFocusModeState: () => undefined,
        applyJsonFilter: (filter: unknown, objectName: string, propertyName: string, action: number) =>
            options.applyJsonFilter(filter, objectName, propertyName, action),
        setCanDrill: () => undefined,
        drill: () => undefined,
        applyCustomSort: () => undefined,
        hostEnv: 1,
    };
    return { host: host as unknown as IVisualHost, selectionManagers };
}
