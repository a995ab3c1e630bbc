import powerbi from "powerbi-visuals-api";
import { MockIVisualHost, testDom, VisualBuilderBase } from "powerbi-visuals-utils-testutils";
import { OperationKind, UpdateType } from "../../../src/update-kinds";
import { Visual } from "../../../src/visual";
import { RowIdentity } from "../../fixtures/data-view";
import { ResjsonLocalizationManager } from "./localization";
import { addVisualStyleSheet } from "./stylesheet";
import DataView = powerbi.DataView;
import DataViewCategoryColumn = powerbi.DataViewCategoryColumn;
import ISelectionId = powerbi.visuals.ISelectionId;
import ISelectionIdBuilder = powerbi.visuals.ISelectionIdBuilder;
import ISandboxExtendedColorPalette = powerbi.extensibility.ISandboxExtendedColorPalette;
import VisualConstructorOptions = powerbi.extensibility.visual.VisualConstructorOptions;
import VisualUpdateOptions = powerbi.extensibility.visual.VisualUpdateOptions;

export { OperationKind, UpdateType };

/** A selection ID that says what it selects ("AppCategory#12"), so tests can check which rows a mark selects. */
export class TestSelectionId implements ISelectionId {
    constructor(readonly key: string) { }
    equals(other: ISelectionId): boolean {
        return other instanceof TestSelectionId && other.key === this.key;
    }
    includes(other: ISelectionId): boolean {
        return this.equals(other);
    }
    getKey(): string {
        return this.key;
    }
    getSelector(): powerbi.data.Selector {
        return {} as powerbi.data.Selector;
    }
    getSelectorsByColumn(): powerbi.data.Selector {
        return {} as powerbi.data.Selector;
    }
    hasIdentity(): boolean {
        return true;
    }
}

/**
 * Builds IDs the way Power BI does for a categorical DataView: `withCategory(column, row)` takes the row's identity,
 * which is the same for every category column and fixes all the row's grouping values (see RowIdentity). The
 * key of an ID is that identity's ("AppCategory=\"Webmail\" && AppName=\"Gmail\" && …").
 */
class TestSelectionIdBuilder implements ISelectionIdBuilder {
    private readonly parts: string[] = [];
    withCategory(column: DataViewCategoryColumn, index: number): this {
        const identity: unknown = column.identity?.[index];
        if (!(identity instanceof RowIdentity)) throw new Error(`row ${index} of ${column.source.displayName} has no identity`);
        if (!this.parts.includes(identity.key)) this.parts.push(identity.key);
        return this;
    }
    withSeries(): this {
        return this;
    }
    withMeasure(measureId: string): this {
        this.parts.push(`measure:${measureId}`);
        return this;
    }
    withMatrixNode(): this {
        return this;
    }
    withTable(): this {
        return this;
    }
    createSelectionId(): ISelectionId {
        return new TestSelectionId(this.parts.join("|"));
    }
}

export interface HostOptions {
    readonly width?: number;
    readonly height?: number;
    readonly allowInteractions?: boolean;
    readonly locale?: string;
    readonly highContrast?: boolean;
    /** The report theme's foreground and background (colorPalette), e.g. a dark theme. */
    readonly theme?: { readonly foreground: string; readonly background: string };
    /** What host.fetchMoreData returns (true: the host will deliver another segment). */
    readonly fetchMoreData?: boolean;
    /**
     * The file download API: what downloadService.exportStatus answers (PrivilegeStatus: 0 allowed, 1 not declared,
     * 2 not supported, 3 disabled by the tenant admin; default 0), "no-status" for a host older than API 4.6 (no
     * exportStatus), "missing" for a host without downloadService.
     */
    readonly download?: 0 | 1 | 2 | 3 | "no-status" | "missing";
}

export const HIGH_CONTRAST = { foreground: "#ffff00", background: "#000000", foregroundSelected: "#00ffff" };

let pendingOptions: HostOptions = {};

function prepareDom(options: HostOptions): HTMLElement {
    pendingOptions = options;
    // Panels lay out and scroll as they do in the host.
    addVisualStyleSheet();
    return testDom(options.height ?? 600, options.width ?? 900);
}

/** One applyJsonFilter call, as the host received it. */
export interface AppliedFilter {
    readonly filter: unknown;
    readonly objectName: string;
    readonly propertyName: string;
    /** powerbi.FilterAction: 0 merge, 1 remove. */
    readonly action: number;
}

/**
 * The JSON filter state of the host. As in Power BI, a visual's applyJsonFilter replaces the filter the visual had
 * (PowerBI-visuals issues #263, #520; merge applies, remove or null clears: filter-api docs), and the host hands the
 * current filter back in the `jsonFilters` of every later update ("Restore the JSON filter from the data view").
 */
export class HostFilters {
    readonly calls: AppliedFilter[] = [];
    current: unknown[] = [];

