// The preview page: loads the packaged visual's bundle, hosts it as Power BI would, and offers the report
// author's controls (field wells, formatting, tile size, locale, high contrast) plus a selection log.
import type powerbi from "powerbi-visuals-api";
import { PreviewDataset, assertDataset } from "./dataset.ts";
import { GroupedTable, SegmentCursor, categoricalDataView, groupDataset, isBindable, isBoundAtStart, windowCountOf, GROUPING_SOURCES } from "./dataview.ts";
import { RenderState, createHost } from "./host.ts";
import { JsonFilter, describeFilter, filtersOf, reportSlice } from "./report-filter.ts";
import { OperationKind, UpdateType } from "../update-kinds.ts";
import { visibleText } from "../model/visible-text.ts";

type IVisual = powerbi.extensibility.visual.IVisual;
type DataViewObjects = powerbi.DataViewObjects;

interface CapabilityProperty {
    readonly displayName?: string;
    readonly description?: string;
    readonly type?: {
        readonly integer?: boolean; readonly numeric?: boolean; readonly bool?: boolean; readonly text?: boolean;
        readonly enumeration?: readonly { value: string; displayName?: string }[];
        readonly fill?: unknown; readonly formatting?: { fontSize?: boolean };
    };
}

interface VisualMeta {
    readonly guid: string;
    readonly displayName: string;
    readonly version: string;
    readonly apiVersion: string;
    readonly capabilities: {
        readonly dataRoles?: readonly { name: string; displayName?: string; kind?: string | number }[];
        readonly objects?: Readonly<Record<string, { displayName?: string; properties?: Readonly<Record<string, CapabilityProperty>> }>>;
        readonly dataViewMappings?: readonly unknown[];
    };
    readonly stringResources: Record<string, Record<string, string>>;
    readonly windowSize: number | null;
    readonly source: string;
}

interface VisualPlugin {
    create(options: powerbi.extensibility.visual.VisualConstructorOptions): IVisual;
}

const RESIZE_END_DELAY_MS = 250;
/** Rows an incremental segment repeats from the previous one (the docs promise "some overlap"). */
const SEGMENT_OVERLAP = 1;

function element<T extends HTMLElement>(id: string): T {
    const found = document.getElementById(id);
    if (!found) throw new Error(`the page lacks #${id}`);
    return found as T;
}

function setRenderState(state: RenderState | "loading"): void {
    document.documentElement.dataset.renderState = state;
}

async function fetchJson(path: string): Promise<unknown> {
    const response = await fetch(path);
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
}

function loadScript(src: string): Promise<void> {
    return new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = src;
        script.onload = () => resolve();
        script.onerror = () => reject(new Error(`could not load ${src}`));
        document.head.appendChild(script);
    });
}

class PreviewPage {
    private visual: IVisual | null = null;
    private readonly bound = new Set<string>();
    private objects: DataViewObjects = {};
    private table: GroupedTable | null = null;
    private cursor: SegmentCursor | null = null;
    private fetchPending = false;
    private segmentsDelivered = 0;
    /** True once the visual asked for incremental segments (fetchMoreData(false)); a new query resets it. */
    private incremental = false;
    /** The visual's JSON filter as the host keeps it, handed back in every update's jsonFilters. */
    private jsonFilters: JsonFilter[] = [];
    /** The last non-empty filter: what "Apply bookmark" restores. */
    private bookmarkedFilters: JsonFilter[] = [];
    private viewport = { width: 0, height: 0 };
    private resizeEndTimer: number | undefined;
    private resizeEnds = 0;
    private readonly windowSize: number;
    private readonly roleNames: Record<string, string> = {};

    constructor(private readonly meta: VisualMeta, private readonly dataset: PreviewDataset, private readonly plugin: VisualPlugin) {
        const requested = Number(new URLSearchParams(location.search).get("window"));
        this.windowSize = Number.isInteger(requested) && requested >= 2 ? requested : meta.windowSize ?? windowCountOf(meta.capabilities);
        for (const role of meta.capabilities.dataRoles ?? []) {
            this.roleNames[role.name] = role.displayName ?? role.name;
            if (isBoundAtStart(role.name)) this.bound.add(role.name);
        }
    }

