/// <reference lib="dom" />
/*
 * A minimal Power BI visual host for the benchmark page: enough of IVisualHost for the visual to render and for
 * the page to observe its rendering events and its fetchMoreData calls. Selection IDs, the JSON filter, the warning
 * icon and launchUrl are the tests' fake host's (test/fixtures/host.ts); selections and tooltips are accepted and
 * ignored; nothing here takes part in the timings beyond forwarding events.
 */

import { HostFilters, HostServices, HostWarningIcon, TestSelectionId, TestSelectionIdBuilder } from "../../test/fixtures/host";

export interface RenderEvents {
    started(): void;
    finished(): void;
    failed(reason: string): void;
}

export interface FetchMoreDataListener {
    /** Returns whether the host accepts the request (false at the row limit). */
    (aggregateSegments: boolean): boolean;
}

class BenchSelectionManager {
    private ids: TestSelectionId[] = [];
    private callback: ((ids: TestSelectionId[]) => void) | null = null;
    select(ids: TestSelectionId | TestSelectionId[], multiSelect = false): Promise<TestSelectionId[]> {
        const list = Array.isArray(ids) ? ids : [ids];
        this.ids = multiSelect ? [...this.ids, ...list] : list;
        return Promise.resolve(this.ids);
    }
    clear(): Promise<void> { this.ids = []; return Promise.resolve(); }
    getSelectionIds(): TestSelectionId[] { return this.ids; }
    hasSelection(): boolean { return this.ids.length > 0; }
    registerOnSelectCallback(callback: (ids: TestSelectionId[]) => void): void { this.callback = callback; }
    showContextMenu(): Promise<void> { return Promise.resolve(); }
    toggleExpandCollapse(): Promise<void> { return Promise.resolve(); }
    applySelectionFilter(): void { /* no report to filter */ }
    notifyRestored(): void { this.callback?.(this.ids); }
}

const THEME = ["#118DFF", "#12239E", "#E66C37", "#6B007B", "#E044A7", "#744EC2", "#D9B300", "#D64550", "#197278",
    "#1AAB40"];

function colorPalette(): object {
    const assigned = new Map<string, string>();
    const fixed: Record<string, unknown> = {
        isHighContrast: false,
        getColor(key: string) {
            if (!assigned.has(key)) assigned.set(key, THEME[assigned.size % THEME.length]);
            return { value: assigned.get(key) };
        },
        reset() { assigned.clear(); return this; },
        foreground: { value: "#252423" },
        foregroundLight: { value: "#605E5C" },
        foregroundDark: { value: "#201F1E" },
        foregroundNeutralLight: { value: "#C8C6C4" },
        foregroundNeutralDark: { value: "#323130" },
        foregroundNeutralSecondary: { value: "#605E5C" },
        foregroundNeutralSecondaryAlt: { value: "#8A8886" },
        foregroundNeutralSecondaryAlt2: { value: "#A19F9D" },
        foregroundNeutralTertiary: { value: "#B3B0AD" },
        foregroundNeutralTertiaryAlt: { value: "#C8C6C4" },
        foregroundSelected: { value: "#252423" },
        foregroundButton: { value: "#252423" },
        background: { value: "#FFFFFF" },
        backgroundLight: { value: "#F3F2F1" },
        backgroundNeutral: { value: "#E1DFDD" },
        backgroundDark: { value: "#C8C6C4" },
        hyperlink: { value: "#0078D4" },
        visitedHyperlink: { value: "#0078D4" },
        mapPushpin: { value: "#E81123" },
        shapeStroke: { value: "#E1DFDD" },
        selection: { value: "#0078D4" },
        separator: { value: "#E1DFDD" },
        negative: { value: "#D64550" },
        neutral: { value: "#D9B300" },
        positive: { value: "#1AAB40" },
    };
    return new Proxy(fixed, {
        get(target, property: string | symbol) {
            if (typeof property === "string" && !(property in target)) return { value: "#605E5C" };
            return Reflect.get(target, property);
        },
    });
}

export function createHost(
    events: RenderEvents,
    onFetchMoreData: FetchMoreDataListener,
    strings: Readonly<Record<string, string>>,
): object {
    const selectionManager = new BenchSelectionManager();
    const filters = new HostFilters();
    const warningIcon = new HostWarningIcon();
    const services = new HostServices();
    return {
        locale: "en-US",
        allowInteractions: true,
        instanceId: "bench",
        hostCapabilities: { allowInteractions: true, allowModalDialog: false },
        colorPalette: colorPalette(),
        createSelectionIdBuilder: () => new TestSelectionIdBuilder(),
        createSelectionManager: () => selectionManager,
        createLocalizationManager: () => ({ getDisplayName: (key: string) => strings[key] ?? key }),
        tooltipService: { enabled: () => true, show() { /* ignored */ }, move() { /* ignored */ }, hide() { /* ignored */ } },
        eventService: {
            renderingStarted: () => events.started(),
            renderingFinished: () => events.finished(),
            renderingFailed: (_options: unknown, reason?: string) => events.failed(reason ?? "renderingFailed"),
        },
        fetchMoreData: (aggregateSegments = true) => onFetchMoreData(aggregateSegments),
        persistProperties() { /* no report */ },
        applyJsonFilter: (filter: unknown, objectName: string, propertyName: string, action: number) =>
            filters.apply(filter, objectName, propertyName, action),
        refreshHostData() { /* no dataset */ },
        launchUrl: (url: string) => services.launchUrl(url),
        displayWarningIcon: (hoverText: string, detailedText: string) => warningIcon.display(hoverText, detailedText),
        setCanDrill() { /* no hierarchy */ },
        switchFocusModeState() { /* no focus mode */ },
        licenseManager: {
            getAvailableServicePlans: () => Promise.resolve({ plans: [], isLicenseUnsupportedEnv: false, isLicenseInfoAvailable: true }),
            notifyLicenseRequired: () => Promise.resolve(false),
            notifyFeatureBlocked: () => Promise.resolve(false),
            clearLicenseNotification: () => Promise.resolve(true),
        },
        storageService: { get: () => Promise.reject(new Error("no storage")), set: () => Promise.resolve(0), remove() { /* none */ } },
        telemetry: { trace() { /* none */ } },
        hostEnv: 1,
    };
}