    apply(filter: unknown, objectName: string, propertyName: string, action: number): void {
        this.calls.push({ filter, objectName, propertyName, action });
        if (objectName !== "general" || propertyName !== "filter") {
            throw new Error(`applyJsonFilter on ${objectName}.${propertyName}: capabilities.json declares general.filter`);
        }
        this.current = action === 1 || filter === null || filter === undefined ? [] : ([] as unknown[]).concat(filter);
    }
}

const hostFilters = new WeakMap<MockIVisualHost, HostFilters>();

/** The host's warning icon: what it shows, and every displayWarningIcon call. */
export class HostWarningIcon {
    readonly calls: { hoverText: string; detailedText: string }[] = [];
    /**
     * The icon shown, or null. The docs (visual-display-warning-icon) say how to show the icon, not how to remove
     * it: this host keeps it across updates until the visual calls it with empty texts, the harsher reading.
     */
    shown: { hoverText: string; detailedText: string } | null = null;

    display(hoverText: string, detailedText: string): void {
        this.calls.push({ hoverText, detailedText });
        this.shown = hoverText === "" && detailedText === "" ? null : { hoverText, detailedText };
    }
}

const warningIcons = new WeakMap<MockIVisualHost, HostWarningIcon>();

/**
 * The host's launchUrl and file download API, recording every call. launchUrl (learn.microsoft.com, "Create a launch
 * URL") opens only absolute http and https addresses: others are recorded as ignored. exportVisualsContent
 * ("File download API") takes the documented file types only (txt, csv, json, tmplt, xml, base64 for pdf and xlsx)
 * and files up to 30 MB; anything else rejects, the harsher reading of docs that say nothing of failures.
 */
export class HostServices {
    readonly launched: string[] = [];
    readonly ignoredLaunches: string[] = [];
    readonly downloads: { content: string; fileName: string; fileType: string; fileDescription: string }[] = [];

    launchUrl(url: string): void {
        if (/^https?:\/\/[^/]/i.test(url)) this.launched.push(url);
        else this.ignoredLaunches.push(url);
    }

    exportVisualsContent(content: string, fileName: string, fileType: string, fileDescription: string): Promise<boolean> {
        if (!["txt", "csv", "json", "tmplt", "xml", "base64"].includes(fileType)) {
            return Promise.reject(new Error(`file type ${fileType} is not supported`));
        }
        if (new Blob([content]).size > 30 * 1024 * 1024) return Promise.reject(new Error("the file is over 30 MB"));
        this.downloads.push({ content, fileName, fileType, fileDescription });
        return Promise.resolve(true);
    }
}

const hostServices = new WeakMap<MockIVisualHost, HostServices>();

/**
 * Gives the testutils mock host the parts these tests observe: IDs, filters, localization, capabilities, palette.
 * The screenshot page (test/visual/screenshot/page.ts) sets its host up the same way.
 */
export function configureHost(host: MockIVisualHost, options: HostOptions): void {
    host.createSelectionIdBuilder = () => new TestSelectionIdBuilder();
    const filters = new HostFilters();
    hostFilters.set(host, filters);
    host.applyJsonFilter = (filter, objectName, propertyName, action) => filters.apply(filter, objectName, propertyName, action);
    const warningIcon = new HostWarningIcon();
    warningIcons.set(host, warningIcon);
    host.displayWarningIcon = (hoverText, detailedText) => warningIcon.display(hoverText, detailedText);
    const services = new HostServices();
    hostServices.set(host, services);
    const mutableHost = host as unknown as { launchUrl: unknown; downloadService: unknown };
    mutableHost.launchUrl = (url: string) => services.launchUrl(url);
    const download = options.download ?? 0;
    mutableHost.downloadService = download === "missing" ? undefined : {
        ...(download === "no-status" ? {} : { exportStatus: () => Promise.resolve(download) }),
        exportVisualsContent: (content: string, fileName: string, fileType: string, fileDescription: string) =>
            services.exportVisualsContent(content, fileName, fileType, fileDescription),
    };
    host.hostCapabilities = { allowInteractions: options.allowInteractions ?? true, allowModalDialog: false };
    // The mock's locale setter only knows "en" and "ru": report the requested locale as the host would.
    const locale = options.locale ?? "en-US";
    Object.defineProperty(host, "locale", { get: () => locale, configurable: true });
    const localization = new ResjsonLocalizationManager(options.locale ?? "en-US");
    host.createLocalizationManager = () => localization;
    const fetchResult = options.fetchMoreData ?? true;
    host.fetchMoreData = () => fetchResult;
    const palette = host.colorPalette as ISandboxExtendedColorPalette & { isHighContrast: boolean };
    palette.isHighContrast = options.highContrast ?? false;
    if (options.theme) {
        palette.foreground = { value: options.theme.foreground };
        palette.background = { value: options.theme.background };
    }
    if (options.highContrast) {
        palette.foreground = { value: HIGH_CONTRAST.foreground };
        palette.background = { value: HIGH_CONTRAST.background };
        palette.foregroundSelected = { value: HIGH_CONTRAST.foregroundSelected };
    }
}

