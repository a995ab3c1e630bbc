/// <reference lib="dom" />
/*
 * The benchmark page: hosts the packaged visual (its content.js registers itself under
 * window.powerbi.visuals.plugins[guid]) and a Vega-Lite view of the same charts, and exposes timed operations to
 * the Node driver as window.bench. Data is generated here, from the same deterministic rows, outside the timings.
 */
import * as vega from "vega";
import { compile } from "vega-lite";
import { discoveryRows, DiscoveryRow } from "../data/discoveryRows";
import { userDayRows, UserDayRow } from "../data/userDayRows";
import { APP_GROUPINGS, BenchDataView, buildDataView, EVERY_GROUPING, GrowingDataView } from "./dataView";
import { createHost } from "./host";
import { dashboardSpec, VEGA_DATASET } from "./vegaCharts";
import { OperationKind, UpdateType } from "../../src/update-kinds";

interface VisualInstance {
    update(options: object): void;
    destroy?(): void;
}

interface VisualPlugin {
    create(options: { element: HTMLElement; host: object }): VisualInstance;
}

interface PowerBiGlobal {
    visuals: { plugins: Record<string, VisualPlugin> };
}

const VIEWPORT = { width: 1200, height: 800 };

/**
 * How the bench host answers fetchMoreData. "aggregate": as Power BI in segments aggregation mode
 * (fetchMoreData(true), what the visual asked for before it loaded incrementally): every update holds every row so
 * far (operationKind Append). "requested": as Power BI answers the visual's own request; for fetchMoreData(false),
 * only the next segment (operationKind Segment), its first row repeated from the previous one (lastMergeIndex 0).
 */
export type HostMode = "aggregate" | "requested";

export interface ScaleResult {
    readonly mode: HostMode;
    readonly rowsLoaded: number;
    readonly segments: number;
    /** update() until the visual has finished with the update (renderingFinished, or returned having asked for more). */
    readonly foldMs: number[];
    /** Sum of foldMs: the visual's own time. */
    readonly totalMs: number;
    /** Per update, the host's side: building the DataView it hands over and the structured clone that posts it. */
    readonly hostMs: number[];
    /** Sum of hostMs. */
    readonly hostTotalMs: number;
    /** Rows the host posted to the visual, all updates together. */
    readonly rowsPosted: number;
    /** First update() to last renderingFinished, including the page's segment generation. */
    readonly wallMs: number;
    readonly aggregateSegments: boolean | null;
    readonly stoppedBecause: string;
}

const w = window as unknown as { powerbi: PowerBiGlobal; bench: unknown };
w.powerbi = { visuals: { plugins: {} } };

let strings: Record<string, string> = {};

/**
 * Full collections before each timed run (Chromium runs with --js-flags=--expose-gc), so that neither side pays
 * for garbage the page or the other side made. One is not enough: a collection sweeps what it freed lazily, on
 * later allocations, so the next run's first DOM nodes would pay for sweeping the last run's. Freeing Vega's SVG
 * measurably slowed the creation of the next 600 rows of elements (4.0 ms against 2.3 ms). A second collection
 * must finish that sweep before it starts, and leaves nothing for the timed run.
 */
function collectGarbage(): void {
    const gc = (window as unknown as { gc?: () => void }).gc;
    gc?.();
    gc?.();
}
let pluginGuid = "";
/** The registered panels (src/panels/registry.ts), given by the driver: Vega-Lite draws a spec for each. */
let panelIds: readonly string[] = [];
const rowCache = new Map<number, UserDayRow[]>();

/** The render benchmark's rows: user × day grain, every role bound (bench/data/userDayRows.ts). */
function rowsOf(count: number): UserDayRow[] {
    let rows = rowCache.get(count);
    if (!rows) {
        rows = userDayRows(0, count);
        rowCache.set(count, rows);
    }
    return rows;
}

function freshContainer(): HTMLElement {
    const old = document.getElementById("stage");
    if (old) old.remove();
    const stage = document.createElement("div");
    stage.id = "stage";
    stage.style.width = `${VIEWPORT.width}px`;
    stage.style.height = `${VIEWPORT.height}px`;
    stage.style.position = "relative";
    stage.style.overflow = "hidden";
    document.body.appendChild(stage);
    return stage;
}