    start(): void {
        element("source").textContent = `${this.meta.displayName} ${this.meta.version} (API ${this.meta.apiVersion}) on ` +
            `${this.dataset.rowCount.toLocaleString("en-US")} rows: ${this.dataset.source}`;
        this.buildWells();
        this.buildFormatPane();
        this.wireHostControls();
        this.wireFrame();
        this.showFilters();
        this.createVisual();
    }

    private log(message: string): void {
        const list = element<HTMLUListElement>("event-log");
        const item = document.createElement("li");
        // Messages can quote names from the data (a context menu's items): invisible characters are shown as escapes.
        item.textContent = `${new Date().toLocaleTimeString("en-GB")} ${visibleText(message)}`;
        list.prepend(item);
        while (list.childElementCount > 60) list.lastElementChild?.remove();
    }

    private readViewport(): { width: number; height: number } {
        const host = element("visual");
        return { width: host.clientWidth, height: host.clientHeight };
    }

    private createVisual(): void {
        if (this.visual?.destroy) this.visual.destroy();
        const container = element("visual");
        container.replaceChildren();
        const locale = element<HTMLSelectElement>("locale").value;
        const highContrast = element<HTMLInputElement>("high-contrast").checked;
        const allowInteractions = element<HTMLInputElement>("allow-interactions").checked;
        element("frame").classList.toggle("high-contrast", highContrast);
        this.showWarningIcon("", "");
        const { host } = createHost({
            locale, highContrast, allowInteractions,
            stringResources: this.meta.stringResources,
            tooltipLayer: element("tooltip"),
            selection: {
                onSelectionChanged: ids => this.log(`selection manager: ${ids.length > 0 ? ids.map(id => id.describe()).join("; ") : "cleared"}`),
                onContextMenu: (ids, position) => this.log(`context menu at ${Math.round(position.x)},${Math.round(position.y)} on ` +
                    (ids.length > 0 ? ids.map(id => id.describe()).join("; ") : "empty space")),
            },
            onRenderState: (state, reason) => {
                setRenderState(state);
                if (state !== "started") this.log(`rendering ${state}${reason ? `: ${reason}` : ""}`);
            },
            fetchMoreData: aggregate => this.fetchMoreData(aggregate),
            applyJsonFilter: (filter, objectName, propertyName, action) => this.applyJsonFilter(filter, objectName, propertyName, action),
            persistProperties: changes => this.persist(changes),
            displayWarningIcon: (hoverText, detailedText) => this.showWarningIcon(hoverText, detailedText),
            log: message => this.log(message),
        });
        try {
            this.visual = this.plugin.create({ element: container, host });
        } catch (error) {
            this.fail("the visual's constructor threw", error);
            return;
        }
        this.log(`visual created (locale ${locale}${highContrast ? ", high contrast" : ""}${allowInteractions ? "" : ", interactions off"})`);
        this.viewport = this.readViewport();
        this.sendData();
    }

    /** The visual header's warning icon, drawn under the frame with its texts; empty texts remove it. */
    private showWarningIcon(hoverText: string, detailedText: string): void {
        const shown = hoverText !== "" || detailedText !== "";
        const icon = element("warning-icon");
        icon.hidden = !shown;
        icon.title = hoverText;
        element("warning-hover").textContent = hoverText;
        element("warning-detail").textContent = detailedText;
        document.documentElement.dataset.warningIcon = shown ? hoverText : "";
        if (shown && document.documentElement.dataset.warningDetail !== detailedText) this.log(`warning icon: ${hoverText}`);
        document.documentElement.dataset.warningDetail = shown ? detailedText : "";
    }

    private fail(what: string, error: unknown): void {
        setRenderState("failed");
        const reason = error instanceof Error ? error.message : String(error);
        this.log(`${what}: ${reason}`);
        element("status").textContent = `${what}: ${reason}`;
    }

