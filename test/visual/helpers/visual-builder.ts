import powerbi from "powerbi-visuals-api";
import { MockIVisualHost, testDom, VisualBuilderBase } from "powerbi-visuals-utils-testutils";
import { OperationKind, UpdateType } from "../../../src/update-kinds";
import { Visual } from "../../../src/visual";
import { HostFilters, HostServices, HostWarningIcon, TestSelectionIdBuilder } from "../../fixtures/host";
import { ResjsonLocalizationManager } from "./localization";
import { addVisualStyleSheet } from "./stylesheet";
import DataView = powerbi.DataView;
import ISandboxExtendedColorPalette = powerbi.extensibility.ISandboxExtendedColorPalette;
import VisualConstructorOptions = powerbi.extensibility.visual.VisualConstructorOptions;
import VisualUpdateOptions = powerbi.extensibility.visual.VisualUpdateOptions;

export { OperationKind, UpdateType };
export { HostFilters, HostServices, HostWarningIcon, TestSelectionId } from "../../fixtures/host";
export type { AppliedFilter } from "../../fixtures/host";

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

const hostFilters = new WeakMap<MockIVisualHost, HostFilters>();

const warningIcons = new WeakMap<MockIVisualHost, HostWarningIcon>();

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
