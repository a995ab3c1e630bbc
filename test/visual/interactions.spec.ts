import powerbi from "powerbi-visuals-api";
import { ClickEventType, createContextMenuEvent, d3Click, MockISelectionManager } from "powerbi-visuals-utils-testutils";
import { generateDiscoveryRows } from "./helpers/discovery-data";
import { ALL_GROUPINGS, buildDataView, rowIdentityOf } from "./helpers/data-view";
import { DiscoveryRow } from "./helpers/discovery-data";
import { bytes, categoryLabel, categoryTotals, streamTotals } from "./helpers/expected";
import { rowsPassing } from "./helpers/report-filter";
import { flushPromises, ShadowItBuilder, TestSelectionId } from "./helpers/visual-builder";
import ISelectionId = powerbi.visuals.ISelectionId;

function centre(element: Element): { x: number; y: number } {
    const box = element.getBoundingClientRect();
    return { x: Math.round(box.left + box.width / 2), y: Math.round(box.top + box.height / 2) };
}

function pointer(element: Element, type: "pointerover" | "pointerout", x: number, y: number): void {
    element.dispatchEvent(new PointerEvent(type, { bubbles: true, pointerType: "mouse", clientX: x, clientY: y }));
}

function click(element: Element, ctrl = false): void {
    const { x, y } = centre(element);
    d3Click(element as HTMLElement, x, y, ctrl ? ClickEventType.CtrlKey : ClickEventType.Default);
}

function key(element: Element, name: string, init: KeyboardEventInit = {}): void {
    element.dispatchEvent(new KeyboardEvent("keydown", { key: name, bubbles: true, cancelable: true, ...init }));
}

function keysOf(ids: ISelectionId | ISelectionId[]): string[] {
    return ([] as ISelectionId[]).concat(ids).map(id => (id as TestSelectionId).key);
}