    /** Regroups the dataset for the bound roles and sends the first window, as Power BI does after a field change. */
    private sendData(): void {
        const roles = (this.meta.capabilities.dataRoles ?? []).map(r => r.name).filter(name => this.bound.has(name));
        const groupingRoles = roles.filter(name => name in GROUPING_SOURCES);
        const measureRoles = roles.filter(name => !(name in GROUPING_SOURCES));
        if (roles.length === 0) {
            this.table = null;
            this.cursor = null;
        } else {
            this.table = groupDataset(this.dataset, groupingRoles, measureRoles);
            this.cursor = new SegmentCursor(this.table.rowCount, this.windowSize);
        }
        this.fetchPending = false;
        this.incremental = false;
        this.segmentsDelivered = this.table ? 1 : 0;
        this.update(UpdateType.Data, OperationKind.Create, this.table ? 0 : null, this.cursor?.loadedRows ?? 0);
    }

    /**
     * The update after a formatting change. In segments aggregation mode the host sends every row loaded so far
     * again. In incremental mode it cannot (it does not keep the segments: "the visual keeps the data view passed to
     * it"), so the preview errs on the harsh side and starts a new query: the first window again, operationKind
     * Create, and the visual has to fetch the rest once more (Power BI's behaviour here is undocumented;
     * microsoft/powerbi-visuals-api issue #100 reports a segment marker after persistProperties).
     */
    private sendAfterFormatChange(): void {
        if (this.incremental && this.table) {
            this.sendData();
            return;
        }
        this.update(UpdateType.Data, OperationKind.Create, this.table ? 0 : null, this.cursor?.loadedRows ?? 0);
    }

    private fetchMoreData(aggregateSegments: boolean): boolean {
        const cursor = this.cursor;
        const table = this.table;
        if (!cursor || !table || this.fetchPending || !cursor.hasMore) return false;
        if (element<HTMLInputElement>("stall-segments").checked) {
            // microsoft/PowerBI-visuals-tools #348: the request is accepted and nothing ever comes.
            this.log(`fetchMoreData(${aggregateSegments}) accepted; no segment will follow (stalled)`);
            return true;
        }
        this.fetchPending = true;
        window.setTimeout(() => {
            this.fetchPending = false;
            if (this.cursor !== cursor) return; // fields changed meanwhile
            const range = cursor.advance();
            if (!range) return;
            this.segmentsDelivered++;
            this.log(`fetchMoreData(${aggregateSegments}): rows ${range.start + 1}–${range.end} of ${table.rowCount}`);
            this.incremental = !aggregateSegments;
            if (aggregateSegments) this.update(UpdateType.Data, OperationKind.Append, 0, range.end);
            else {
                // Incremental mode: only the new rows, after one row repeated from the previous segment (lastMergeIndex 0).
                const overlap = Math.min(SEGMENT_OVERLAP, range.start);
                this.update(UpdateType.Data, OperationKind.Segment, range.start - overlap, range.end, overlap);
            }
        }, 0);
        return true;
    }

    /**
     * The host's side of applyJsonFilter: the filter replaces the visual's previous one (a null filter or
     * FilterAction.remove clears it), the rest of the report is filtered (report-filter.ts), and the visual gets
     * the filter back in the jsonFilters of an update, as after a bookmark. Its own DataView is not filtered.
     */
    private applyJsonFilter(filter: unknown, objectName: string, propertyName: string, action: number): void {
        const declared = this.meta.capabilities.objects?.[objectName]?.properties?.[propertyName] as { type?: { filter?: boolean } } | undefined;
        if (!declared?.type?.filter) {
            this.log(`applyJsonFilter refused: ${objectName}.${propertyName} is not a property of type filter in capabilities.json`);
            return;
        }
        const next = action === 1 ? [] : filtersOf(filter);
        this.log(`applyJsonFilter(${action === 1 ? "remove" : "merge"}): ${JSON.stringify(filter)}`);
        this.jsonFilters = next;
        if (next.length > 0) this.bookmarkedFilters = next;
        this.showFilters();
        window.setTimeout(() => this.resendWithFilters(), 0);
    }