export class ShadowItBuilder extends VisualBuilderBase<Visual> {
    constructor(readonly options: HostOptions = {}) {
        super(options.width ?? 900, options.height ?? 600, undefined, prepareDom(options));
    }

    protected build(options: VisualConstructorOptions): Visual {
        configureHost(options.host as unknown as MockIVisualHost, pendingOptions);
        return new Visual(options);
    }

    get instance(): Visual {
        return this.visual;
    }

    get host(): MockIVisualHost {
        return this.visualHost as unknown as MockIVisualHost;
    }

    /** The host's JSON filter state: what the visual applied, and what later updates hand back. */
    get filters(): HostFilters {
        const filters = hostFilters.get(this.host);
        if (!filters) throw new Error("the host was not configured");
        return filters;
    }

    /** The host's launchUrl and download calls. */
    get services(): HostServices {
        const services = hostServices.get(this.host);
        if (!services) throw new Error("the host was not configured");
        return services;
    }

    /** The host's warning icon. */
    get warningIcon(): HostWarningIcon {
        const icon = warningIcons.get(this.host);
        if (!icon) throw new Error("the host was not configured");
        return icon;
    }

    /** An update as Power BI sends it: with the host's current JSON filters unless `extra` gives others (a bookmark). */
    updateWith(dataViews: DataView[], extra: Partial<VisualUpdateOptions> = {}): void {
        this.visual.update({
            dataViews, viewport: this.viewport, type: UpdateType.Data, jsonFilters: [...this.filters.current], ...extra,
        } as VisualUpdateOptions);
    }

    render(dataView: DataView, extra: Partial<VisualUpdateOptions> = {}): void {
        this.updateWith([dataView], extra);
    }

    get root(): HTMLElement {
        const root = this.element.querySelector<HTMLElement>(".shadowit");
        if (!root) throw new Error("the visual did not create its .shadowit root");
        return root;
    }

    panel(id: string): HTMLElement | null {
        return this.element.querySelector<HTMLElement>(`[data-panel="${id}"]`);
    }

    marks(panelId: string): HTMLElement[] {
        const panel = this.panel(panelId);
        return panel ? Array.from(panel.querySelectorAll<HTMLElement>(".shadowit-mark")) : [];
    }

    labels(panelId: string): string[] {
        return this.marks(panelId).map(m => m.getAttribute("aria-label") ?? "");
    }

    /** The panel's scrolling body, scrolled to `top` with its scroll listener run at once (the browser's runs later). */
    scrollPanel(panelId: string, top: number): HTMLElement {
        const body = this.panel(panelId)?.querySelector<HTMLElement>(".shadowit-body");
        if (!body) throw new Error(`no panel body for ${panelId}`);
        body.scrollTop = top;
        body.dispatchEvent(new Event("scroll"));
        return body;
    }

    /**
     * The labels of every row of a panel that draws only the rows in view, in list order: scrolls the panel
     * through by half its height, then back to the top.
     */
    scrolledLabels(panelId: string): string[] {
        const byPosition = new Map<number, string>();
        const body = this.scrollPanel(panelId, 0);
        for (let top = 0; ; top += Math.max(1, Math.floor(body.clientHeight / 2))) {
            this.scrollPanel(panelId, top);
            this.marks(panelId).forEach((mark, i) => {
                byPosition.set(Number(mark.getAttribute("aria-posinset") ?? i + 1), mark.getAttribute("aria-label") ?? "");
            });
            if (body.scrollTop + body.clientHeight >= body.scrollHeight) break;
        }
        this.scrollPanel(panelId, 0);
        return [...byPosition.entries()].sort((a, b) => a[0] - b[0]).map(([, label]) => label);
    }

    mark(panelId: string, labelPrefix: string): HTMLElement {
        const found = this.marks(panelId).find(m => (m.getAttribute("aria-label") ?? "").startsWith(labelPrefix));
        if (!found) throw new Error(`no mark in ${panelId} starting with "${labelPrefix}": ${this.labels(panelId).join(" | ")}`);
        return found;
    }

    note(): string {
        const note = this.element.querySelector<HTMLElement>(".shadowit-note");
        return note && note.style.display !== "none" ? note.textContent ?? "" : "";
    }

    remove(): void {
        this.destroy();
        this.element.remove();
    }
}

/** Lets promise callbacks (selection manager results) run before asserting. */
export function flushPromises(): Promise<void> {
    return new Promise(resolve => setTimeout(resolve, 0));
}
