import { generateDiscoveryRows } from "./helpers/discovery-data";
import { bytes, count, streamTotals, sum } from "./helpers/expected";
import { pairedCorrectly, recordRenderingEvents, SegmentHost, SegmentHostOptions } from "./helpers/segment-host";
import { ShadowItBuilder, UpdateType } from "./helpers/visual-builder";
import { failOnConsoleErrors } from "./helpers/console-errors";

/** Loading past the first window, on a host that delivers segments as Power BI documents (helpers/segment-host.ts). */
describe("Loading segments", () => {
    const rows = generateDiscoveryRows(7, 1000);
    let builder: ShadowItBuilder;
    let host: SegmentHost;
    let events: string[];

    function setUp(options: Partial<SegmentHostOptions> = {}): void {
        builder = new ShadowItBuilder();
        events = recordRenderingEvents(builder);
        host = new SegmentHost(builder, rows, { window: 250, overlap: 3, ...options });
    }

    const trafficLabel = (of: typeof rows) =>
        `Traffic: ${bytes(sum(of, r => r.total))}, uploaded ${bytes(sum(of, r => r.uploaded))}, downloaded ${bytes(sum(of, r => r.downloaded))}`;
    const streamLabels = (of: typeof rows) =>
        streamTotals(of).map(s => `${s.name}: uploaded ${bytes(s.uploaded)}, downloaded ${bytes(s.downloaded)}`);

    afterEach(() => builder.remove());
    failOnConsoleErrors();

    describe("incremental segments", () => {
        it("asks for incremental segments and folds each segment once, skipping the rows it repeats", () => {
            setUp();
            host.create();
            expect(host.requests).toEqual([false]);
            expect(builder.note()).toBe(`Loading more data (${count(250)} rows so far)…`);
            expect(host.deliverAll()).toBe(3);
            expect(host.requests).toEqual([false, false, false]);
            expect(builder.labels("kpis")).toContain(trafficLabel(rows));
            expect(builder.labels("stream-bytes")).toEqual(streamLabels(rows));
            expect(builder.note()).toBe("");
        });

        it("reads lastMergeIndex from dataView.table as the docs show it", () => {
            setUp({ mergeIndexOn: "table", overlap: 10 });
            host.create();
            host.deliverAll();
            expect(builder.labels("kpis")).toContain(trafficLabel(rows));
        });

        it("restarts loading on a new query (a filter change) and shows only the new rows", () => {
            setUp();
            host.create();
            host.deliver();
            const filtered = rows.filter(r => r.stream !== "Legal");
            host.create(filtered);
            expect(host.requests.length).toBe(3);
            host.deliverAll();
            expect(builder.labels("kpis")).toContain(trafficLabel(filtered));
            expect(builder.labels("stream-bytes")).toEqual(streamLabels(filtered));
        });

        it("keeps every row loaded when the host sends the last DataView again (a resize, or its own filter echoed)", () => {
            setUp();
            host.create();
            host.deliverAll();
            const requests = host.requests.length;
            host.resend({ type: UpdateType.Data });
            host.resend({ type: UpdateType.Resize | UpdateType.ResizeEnd });
            expect(host.requests.length).toBe(requests);
            expect(builder.labels("kpis")).toContain(trafficLabel(rows));
            expect(builder.labels("stream-bytes")).toEqual(streamLabels(rows));
        });

        it("keeps every row loaded through a click on a mark, with no request to the host", () => {
            setUp();
            host.create();
            host.deliverAll();
            const requests = host.requests.length;
            builder.mark("stream-bytes", streamTotals(rows)[0].name).click();
            host.resend();
            expect(builder.filters.current.length).toBe(1);
            expect(host.requests.length).toBe(requests);
            expect(builder.labels("kpis")).toContain(trafficLabel(rows));
        });

        it("fetches the highlighted rows again after a cross-highlight elsewhere (a Create with highlights)", () => {
            setUp();
            host.create();
            host.deliverAll();
            const requests = host.requests.length;
            const highlighted = new SegmentHost(builder, rows, { window: 250, overlap: 3, dataViewOptions: { highlight: r => (r.stream === "Legal" ? 1 : 0) } });
            highlighted.create();
            // Highlight values come with the rows: every segment is needed again, and the first is asked for at once.
            expect(highlighted.requests).toEqual([false]);
            expect(host.requests.length).toBe(requests);
            highlighted.deliverAll();
            expect(highlighted.requests.length).toBe(3);
            expect(builder.labels("kpis")).toContain(trafficLabel(rows));
        });
    });

    describe("rendering events", () => {
        it("finishes the rendering only when the last segment is in, through resizes meanwhile", () => {
            setUp();
            host.create();
            expect(events).toEqual(["started"]);
            host.deliver();
            host.resend({ type: UpdateType.Resize });
            expect(events).toEqual(["started"]);
            host.deliverAll();
            expect(events).toEqual(["started", "finished"]);
            host.resend({ type: UpdateType.Resize | UpdateType.ResizeEnd });
            expect(events).toEqual(["started", "finished", "started", "finished"]);
            expect(pairedCorrectly(events)).toBeTrue();
        });

        it("finishes the rendering when the row cap is reached", () => {
            const many = generateDiscoveryRows(99, 60000);
            builder = new ShadowItBuilder();
            events = recordRenderingEvents(builder);
            host = new SegmentHost(builder, many, { window: 20000, dataViewOptions: { objects: { format: { rowCap: 30000 } } } });
            host.create();
            expect(events).toEqual(["started"]);
            host.deliver();
            expect(host.hasPendingRequest).toBeFalse();
            expect(events).toEqual(["started", "finished"]);
            expect(builder.note()).toBe(`Row limit reached: showing the first ${count(40000)} rows. To see them all, show one panel per visual (Format pane, Panel mode) or bind fewer fields`);
        });

        it("fails the rendering once, and starts the next one afresh", () => {
            setUp();
            host.create();
            builder.updateWith([{ metadata: { columns: [{ displayName: "x", roles: { AppCategory: true } }] }, categorical: { categories: [null] } } as never]);
            expect(events).toEqual(["started", "failed"]);
            host.create();
            host.deliverAll();
            expect(events).toEqual(["started", "failed", "started", "finished"]);
        });
    });

    describe("a reload that stalls", () => {
        beforeEach(() => jasmine.clock().install());
        afterEach(() => jasmine.clock().uninstall());

        it("says so after 30 s without the segment fetchMoreData promised, and finishes the rendering (PowerBI-visuals-tools #348)", () => {
            setUp();
            host.create();
            host.deliverAll();
            expect(events).toEqual(["started", "finished"]);
            // Edit → reading view: the host resends the first window with a segment marker and never delivers more.
            host.stall();
            host.create(rows, { type: UpdateType.ViewMode | UpdateType.Data });
            expect(host.requests[host.requests.length - 1]).toBeFalse();
            jasmine.clock().tick(29_999);
            expect(builder.note()).toBe(`Loading more data (${count(250)} rows so far)…`);
            expect(events).toEqual(["started", "finished", "started"]);
            jasmine.clock().tick(1);
            expect(builder.note()).toBe("Power BI stopped sending rows: the charts show the first 250. "
                + "To load the rest, refresh the visual (reopen the page or change a filter)");
            expect(events).toEqual(["started", "finished", "started", "finished"]);
            expect(builder.labels("kpis")).toContain(trafficLabel(rows.slice(0, 250)));
        });

        it("goes on loading when the late segment comes after all", () => {
            setUp();
            host.create();
            jasmine.clock().tick(30_000);
            expect(builder.note()).toMatch(/^Power BI stopped sending rows/);
            host.deliverAll();
            expect(builder.note()).toBe("");
            expect(builder.labels("kpis")).toContain(trafficLabel(rows));
            expect(pairedCorrectly(events)).toBeTrue();
        });

        it("says so at once when fetchMoreData refuses while the segment marker is present", () => {
            setUp();
            builder.host.fetchMoreData = () => false;
            host.create();
            expect(builder.note()).toBe("Power BI declined to send more rows: the charts show the first 250. "
                + "To load the rest, refresh the visual (reopen the page or change a filter)");
            expect(events).toEqual(["started", "finished"]);
        });

        it("stops the watch when the visual is destroyed", () => {
            setUp();
            host.create();
            builder.instance.destroy();
            jasmine.clock().tick(60_000);
            expect(events).toEqual(["started"]);
        });
    });
});