describe("Shadow IT Discovery interactions", () => {
    const rows = generateDiscoveryRows();
    const categories = categoryTotals(rows);
    const rowsWhere = (keep: (row: DiscoveryRow) => boolean) => rows.flatMap((row, i) => (keep(row) ? [i] : []));
    let builder: ShadowItBuilder;
    let manager: MockISelectionManager;

    function setUp(options: ConstructorParameters<typeof ShadowItBuilder>[0] = {}): void {
        builder = new ShadowItBuilder(options);
        manager = builder.host.createSelectionManager() as unknown as MockISelectionManager;
        spyOn(manager, "select").and.callThrough();
        spyOn(manager, "showContextMenu").and.callThrough();
        builder.render(buildDataView(rows));
    }

    /** The rows the rest of the report keeps under the visual's filter. */
    function filteredRows(): number[] {
        return rowsPassing(builder.filters.current, rows);
    }

    afterEach(() => builder.remove());

    describe("with interactions allowed", () => {
        beforeEach(() => setUp());

        it("filters the report to every row of a category when its bar is clicked", async () => {
            const top = categories[0];
            click(builder.mark("category-traffic", `${top.name}:`));
            await flushPromises();
            expect(builder.filters.calls.length).toBe(1);
            expect(filteredRows()).toEqual(rowsWhere(r => r.category === top.name));
            // The filter API replaces the selection manager: it cannot name every row of a category.
            expect(manager.select).not.toHaveBeenCalled();
            const bar = builder.mark("category-traffic", `${top.name}:`);
            expect(bar.classList).toContain("shadowit-selected");
            expect(bar.getAttribute("aria-selected")).toBe("true");
            const others = builder.marks("category-traffic").filter(m => m !== bar);
            expect(others.every(m => m.classList.contains("shadowit-dimmed"))).toBeTrue();
        });

        it("filters to all the categories folded into Other", async () => {
            click(builder.mark("category-traffic", "Other:"));
            await flushPromises();
            const rest = new Set(categories.slice(10).map(c => c.name));
            expect(filteredRows()).toEqual(rowsWhere(r => rest.has(r.category ?? "")));
        });

        it("adds to the selection with Ctrl", async () => {
            click(builder.mark("category-traffic", `${categories[0].name}:`));
            await flushPromises();
            click(builder.mark("category-traffic", `${categories[1].name}:`), true);
            await flushPromises();
            expect(filteredRows()).toEqual(rowsWhere(r => r.category === categories[0].name || r.category === categories[1].name));
            const selected = builder.marks("category-traffic").filter(m => m.classList.contains("shadowit-selected"));
            expect(selected.length).toBe(2);
        });

        it("filters a risk band by its scores and a stream by its name", async () => {
            click(builder.mark("risk-bands", "High risk"));
            await flushPromises();
            expect(filteredRows()).toEqual(rowsWhere(r => r.score !== null && r.score <= 3));
            click(builder.mark("stream-bytes", "Legal:"));
            await flushPromises();
            expect(filteredRows()).toEqual(rowsWhere(r => r.stream === "Legal"));
        });

        it("clears the selection when empty space is clicked", async () => {
            click(builder.mark("category-traffic", `${categories[0].name}:`));
            await flushPromises();
            click(builder.root);
            await flushPromises();
            expect(builder.filters.current).toEqual([]);
            expect(builder.filters.calls.map(c => c.action)).toEqual([0, 1]);
            expect(builder.root.querySelectorAll(".shadowit-selected, .shadowit-dimmed").length).toBe(0);
        });

        it("opens the context menu on a mark and on empty space", () => {
            const bar = builder.mark("category-traffic", `${categories[2].name}:`);
            const { x, y } = centre(bar);
            bar.dispatchEvent(createContextMenuEvent(x, y));
            expect(manager.showContextMenu).toHaveBeenCalledTimes(1);
            const [id, position] = (manager.showContextMenu as jasmine.Spy).calls.mostRecent().args;
            // The category spans many rows and the menu takes one row's ID: the visual's menu, not one row's.
            expect(id).toEqual({});
            expect(position).toEqual({ x, y });

            const event = createContextMenuEvent(5, 5);
            builder.root.dispatchEvent(event);
            expect(manager.showContextMenu).toHaveBeenCalledTimes(2);
            expect((manager.showContextMenu as jasmine.Spy).calls.mostRecent().args[0]).toEqual({});
            expect(event.defaultPrevented).toBeTrue();
        });

        it("moves focus with the arrow keys and selects with Enter, Space, Ctrl+Enter; Escape clears", async () => {
            const marks = Array.from(builder.root.querySelectorAll<HTMLElement>(".shadowit-mark"));
            expect(marks.filter(m => m.getAttribute("tabindex") === "0")).toEqual([marks[0]]);
            const firstBar = builder.marks("category-traffic")[0];
            firstBar.focus();
            expect(document.activeElement).toBe(firstBar);
            key(firstBar, "ArrowDown");
            const second = builder.marks("category-traffic")[1];
            expect(document.activeElement).toBe(second);
            expect(second.getAttribute("tabindex")).toBe("0");
            expect(firstBar.getAttribute("tabindex")).toBe("-1");
            key(second, "ArrowUp");
            expect(document.activeElement).toBe(firstBar);

            key(firstBar, "Enter");
            await flushPromises();
            expect(filteredRows()).toEqual(rowsWhere(r => r.category === categories[0].name));
            key(second, " ", { ctrlKey: true });
            await flushPromises();
            expect(filteredRows()).toEqual(rowsWhere(r => r.category === categories[0].name || r.category === categories[1].name));
            key(second, "Enter", { ctrlKey: true });
            await flushPromises();
            expect(builder.filters.calls.length).toBe(3);
            expect(filteredRows()).toEqual(rowsWhere(r => r.category === categories[0].name));
            key(second, "Escape");
            await flushPromises();
            expect(builder.filters.current).toEqual([]);
        });

        it("opens the context menu from the keyboard (Shift+F10 and the menu key)", () => {
            const band = builder.mark("risk-bands", "Low risk");
            key(band, "F10", { shiftKey: true });
            key(band, "ContextMenu");
            key(band, "F10");
            expect(manager.showContextMenu).toHaveBeenCalledTimes(2);
            const [id] = (manager.showContextMenu as jasmine.Spy).calls.mostRecent().args;
            expect(id).toEqual({});
        });

        it("exposes the charts as multi-select list boxes whose options carry their selection state", async () => {
            const chart = builder.panel("category-traffic")!.querySelector(".shadowit-bar-list")!;
            expect(chart.getAttribute("role")).toBe("listbox");
            expect(chart.getAttribute("aria-multiselectable")).toBe("true");
            const bars = builder.marks("category-traffic");
            expect(bars.every(b => b.getAttribute("role") === "option" && b.getAttribute("aria-selected") === "false")).toBeTrue();
            click(bars[0]);
            await flushPromises();
            expect(builder.marks("category-traffic")[0].getAttribute("aria-selected")).toBe("true");
        });

        it("shows the key figures' parts in their tooltips", () => {
            const service = builder.host.tooltipService;
            spyOn(service, "show");
            const tile = builder.mark("kpis", "Blocked events");
            pointer(tile, "pointerover", 10, 10);
            const events = rows.reduce((s, r) => s + r.events, 0);
            const blocked = rows.reduce((s, r) => s + r.blocked, 0);
            const options = (service.show as jasmine.Spy).calls.mostRecent().args[0] as powerbi.extensibility.TooltipShowOptions;
            expect(options.dataItems).toEqual([
                { displayName: "Blocked events", value: new Intl.NumberFormat("en-US").format(blocked) },
                { displayName: "Total events", value: new Intl.NumberFormat("en-US").format(events) },
                {
                    displayName: "Share of events blocked",
                    value: new Intl.NumberFormat("en-US", { style: "percent", minimumFractionDigits: 1 }).format(blocked / events),
                },
            ]);
            expect(options.identities).toEqual([]);
        });

        it("shows host tooltips with formatted values and the mark's identities", () => {
            const service = builder.host.tooltipService;
            spyOn(service, "show");
            spyOn(service, "hide");
            const stream = streamTotals(rows).find(s => s.name === "Finance Department")!;
            const mark = builder.mark("stream-bytes", "Finance Department:");
            const { x, y } = centre(mark);
            pointer(mark.querySelector(".shadowit-segment")!, "pointerover", x, y);
            expect(service.show).toHaveBeenCalledTimes(1);
            const options = (service.show as jasmine.Spy).calls.mostRecent().args[0] as powerbi.extensibility.TooltipShowOptions;
            expect(options.dataItems).toEqual([
                { displayName: "Stream name", value: "Finance Department" },
                { displayName: "Uploaded", value: bytes(stream.uploaded) },
                { displayName: "Downloaded", value: bytes(stream.downloaded) },
            ]);
            // Report page tooltips get every row of the stream: each row's identity is all its grouping values.
            expect(keysOf(options.identities as ISelectionId[]))
                .toEqual(rows.filter(r => r.stream === "Finance Department").map(r => rowIdentityOf(r, ALL_GROUPINGS).key));
            expect(options.coordinates).toEqual([x, y]);
            pointer(mark, "pointerout", 1, 1);
            expect(service.hide).toHaveBeenCalled();
        });

        it("restores the selection from a bookmark's jsonFilters", () => {
            const target = categories[3];
            const filter = {
                $schema: "http://powerbi.com/product/schema#basic", filterType: 1, operator: "In",
                target: { table: "McasShadowItReporting", column: "AppCategory" }, values: [target.name],
            };
            builder.render(buildDataView(rows), { jsonFilters: [filter] as unknown as powerbi.IFilter[] });
            expect(builder.mark("category-traffic", `${target.name}:`).classList).toContain("shadowit-selected");
            // A later data update without jsonFilters keeps showing the restored filter.
            builder.render(buildDataView(rows), { jsonFilters: undefined });
            expect(builder.mark("category-traffic", `${target.name}:`).classList).toContain("shadowit-selected");
            expect(builder.mark("category-traffic", `${categories[0].name}:`).classList).toContain("shadowit-dimmed");
        });
    });

    describe("with interactions not allowed", () => {
        beforeEach(() => setUp({ allowInteractions: false }));

        it("neither selects nor opens the context menu", async () => {
            const bar = builder.mark("category-traffic", `${categories[0].name}:`);
            click(bar);
            key(bar, "Enter");
            const { x, y } = centre(bar);
            bar.dispatchEvent(createContextMenuEvent(x, y));
            builder.root.dispatchEvent(createContextMenuEvent(2, 2));
            await flushPromises();
            expect(manager.select).not.toHaveBeenCalled();
            expect(manager.showContextMenu).not.toHaveBeenCalled();
            expect(bar.classList).not.toContain("shadowit-selected");
            expect(bar.hasAttribute("aria-selected")).toBeFalse();
            // No mark of any panel claims a selection state the host does not allow.
            expect(builder.root.querySelectorAll("[aria-selected]").length).toBe(0);
        });
    });

    describe("cross-highlighting", () => {
        beforeEach(() => setUp());

        it("draws the highlighted part over the full, dimmed bar", () => {
            const target = categories[1];
            builder.render(buildDataView(rows, { highlight: row => row.category === target.name ? 0.5 : 0 }));
            const highlighted = rows.filter(r => r.category === target.name).reduce((s, r) => s + Math.round(r.total * 0.5), 0);
            const bar = builder.mark("category-traffic", `${target.name}:`);
            expect(bar.getAttribute("aria-label")).toBe(`${categoryLabel(target, target.name)}, highlighted ${bytes(highlighted)}`);
            expect(bar.classList).toContain("shadowit-has-highlight");
            const overlay = bar.querySelector<HTMLElement>(".shadowit-highlight")!;
            const shown = Array.from(bar.querySelectorAll<HTMLElement>(".shadowit-segment")).map(r => r.getBoundingClientRect())
                .filter(box => box.width > 0);
            const full = shown.reduce((s, box) => s + box.width, 0);
            const box = overlay.getBoundingClientRect();
            expect(box.width / full).toBeCloseTo(highlighted / target.total, 2);
            // The overlay starts where the bar starts, lies within its height, and is drawn after (over) the segments.
            expect(box.left).toBeCloseTo(Math.min(...shown.map(b => b.left)), 1);
            expect(box.top).toBeGreaterThanOrEqual(shown[0].top);
            expect(box.bottom).toBeLessThanOrEqual(shown[0].bottom);
            expect(bar.lastElementChild).toBe(overlay);
            // The full bar is dimmed under it.
            expect(getComputedStyle(bar.querySelector(".shadowit-segment")!).opacity).toBe("0.4");
            const other = builder.mark("category-traffic", `${categories[0].name}:`);
            expect(other.querySelector<HTMLElement>(".shadowit-highlight")!.getBoundingClientRect().width).toBe(0);
        });
    });
});
