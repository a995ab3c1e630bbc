import powerbi from "powerbi-visuals-api";
import { buildDataView, DataViewOptions } from "./data-view";
import { DiscoveryRow } from "./discovery-data";
import { OperationKind, ShadowItBuilder, UpdateType } from "./visual-builder";

/*
 * Power BI's side of fetchMoreData, as documented (learn.microsoft.com, "Fetch more data from Power BI"), on the
 * harsh side where the docs leave room:
 * - the first update of a query is operationKind Create with one window of rows and `metadata.segment` set while
 *   more rows remain; the last segment comes without the marker;
 * - fetchMoreData(true) (segments aggregation): the next update (Append) holds every row so far;
 * - fetchMoreData(false) (incremental updates): the next update (Segment) holds only the next window, and its first
 *   N rows repeat the end of the previous window, N = lastMergeIndex + 1 ("there's some overlap between consecutive
 *   data views"); the docs read lastMergeIndex from `dataView.table`, a categorical visual may find it on
 *   `categorical` (`mergeIndexOn`; the DataView is test/fixtures/data-view.ts's);
 * - the update comes later, not inside the fetchMoreData call ("as a response … Power BI calls the update method"):
 *   a spec delivers it with `deliver()`; a second request before delivery is refused (returns false);
 * - a new query (filter, highlight elsewhere, view-mode switch) is a Create that starts again from the first window;
 * - the total is capped at 1,048,576 rows ("Considerations and limitations");
 * - `stall()` reproduces microsoft/PowerBI-visuals-tools #348: fetchMoreData returns true and no update ever comes.
 */
export interface SegmentHostOptions {
    readonly window: number;
    /** Rows of the previous window repeated at the start of each incremental segment. */
    readonly overlap?: number;
    readonly mergeIndexOn?: "table" | "categorical";
    readonly dataViewOptions?: DataViewOptions;
}

const ROW_CEILING = 1048576;

export class SegmentHost {
    /** The aggregateSegments argument of each fetchMoreData call. */
    readonly requests: boolean[] = [];
    private loaded = 0;
    private pending: boolean | null = null;
    private stalled = false;
    private lastUpdate: powerbi.extensibility.visual.VisualUpdateOptions | null = null;

    constructor(private readonly builder: ShadowItBuilder, private rows: readonly DiscoveryRow[], private readonly options: SegmentHostOptions) {
        builder.host.fetchMoreData = (aggregateSegments = true) => this.fetchMoreData(aggregateSegments);
    }

    get loadedRows(): number {
        return this.loaded;
    }

    get hasPendingRequest(): boolean {
        return this.pending !== null;
    }

    /** A new query: the first window, operationKind Create (also after a filter change: `rows` are the new rows). */
    create(rows: readonly DiscoveryRow[] = this.rows, extra: Partial<powerbi.extensibility.visual.VisualUpdateOptions> = {}): void {
        this.rows = rows;
        this.pending = null;
        this.stalled = false;
        this.loaded = Math.min(rows.length, this.options.window);
        this.send(this.view(0, this.loaded, 0), { operationKind: OperationKind.Create, ...extra });
    }

    /** The very DataView of the last update again, as the host sends it with a resize or this visual's own filter. */
    resend(extra: Partial<powerbi.extensibility.visual.VisualUpdateOptions> = {}): void {
        if (!this.lastUpdate) throw new Error("nothing sent yet");
        this.builder.updateWith(this.lastUpdate.dataViews ?? [], { ...extra, operationKind: undefined });
    }

    /** Every later fetchMoreData is accepted and never answered (PowerBI-visuals-tools #348). */
    stall(): void {
        this.stalled = true;
        this.pending = null;
    }

    /** Delivers the segment requested; false when nothing was requested. */
    deliver(): boolean {
        const aggregate = this.pending;
        if (aggregate === null) return false;
        this.pending = null;
        const start = this.loaded;
        const end = Math.min(this.rows.length, start + this.options.window, ROW_CEILING);
        this.loaded = end;
        if (aggregate) {
            this.send(this.view(0, end, 0), { operationKind: OperationKind.Append });
        } else {
            const overlap = Math.min(this.options.overlap ?? 1, start);
            this.send(this.view(start - overlap, end, overlap), { operationKind: OperationKind.Segment });
        }
        return true;
    }

    /** Delivers segments for as long as the visual asks; returns how many were delivered. */
    deliverAll(limit = 1000): number {
        let delivered = 0;
        while (delivered < limit && this.deliver()) delivered++;
        return delivered;
    }

    private fetchMoreData(aggregateSegments: boolean): boolean {
        this.requests.push(aggregateSegments);
        if (this.pending !== null) return false;
        if (this.loaded >= this.rows.length || this.loaded >= ROW_CEILING) return false;
        if (!this.stalled) this.pending = aggregateSegments;
        return true;
    }

    private view(start: number, end: number, overlap: number): powerbi.DataView {
        const more = end < this.rows.length && end < ROW_CEILING;
        return buildDataView(this.rows.slice(start, end), {
            ...this.options.dataViewOptions, segment: more, overlap: { rows: overlap, on: this.options.mergeIndexOn },
        });
    }

    private send(dataView: powerbi.DataView, extra: Partial<powerbi.extensibility.visual.VisualUpdateOptions>): void {
        this.builder.updateWith([dataView], { type: UpdateType.Data, ...extra });
        this.lastUpdate = {
            dataViews: [dataView], viewport: this.builder.viewport, type: UpdateType.Data,
        } as powerbi.extensibility.visual.VisualUpdateOptions;
    }
}

/** The rendering events in the order the host received them. */
export function recordRenderingEvents(builder: ShadowItBuilder): string[] {
    const events: string[] = [];
    const service = builder.host.eventService;
    spyOn(service, "renderingStarted").and.callFake(() => { events.push("started"); });
    spyOn(service, "renderingFinished").and.callFake(() => { events.push("finished"); });
    spyOn(service, "renderingFailed").and.callFake(() => { events.push("failed"); });
    return events;
}

/** Every started is followed by exactly one finished or failed before the next started. */
export function pairedCorrectly(events: readonly string[]): boolean {
    let open = false;
    for (const event of events) {
        if (event === "started") {
            if (open) return false;
            open = true;
        } else {
            if (!open) return false;
            open = false;
        }
    }
    return true;
}