    /** The current DataView again, with the host's filters: the visual's own data does not change. */
    private resendWithFilters(): void {
        if (!this.visual) return;
        const options = {
            viewport: { ...this.viewport }, dataViews: this.lastDataViews, type: UpdateType.Data, viewMode: 0, editMode: 0,
            isInFocus: false, jsonFilters: [...this.jsonFilters],
        } as unknown as powerbi.extensibility.visual.VisualUpdateOptions;
        try {
            this.visual.update(options);
        } catch (error) {
            this.fail("update threw", error);
        }
    }

    /** Sends one update; `start === null` means no field is bound (no DataView). */
    private update(type: number, operationKind: number | undefined, start: number | null, end: number, overlap = 0): void {
        if (!this.visual) return;
        const dataViews = start === null || !this.table ? [] : [categoricalDataView(this.table, {
            start, end, objects: this.objects, displayNames: this.roleNames, overlap,
        })];
        const options = {
            viewport: { ...this.viewport }, dataViews, type, operationKind, viewMode: 0, editMode: 0, isInFocus: false, formatMode: false,
            jsonFilters: [...this.jsonFilters],
        } as unknown as powerbi.extensibility.visual.VisualUpdateOptions;
        this.lastDataViews = dataViews;
        this.showStatus();
        try {
            this.visual.update(options);
        } catch (error) {
            this.fail("update threw", error);
        }
    }

    private lastDataViews: powerbi.DataView[] = [];

    /** Size-only update with the current DataView, as Power BI sends while a tile is resized. */
    private resize(type: number): void {
        if (!this.visual) return;
        const options = {
            viewport: { ...this.viewport }, dataViews: this.lastDataViews, type, viewMode: 0, editMode: 0, isInFocus: false,
            jsonFilters: [...this.jsonFilters],
        } as unknown as powerbi.extensibility.visual.VisualUpdateOptions;
        element("viewport").textContent = `${this.viewport.width} × ${this.viewport.height}`;
        try {
            this.visual.update(options);
        } catch (error) {
            this.fail("update threw", error);
        }
    }

    private showStatus(): void {
        const root = document.documentElement;
        const loaded = this.cursor?.loadedRows ?? 0;
        const total = this.table?.rowCount ?? 0;
        root.dataset.loadedRows = String(loaded);
        root.dataset.totalRows = String(total);
        root.dataset.moreSegments = String(this.cursor?.hasMore ?? false);
        element("status").textContent = this.table
            ? `DataView: ${loaded.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} grouped rows in ` +
              `${this.segmentsDelivered} segment${this.segmentsDelivered === 1 ? "" : "s"} (window ${this.windowSize.toLocaleString("en-US")})`
            : "No field bound: the visual shows its landing page.";
        element("viewport").textContent = `${this.viewport.width} × ${this.viewport.height}`;
    }