/** One visual with a host whose rendering events resolve the pending wait. */
class VisualUnderTest {
    readonly visual: VisualInstance;
    private waiting: { resolve: () => void; reject: (e: Error) => void } | null = null;
    private settled: "finished" | "failed" | null = null;
    private failure = "";
    fetchRequests: boolean[] = [];
    fetchAnswer: () => boolean = () => false;

    constructor(element: HTMLElement) {
        const plugin = w.powerbi.visuals.plugins[pluginGuid];
        if (!plugin) throw new Error(`visual ${pluginGuid} is not registered: was content.js loaded?`);
        const host = createHost({
            started: () => { /* counted by the visual's contract tests, not here */ },
            finished: () => this.settle("finished"),
            failed: reason => { this.failure = reason; this.settle("failed"); },
        }, aggregate => {
            this.fetchRequests.push(aggregate);
            return this.fetchAnswer();
        }, strings);
        this.visual = plugin.create({ element, host });
    }

    private settle(state: "finished" | "failed"): void {
        this.settled = state;
        const waiting = this.waiting;
        if (!waiting) return;
        this.waiting = null;
        if (state === "finished") waiting.resolve();
        else waiting.reject(new Error(`renderingFailed: ${this.failure}`));
    }

    /**
     * Milliseconds from update() to renderingFinished, or to update() returning when the visual asked for another
     * segment during it: the rendering then goes on until the last segment, and this update's work is done.
     */
    async timedUpdate(options: object): Promise<number> {
        this.settled = null;
        const done = new Promise<void>((resolve, reject) => { this.waiting = { resolve, reject }; });
        const requestsBefore = this.fetchRequests.length;
        const start = performance.now();
        this.visual.update(options);
        const returned = performance.now();
        if (this.settled === "finished") {
            this.waiting = null;
            return returned - start;
        }
        if (this.settled === "failed") throw new Error(`renderingFailed: ${this.failure}`);
        if (this.fetchRequests.length > requestsBefore) {
            this.waiting = null;
            return returned - start;
        }
        await done;
        return performance.now() - start;
    }
}

let current: VisualUnderTest | null = null;
/** What the host keeps after a scale run (the aggregated DataView), until dropHostData(). */
let hostData: GrowingDataView | null = null;

/**
 * How the rows reach the renderer. "shared": every row holding a value refers to one string object, as in a DataView
 * built from dictionary-encoded query results. "marshalled": the column arrays (and Vega's rows) go through the
 * structured clone that postMessage applies across an iframe boundary, such as the sandbox Power BI runs custom
 * visuals in, so each row holds a string object of its own. The clone is made after the collections, just before the
 * timed call, as a message is deserialized just before its handler runs: a collection in between would move the fresh
 * strings out of the order they were created in, which a real message never sees, and leave the young generation
 * empty, where a real message leaves it holding the data.
 */
export type Transport = "shared" | "marshalled";

async function renderOurs(rowCount: number, transport: Transport = "shared"): Promise<number> {
    const rows = rowsOf(rowCount);
    const dataView = buildDataView(rows, false, 0, EVERY_GROUPING);
    current?.visual.destroy?.();
    // Vega's last view is dropped too: its dataflow holds every panel's tuples, and a heap that holds them makes the
    // collections during the visual's update dearer than in a page without them (the --baseline page).
    vegaView?.finalize();
    vegaView = null;
    current = new VisualUnderTest(freshContainer());
    collectGarbage();
    if (transport === "marshalled") {
        for (const column of dataView.categorical.categories) {
            column.values = structuredClone(column.values);
            column.identity = structuredClone(column.identity);
        }
        for (const column of dataView.categorical.values) column.values = structuredClone(column.values);
    }
    return current.timedUpdate({
        dataViews: [dataView], viewport: VIEWPORT, type: UpdateType.All, operationKind: OperationKind.Create,
        viewMode: 0, editMode: 0, jsonFilters: [],
    });
}

let vegaRuntime: ReturnType<typeof vega.parse> | null = null;
let vegaView: vega.View | null = null;

function runtime(): ReturnType<typeof vega.parse> {
    if (!vegaRuntime) vegaRuntime = vega.parse(compile(dashboardSpec(panelIds) as never).spec);
    return vegaRuntime;
}

