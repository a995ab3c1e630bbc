import { generateDiscoveryRows } from "./helpers/discovery-data";
import { buildDataView } from "./helpers/data-view";
import { bytes, streamTotals } from "./helpers/expected";
import { flushPromises, ShadowItBuilder } from "./helpers/visual-builder";

function key(element: Element, name: string): void {
    element.dispatchEvent(new KeyboardEvent("keydown", { key: name, bubbles: true, cancelable: true }));
}

describe("Shadow IT Discovery with more streams than the panel shows", () => {
    // 64 streams: eight per stream name of the generated tenant.
    const rows = generateDiscoveryRows().map((row, i) => ({ ...row, stream: `${row.stream} ${i % 8}` }));
    const streams = streamTotals(rows);
    const labelOf = (s: (typeof streams)[number]): string =>
        `${s.name}: uploaded ${bytes(s.uploaded)}, downloaded ${bytes(s.downloaded)}`;
    let builder: ShadowItBuilder;

    beforeEach(() => {
        builder = new ShadowItBuilder();
        builder.render(buildDataView(rows));
    });

    afterEach(() => builder.remove());

    it("draws the rows in view, each with its place in the whole list, in a chart as tall as all of them", () => {
        expect(streams.length).toBe(64);
        const drawn = builder.marks("stream-bytes");
        expect(drawn.length).toBeGreaterThan(3);
        expect(drawn.length).toBeLessThan(20);
        drawn.forEach((row, i) => {
            expect(row.getAttribute("aria-setsize")).toBe("64");
            expect(row.getAttribute("aria-posinset")).toBe(String(i + 1));
            expect(row.getAttribute("aria-label")).toBe(labelOf(streams[i]));
        });
        const body = builder.panel("stream-bytes")!.querySelector<HTMLElement>(".shadowit-body")!;
        const last = drawn.length - 1;
        const rowHeight = (drawn[last].getBoundingClientRect().top - drawn[0].getBoundingClientRect().top) / last;
        const chart = body.querySelector(".shadowit-bar-list")!;
        // Rows are placed on whole pixels: within half a pixel per row.
        expect(Math.abs(chart.getBoundingClientRect().height - rowHeight * 64)).toBeLessThan(32);
        // Every row in view is drawn: the last drawn row reaches past the bottom of the body.
        expect(drawn[drawn.length - 1].getBoundingClientRect().bottom).toBeGreaterThanOrEqual(body.getBoundingClientRect().bottom);
    });

    it("draws the rows that scrolling brings into view, so that every stream is shown in order", () => {
        expect(builder.scrolledLabels("stream-bytes")).toEqual(streams.map(labelOf));
        const body = builder.scrollPanel("stream-bytes", 1e6);
        const drawn = builder.marks("stream-bytes");
        expect(drawn[drawn.length - 1].getAttribute("aria-label")).toBe(labelOf(streams[63]));
        expect(drawn[0].getBoundingClientRect().top).toBeLessThanOrEqual(body.getBoundingClientRect().top);
    });

    it("draws every row of a list that got shorter while it was scrolled to its end", () => {
        builder.scrollPanel("stream-bytes", 1e6);
        const few = generateDiscoveryRows();
        builder.render(buildDataView(few));
        expect(builder.labels("stream-bytes")).toEqual(streamTotals(few).map(labelOf));
        expect(builder.marks("stream-bytes").every(row => !row.hasAttribute("aria-setsize"))).toBeTrue();
    });

    it("moves the keyboard focus through every stream, drawing each row it reaches", () => {
        let focused = builder.marks("stream-bytes")[0];
        focused.focus();
        for (let i = 1; i < streams.length; i++) {
            key(focused, "ArrowDown");
            focused = document.activeElement as HTMLElement;
            expect(focused.getAttribute("aria-label")).toBe(labelOf(streams[i]));
            expect(focused.getAttribute("tabindex")).toBe("0");
        }
        key(focused, "ArrowDown");
        expect(builder.marks("top-apps")[0]).toBe(document.activeElement as HTMLElement);
        key(document.activeElement!, "ArrowUp");
        expect(document.activeElement!.getAttribute("aria-label")).toBe(labelOf(streams[63]));
    });

    it("keeps the focused row drawn while the panel scrolls away from it, and the tab stop on it", () => {
        const first = builder.marks("stream-bytes")[0];
        first.focus();
        builder.scrollPanel("stream-bytes", 1e6);
        expect(first.isConnected).toBeTrue();
        expect(document.activeElement).toBe(first);
        expect(builder.marks("stream-bytes")[0]).toBe(first);
        expect(builder.root.querySelectorAll('[tabindex="0"]').length).toBe(1);
        expect(first.getAttribute("tabindex")).toBe("0");
    });

    it("gives the tab stop back to the first mark when the focused row has left the page", () => {
        const first = builder.marks("stream-bytes")[0];
        first.focus();
        first.blur();
        builder.scrollPanel("stream-bytes", 1e6);
        expect(first.isConnected).toBeFalse();
        builder.render(buildDataView(rows));
        const stops = Array.from(builder.root.querySelectorAll('[tabindex="0"]'));
        expect(stops).toEqual([builder.marks("kpis")[0]]);
    });

    it("styles the rows drawn by scrolling after the selection", async () => {
        const chosen = builder.marks("stream-bytes")[1];
        chosen.dispatchEvent(new MouseEvent("click", { bubbles: true }));
        await flushPromises();
        expect(chosen.getAttribute("aria-selected")).toBe("true");
        builder.scrollPanel("stream-bytes", 1e6);
        const drawn = builder.marks("stream-bytes");
        expect(drawn.length).toBeGreaterThan(3);
        for (const row of drawn) {
            expect(row.classList).toContain("shadowit-dimmed");
            expect(row.getAttribute("aria-selected")).toBe("false");
        }
    });
});