    /** The selection log: the visual's filters, and what the rest of the report keeps under them. */
    private showFilters(): void {
        const list = element<HTMLUListElement>("selection-log");
        list.replaceChildren();
        const filters = this.jsonFilters;
        if (filters.length === 0) {
            const item = document.createElement("li");
            item.className = "muted";
            item.textContent = "No filter: the report shows every row";
            list.appendChild(item);
        }
        for (const filter of filters) {
            const item = document.createElement("li");
            item.className = "selected-item";
            item.textContent = visibleText(describeFilter(filter, this.roleNames));
            list.appendChild(item);
        }
        const slice = element("report-slice");
        const root = document.documentElement;
        try {
            const kept = reportSlice(this.dataset, filters);
            const bytes = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 }).format(kept.totalBytes);
            slice.textContent = `Other visuals of the page: ${kept.rows.toLocaleString("en-US")} of ` +
                `${this.dataset.rowCount.toLocaleString("en-US")} rows, ${kept.apps.toLocaleString("en-US")} apps, ${bytes} bytes`;
            root.dataset.reportRows = String(kept.rows);
        } catch (error) {
            slice.textContent = `The report refuses the filter: ${error instanceof Error ? error.message : String(error)}`;
            root.dataset.reportRows = "error";
            this.log(slice.textContent);
        }
        root.dataset.selectionCount = String(filters.length);
    }

    private buildWells(): void {
        const wells = element("wells");
        for (const role of this.meta.capabilities.dataRoles ?? []) {
            const label = document.createElement("label");
            const box = document.createElement("input");
            box.type = "checkbox";
            box.dataset.role = role.name;
            const bindable = isBindable(role.name);
            box.checked = this.bound.has(role.name);
            box.disabled = !bindable;
            const text = document.createElement("span");
            const kind = role.kind === "Grouping" || role.kind === 0 ? "grouping" : "measure";
            text.textContent = `${role.displayName ?? role.name} (${bindable ? kind : "not in the sample"})`;
            if (!bindable) label.classList.add("unavailable");
            box.addEventListener("change", () => {
                if (box.checked) this.bound.add(role.name);
                else this.bound.delete(role.name);
                this.log(`${box.checked ? "bound" : "unbound"} ${role.name}`);
                this.sendData();
            });
            label.append(box, text);
            wells.appendChild(label);
        }
    }

    private buildFormatPane(): void {
        const form = element<HTMLFormElement>("format");
        form.addEventListener("submit", event => event.preventDefault());
        for (const [objectName, object] of Object.entries(this.meta.capabilities.objects ?? {})) {
            const fieldset = document.createElement("fieldset");
            const legend = document.createElement("legend");
            legend.textContent = object.displayName ?? objectName;
            fieldset.appendChild(legend);
            for (const [propertyName, property] of Object.entries(object.properties ?? {})) {
                const control = this.formatControl(objectName, propertyName, property);
                if (control) fieldset.appendChild(control);
            }
            form.appendChild(fieldset);
        }
    }

    private setObject(objectName: string, propertyName: string, value: powerbi.DataViewPropertyValue | undefined): void {
        const object = { ...(this.objects[objectName] ?? {}) };
        if (value === undefined) delete object[propertyName];
        else object[propertyName] = value;
        this.objects = { ...this.objects, [objectName]: object };
        this.log(`format ${objectName}.${propertyName} = ${value === undefined ? "(default)" : JSON.stringify(value)}`);
        this.sendAfterFormatChange();
    }

    private formatControl(objectName: string, propertyName: string, property: CapabilityProperty): HTMLElement | null {
        const type = property.type ?? {};
        const label = document.createElement("label");
        const text = document.createElement("span");
        text.textContent = property.displayName ?? propertyName;
        if (property.description) label.title = property.description;
        label.appendChild(text);
        let input: HTMLInputElement | HTMLSelectElement;
        if (type.enumeration) {
            const select = document.createElement("select");
            const fallback = document.createElement("option");
            fallback.value = "";
            fallback.textContent = "(default)";
            select.appendChild(fallback);
            for (const member of type.enumeration) {
                const option = document.createElement("option");
                option.value = member.value;
                option.textContent = member.displayName ?? member.value;
                select.appendChild(option);
            }
            select.addEventListener("change", () => this.setObject(objectName, propertyName, select.value === "" ? undefined : select.value));
            input = select;
        } else if (type.bool) {
            const box = document.createElement("input");
            box.type = "checkbox";
            box.checked = true;
            box.addEventListener("change", () => this.setObject(objectName, propertyName, box.checked));
            input = box;
        } else if (type.fill) {
            const picker = document.createElement("input");
            picker.type = "color";
            picker.addEventListener("change", () => this.setObject(objectName, propertyName, { solid: { color: picker.value } }));
            input = picker;
        } else if (type.integer || type.numeric || type.formatting?.fontSize) {
            const number = document.createElement("input");
            number.type = "number";
            number.placeholder = "default";
            number.step = type.integer ? "1" : "any";
            number.addEventListener("change", () => {
                const value = number.value.trim() === "" ? undefined : Number(number.value);
                this.setObject(objectName, propertyName, value !== undefined && Number.isFinite(value) ? value : undefined);
            });
            input = number;
        } else {
            const field = document.createElement("input");
            field.type = "text";
            field.addEventListener("change", () => this.setObject(objectName, propertyName, field.value === "" ? undefined : field.value));
            input = field;
        }
        input.name = `${objectName}.${propertyName}`;
        label.appendChild(input);
        return label;
    }

    private persist(changes: powerbi.VisualObjectInstancesToPersist): void {
        const next: DataViewObjects = { ...this.objects };
        for (const instance of [...(changes.merge ?? []), ...(changes.replace ?? [])]) {
            next[instance.objectName] = { ...(next[instance.objectName] ?? {}), ...(instance.properties as Record<string, powerbi.DataViewPropertyValue>) };
        }
        for (const instance of changes.remove ?? []) {
            const object = { ...(next[instance.objectName] ?? {}) };
            for (const name of Object.keys(instance.properties ?? {})) delete object[name];
            next[instance.objectName] = object;
        }
        this.objects = next;
        this.log(`persistProperties: ${JSON.stringify(changes).slice(0, 200)}`);
        this.sendAfterFormatChange();
    }

    private wireHostControls(): void {
        for (const id of ["locale", "high-contrast", "allow-interactions"]) {
            // Power BI creates the visual anew when the host's locale, theme mode or capabilities change.
            element(id).addEventListener("change", () => this.createVisual());
        }
        element("restore-selection").addEventListener("click", () => {
            // A bookmark restores the visual's filter: the report is filtered again and the visual gets it back
            // in the jsonFilters of an update ("Add bookmark support", learn.microsoft.com).
            this.jsonFilters = [...this.bookmarkedFilters];
            this.log(`bookmark applied: ${this.jsonFilters.length} filter${this.jsonFilters.length === 1 ? "" : "s"}`);
            this.showFilters();
            this.resendWithFilters();
        });
    }

    private wireFrame(): void {
        const frame = element("frame");
        for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>("button[data-size]"))) {
            button.addEventListener("click", () => {
                const [width, height] = (button.dataset.size ?? "").split("x").map(Number);
                frame.style.width = `${width}px`;
                frame.style.height = `${height}px`;
            });
        }
        new ResizeObserver(() => {
            const next = this.readViewport();
            if (next.width === this.viewport.width && next.height === this.viewport.height) return;
            this.viewport = next;
            document.documentElement.dataset.resizing = "true";
            this.resize(UpdateType.Resize);
            window.clearTimeout(this.resizeEndTimer);
            this.resizeEndTimer = window.setTimeout(() => {
                this.resize(UpdateType.ResizeEnd);
                this.resizeEnds++;
                document.documentElement.dataset.resizing = "false";
                document.documentElement.dataset.resizeEnds = String(this.resizeEnds);
            }, RESIZE_END_DELAY_MS);
        }).observe(frame);
    }
}

async function main(): Promise<void> {
    setRenderState("loading");
    try {
        const [meta, data] = await Promise.all([fetchJson("/visual/meta.json"), fetchJson("/data.json")]);
        assertDataset(data);
        const visualMeta = meta as VisualMeta;
        const global = window as unknown as { powerbi?: { visuals?: { plugins?: Record<string, VisualPlugin> } } };
        global.powerbi = { visuals: { plugins: {} } };
        await loadScript("/visual/visual.js");
        const plugin = global.powerbi.visuals?.plugins?.[visualMeta.guid];
        if (!plugin) throw new Error(`the bundle did not register powerbi.visuals.plugins["${visualMeta.guid}"]`);
        new PreviewPage(visualMeta, data, plugin).start();
    } catch (error) {
        setRenderState("failed");
        element("status").textContent = `The preview could not start: ${error instanceof Error ? error.message : String(error)}`;
    }
}

void main();