/** Milliseconds from handing the rows to a new Vega view to its SVG being in the page (spec compiled once). */
async function renderTheirs(rowCount: number, transport: Transport = "shared"): Promise<number> {
    const parsed = runtime();
    vegaView?.finalize();
    // And the visual is destroyed before Vega's run, for the same reason.
    current?.visual.destroy?.();
    current = null;
    const container = freshContainer();
    collectGarbage();
    const rows = transport === "marshalled" ? structuredClone(rowsOf(rowCount)) : rowsOf(rowCount);
    const start = performance.now();
    const view = new vega.View(parsed, { renderer: "svg", container, hover: false });
    view.data(VEGA_DATASET, rows as unknown as object[]);
    await view.runAsync();
    const elapsed = performance.now() - start;
    vegaView = view;
    if (!container.querySelector("svg")) throw new Error("Vega produced no SVG");
    return elapsed;
}

/** The data-panel ids of the visual's panels in the page that are drawn (not a "missing field" or empty message). */
function panelsDrawn(): string[] {
    const stage = document.getElementById("stage");
    if (!stage) return [];
    return Array.from(stage.querySelectorAll<HTMLElement>("[data-panel]"))
        .filter(panel => panel.querySelector(".shadowit-body[data-state=ready]") !== null)
        .map(panel => panel.dataset.panel ?? "");
}

function marksOf(which: "ours" | "theirs"): number {
    const stage = document.getElementById("stage");
    if (!stage) return 0;
    if (which === "theirs") return stage.querySelectorAll("path, rect").length;
    return stage.querySelectorAll("[aria-label]").length;
}

/**
 * The host's side of one update: the DataView is posted into the visual's sandboxed iframe, which structured-clones
 * it (Power BI runs custom visuals in a sandboxed iframe and talks to them by postMessage). Returns the clone the
 * visual receives and the milliseconds spent building and cloning.
 */
function post(build: () => BenchDataView): { dataView: BenchDataView; ms: number } {
    const start = performance.now();
    const built = build();
    const grouped = built.categorical.values.grouped;
    // lastMergeIndex goes with the rows: without it the visual would append a segment's repeated first row again.
    const { lastMergeIndex } = built.categorical as { lastMergeIndex?: number };
    const clone = structuredClone({
        metadata: built.metadata,
        categorical: {
            categories: built.categorical.categories, values: [...built.categorical.values],
            ...(lastMergeIndex === undefined ? {} : { lastMergeIndex }),
        },
    });
    const values = Object.assign(clone.categorical.values, { grouped });
    const dataView = { ...clone, categorical: { ...clone.categorical, values } } as BenchDataView;
    return { dataView, ms: performance.now() - start };
}

/**
 * Loads `total` rows the way Power BI does past the window: a first update of `segment` rows whose metadata
 * says more is available, then one update per fetchMoreData request until the total is reached, answered as
 * `mode` says.
 */
async function scale(total: number, segment: number, mode: HostMode = "requested"): Promise<ScaleResult> {
    current?.visual.destroy?.();
    const subject = new VisualUnderTest(freshContainer());
    current = subject;
    const foldMs: number[] = [];
    const hostMs: number[] = [];
    let rowsPosted = 0;
    let loaded = 0;
    let aggregate: boolean | null = null;
    let stoppedBecause = "all rows loaded";
    const wallStart = performance.now();
    hostData = null;
    let loadedAfterThisUpdate = 0;
    subject.fetchAnswer = () => loadedAfterThisUpdate < total;
    let first = true;
    let growing: GrowingDataView | null = null;
    let previousLast: DiscoveryRow | null = null;
    while (loaded < total) {
        const count = Math.min(segment, total - loaded);
        const fresh = discoveryRows(loaded, count);
        const more = loaded + count < total;
        const aggregated = first || mode === "aggregate" || aggregate !== false;
        let posted;
        if (!aggregated) {
            // Incremental mode: the new rows after one repeated from the previous segment (lastMergeIndex 0).
            const repeated = previousLast ? [previousLast, ...fresh] : fresh;
            posted = post(() => buildDataView(repeated, more, loaded - (previousLast ? 1 : 0), APP_GROUPINGS, previousLast ? 1 : 0));
            rowsPosted += repeated.length;
        } else if (mode === "requested" && first) {
            // The first window of a query the host will answer incrementally: it keeps none of it.
            posted = post(() => buildDataView(fresh, more, 0));
            rowsPosted += count;
        } else {
            // Segments aggregation mode: every row so far, which the host keeps to resend.
            posted = post(() => {
                growing ??= new GrowingDataView();
                growing.append(fresh);
                return growing.view(more);
            });
            rowsPosted += loaded + count;
        }
        previousLast = fresh[fresh.length - 1] ?? null;
        hostMs.push(posted.ms);
        const before = subject.fetchRequests.length;
        loadedAfterThisUpdate = loaded + count;
        collectGarbage();
        const operationKind = first ? OperationKind.Create : aggregated ? OperationKind.Append : OperationKind.Segment;
        foldMs.push(await subject.timedUpdate({
            dataViews: [posted.dataView], viewport: VIEWPORT, type: first ? UpdateType.All : UpdateType.Data, operationKind,
            viewMode: 0, editMode: 0, jsonFilters: [],
        }));
        first = false;
        loaded += count;
        if (loaded >= total) break;
        // The visual may ask for the next segment after it has finished rendering: give it a moment.
        for (let waited = 0; subject.fetchRequests.length === before && waited < 2000; waited += 10) {
            await new Promise(resolve => setTimeout(resolve, 10));
        }
        if (subject.fetchRequests.length === before) {
            stoppedBecause = `the visual did not call fetchMoreData after ${loaded} rows`;
            break;
        }
        aggregate = subject.fetchRequests[subject.fetchRequests.length - 1];
    }
    const wallMs = performance.now() - wallStart;
    // In aggregation mode the host keeps the rows it resends; in incremental mode it keeps none.
    hostData = growing;
    const sumOf = (values: number[]) => values.reduce((a, b) => a + b, 0);
    return {
        mode, rowsLoaded: loaded, segments: foldMs.length, foldMs, totalMs: sumOf(foldMs), hostMs, hostTotalMs: sumOf(hostMs),
        rowsPosted, wallMs, aggregateSegments: aggregate, stoppedBecause,
    };
}

/** One fetchMoreData segment of the user × day run, as the visual handled it. */
export interface GrainSegment {
    /** Rows loaded once this segment is in. */
    readonly rows: number;
    /** update() until the visual finished with it (see VisualUnderTest.timedUpdate). */
    readonly ms: number;
    /** JS heap in use after two full collections once the update is done (performance.memory, precise). */
    readonly heapBytes: number;
    /** The visual's note line after the update: what a user reads while the rows load. */
    readonly note: string;
}

export interface GrainResult {
    readonly rowsLoaded: number;
    readonly segments: readonly GrainSegment[];
    readonly stoppedBecause: string;
}

function usedHeap(): number {
    collectGarbage();
    return (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize;
}

/** Called, when the driver exposes it, after the given segments, so that it can take a screenshot of the page. */
type SnapshotHook = (label: string) => Promise<void>;

/**
 * Loads `total` rows at user × day grain (bench/data/userDayRows.ts, every role bound) as Power BI answers the
 * visual's fetchMoreData(false): a first window of `segment` rows, then only the next segment per request, its first
 * row repeated from the previous one (lastMergeIndex 0), structured-cloned as posted into the visual's iframe.
 * After each update: the update's time, the heap after collections and the note line; `snapshotAt` names the
 * segments (1-based) after which the driver's benchSnapshot hook is called.
 */
async function grain(total: number, segment: number, split: boolean, snapshotAt: readonly number[]): Promise<GrainResult> {
    current?.visual.destroy?.();
    hostData = null;
    rowCache.clear();
    const subject = new VisualUnderTest(freshContainer());
    current = subject;
    const segments: GrainSegment[] = [];
    const hook = (window as unknown as { benchSnapshot?: SnapshotHook }).benchSnapshot;
    let loaded = 0;
    let loadedAfterThisUpdate = 0;
    let previousLast: UserDayRow | null = null;
    let stoppedBecause = "all rows loaded";
    subject.fetchAnswer = () => loadedAfterThisUpdate < total;
    while (loaded < total) {
        const count = Math.min(segment, total - loaded);
        const fresh = userDayRows(loaded, count, split);
        const more = loaded + count < total;
        const repeated = previousLast ? [previousLast, ...fresh] : fresh;
        const first = previousLast === null;
        const { dataView } = post(() => buildDataView(repeated, more, loaded - (first ? 0 : 1), EVERY_GROUPING, first ? 0 : 1));
        previousLast = fresh[fresh.length - 1] ?? null;
        loadedAfterThisUpdate = loaded + count;
        const before = subject.fetchRequests.length;
        collectGarbage();
        const ms = await subject.timedUpdate({
            dataViews: [dataView], viewport: VIEWPORT, type: first ? UpdateType.All : UpdateType.Data,
            operationKind: first ? OperationKind.Create : OperationKind.Segment, viewMode: 0, editMode: 0, jsonFilters: [],
        });
        loaded += count;
        // The visual asks for the next segment after it has drawn: give it a moment before reading the page.
        for (let waited = 0; more && subject.fetchRequests.length === before && waited < 2000; waited += 10) {
            await new Promise(resolve => setTimeout(resolve, 10));
        }
        const note = document.querySelector("#stage .shadowit-note")?.textContent ?? "";
        segments.push({ rows: loaded, ms, heapBytes: usedHeap(), note });
        if (hook && snapshotAt.includes(segments.length)) await hook(`segment ${segments.length}`);
        if (!more) break;
        if (subject.fetchRequests.length === before) {
            stoppedBecause = `the visual did not call fetchMoreData after ${loaded} rows`;
            break;
        }
    }
    return { rowsLoaded: loaded, segments, stoppedBecause };
}

/**
 * Heap of `total` rows at user × day grain held as the visual keeps them (segments.ts: one array per column, the
 * rows structured-cloned as posted), with nothing else: what the visual's heap holds beyond its aggregates.
 */
let heldRows: BenchDataView | null = null;
/** Rows held by holdRows (read so that they stay reachable until dropHostData). */
function heldRowCount(): number {
    return heldRows?.categorical.categories[0]?.values.length ?? 0;
}

function holdRows(total: number, segment: number, split: boolean): number {
    heldRows = null;
    const before = usedHeap();
    let held: BenchDataView | null = null;
    for (let loaded = 0; loaded < total; loaded += segment) {
        const { dataView } = post(() => buildDataView(userDayRows(loaded, Math.min(segment, total - loaded), split), false, loaded, EVERY_GROUPING));
        if (held === null) held = dataView;
        else {
            dataView.categorical.categories.forEach((c, i) => {
                for (const v of c.values) held!.categorical.categories[i].values.push(v);
                for (const v of c.identity) held!.categorical.categories[i].identity.push(v);
            });
            dataView.categorical.values.forEach((c, i) => { for (const v of c.values) held!.categorical.values[i].values.push(v); });
        }
    }
    heldRows = held;
    return usedHeap() - before;
}

/** Drops the visual (and its element) but keeps the host's DataView: heap before minus after = the visual's own. */
function destroyVisual(): void {
    current?.visual.destroy?.();
    current = null;
    document.getElementById("stage")?.remove();
}

function dropHostData(): void {
    hostData = null;
    heldRows = null;
    rowCache.clear();
}

function destroyAll(): void {
    hostData = null;
    current?.visual.destroy?.();
    current = null;
    vegaView?.finalize();
    vegaView = null;
    rowCache.clear();
    document.getElementById("stage")?.remove();
}

w.bench = {
    configure(guid: string, resources: Record<string, string>, panels: readonly string[]) {
        pluginGuid = guid;
        strings = resources;
        panelIds = panels;
        vegaRuntime = null;
    },
    panelsDrawn,
    renderOurs,
    renderTheirs,
    marksOf,
    scale,
    grain,
    holdRows,
    heapNow: usedHeap,
    heldRowCount,
    destroyVisual,
    dropHostData,
    destroyAll,
    hostRows: () => hostData?.rowCount ?? 0,
    vegaVersion: () => vega.version,
    canCollectGarbage: () => typeof (window as unknown as { gc?: unknown }).gc === "function",
};
