// Selection with Power BI's semantics: on a host that gives every row ONE identity (all its grouping values, as
// Power BI does), a click on a category, band, stream or app must filter the rest of the report to exactly the
// rows of that item, loaded or not; Ctrl adds; bookmarks restore it; tooltips and the context menu carry it.
import powerbi from "powerbi-visuals-api";
import { ClickEventType, createContextMenuEvent, d3Click, MockISelectionManager } from "powerbi-visuals-utils-testutils";
import { DiscoveryRow, generateDiscoveryRows } from "./helpers/discovery-data";
import { buildDataView, rowIdentityOf } from "./helpers/data-view";
import { categoryTotals } from "./helpers/expected";
import { rowsPassing } from "./helpers/report-filter";
import { flushPromises, ShadowItBuilder, TestSelectionId } from "./helpers/visual-builder";
import ISelectionId = powerbi.visuals.ISelectionId;

function centre(element: Element): { x: number; y: number } {
    const box = element.getBoundingClientRect();
    return { x: Math.round(box.left + box.width / 2), y: Math.round(box.top + box.height / 2) };
}

function click(element: Element, ctrl = false): void {
    const { x, y } = centre(element);
    d3Click(element as HTMLElement, x, y, ctrl ? ClickEventType.CtrlKey : ClickEventType.Default);
}

function indicesWhere(rows: readonly DiscoveryRow[], keep: (row: DiscoveryRow) => boolean): number[] {
    return rows.flatMap((row, index) => (keep(row) ? [index] : []));
}

function keysOf(ids: readonly ISelectionId[]): string[] {
    return ids.map(id => (id as TestSelectionId).key);
}

const HIGH = (row: DiscoveryRow) => row.score !== null && row.score >= 0 && row.score <= 3;

describe("Shadow IT Discovery selection, on a host with Power BI's row identities", () => {
    const rows = generateDiscoveryRows();
    // The visual sees the first window only; the rest of the report still holds every row.
    const LOADED = 300;
    const loaded = rows.slice(0, LOADED);
    const categories = categoryTotals(loaded);
    let builder: ShadowItBuilder;
    let manager: MockISelectionManager;

    function setUp(dataRows: readonly DiscoveryRow[] = loaded, segment = true): void {
        builder = new ShadowItBuilder({ width: 1100, height: 800 });
        manager = builder.host.createSelectionManager() as unknown as MockISelectionManager;
        spyOn(manager, "showContextMenu").and.callThrough();
        builder.render(buildDataView(dataRows, { segment }));
    }

    /** The rows every other visual keeps under the filter the visual applied last. */
    function reportRows(): number[] {
        return rowsPassing(builder.filters.current, rows);
    }

    afterEach(() => builder.remove());

    it("filters the report to every row of a clicked category, rows not loaded yet included", async () => {
        setUp();
        const name = categories[0].name;
        click(builder.mark("category-traffic", `${name}:`));
        await flushPromises();
        expect(builder.filters.calls.length).toBe(1);
        expect(builder.filters.calls[0].action).withContext("FilterAction.merge").toBe(0);
        const expected = indicesWhere(rows, r => r.category === name);
        expect(expected.some(i => i >= LOADED)).withContext("the category has rows beyond the loaded window").toBeTrue();
        expect(reportRows()).toEqual(expected);
        expect(builder.mark("category-traffic", `${name}:`).classList).toContain("shadowit-selected");
    });

    it("filters (Blank) to every form of blank its rows hold: null and the empty text", async () => {
        // Some rows have no category at all, others an empty one; the dashboard shows both as (Blank).
        const blanks = rows.map((row, i) => (i % 7 === 0 ? { ...row, category: i % 2 === 0 ? null : "" } : row));
        setUp(blanks.slice(0, LOADED));
        builder.render(buildDataView(blanks.slice(0, LOADED), { segment: true, objects: { categoryTraffic: { topN: 50 } } }));
        click(builder.mark("category-traffic", "(Blank):"));
        await flushPromises();
        const kept = rowsPassing(builder.filters.current, blanks);
        expect(kept).toEqual(indicesWhere(blanks, r => r.category === null || r.category === ""));
        expect(kept.some(i => blanks[i].category === "") && kept.some(i => blanks[i].category === null)).toBeTrue();
    });

    it("filters \"Other\" to the rows of every category folded into it", async () => {
        setUp();
        click(builder.mark("category-traffic", "Other:"));
        await flushPromises();
        const rest = new Set(categories.slice(10).map(c => c.name));
        expect(reportRows()).toEqual(indicesWhere(rows, r => r.category !== null && rest.has(r.category)));
    });

    it("filters a risk band by its score range and a stream and an app by their names", async () => {
        setUp();
        click(builder.mark("risk-bands", "High risk"));
        await flushPromises();
        expect(reportRows()).toEqual(indicesWhere(rows, HIGH));

        click(builder.mark("risk-bands", "Unscored"));
        await flushPromises();
        expect(reportRows()).toEqual(indicesWhere(rows, r => r.score === null));

        click(builder.mark("stream-bytes", "Legal:"));
        await flushPromises();
        expect(reportRows()).toEqual(indicesWhere(rows, r => r.stream === "Legal"));

        const app = builder.marks("top-apps")[0];
        const appName = (app.getAttribute("aria-label") ?? "").split(" (")[0];
        click(app);
        await flushPromises();
        const appRows = indicesWhere(rows, r => r.app === appName);
        expect(appRows.length).toBeGreaterThan(1);
        expect(reportRows()).toEqual(appRows);
    });

    it("adds items of a kind with Ctrl, narrows by another kind, and removes an item on a second Ctrl+click", async () => {
        setUp();
        const [first, second] = [categories[0].name, categories[1].name];
        click(builder.mark("category-traffic", `${first}:`));
        await flushPromises();
        click(builder.mark("category-traffic", `${second}:`), true);
        await flushPromises();
        const both = (r: DiscoveryRow) => r.category === first || r.category === second;
        expect(reportRows()).toEqual(indicesWhere(rows, both));
        expect(builder.marks("category-traffic").filter(m => m.classList.contains("shadowit-selected")).length).toBe(2);

        click(builder.mark("stream-bytes", "Legal:"), true);
        await flushPromises();
        expect(reportRows()).toEqual(indicesWhere(rows, r => both(r) && r.stream === "Legal"));

        click(builder.mark("category-traffic", `${first}:`), true);
        await flushPromises();
        expect(reportRows()).toEqual(indicesWhere(rows, r => r.category === second && r.stream === "Legal"));

        // A plain click replaces the whole selection.
        click(builder.mark("risk-bands", "High risk"));
        await flushPromises();
        expect(reportRows()).toEqual(indicesWhere(rows, HIGH));
    });

    it("clears the filter on a second click, on empty space and on Escape", async () => {
        setUp();
        const bar = () => builder.mark("category-traffic", `${categories[2].name}:`);
        click(bar());
        await flushPromises();
        click(bar());
        await flushPromises();
        expect(builder.filters.calls.map(c => c.action)).toEqual([0, 1]);
        expect(reportRows().length).toBe(rows.length);
        expect(builder.root.querySelectorAll(".shadowit-selected, .shadowit-dimmed").length).toBe(0);

        click(bar());
        await flushPromises();
        click(builder.root);
        await flushPromises();
        expect(builder.filters.current).toEqual([]);
        click(bar());
        await flushPromises();
        bar().dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true }));
        await flushPromises();
        expect(builder.filters.current).toEqual([]);
    });

    it("restores the selection from a bookmark's jsonFilters and keeps it across updates", async () => {
        setUp();
        const name = categories[3].name;
        // The filter Power BI saved with the bookmark: a basic filter on the category column.
        const bookmark = [{
            $schema: "http://powerbi.com/product/schema#basic", target: { table: "McasShadowItReporting", column: "AppCategory" },
            filterType: 1, operator: "In", values: [name],
        }];
        builder.render(buildDataView(loaded, { segment: true }), { jsonFilters: bookmark as unknown as powerbi.IFilter[] });
        expect(builder.mark("category-traffic", `${name}:`).classList).toContain("shadowit-selected");
        expect(builder.mark("category-traffic", `${categories[0].name}:`).classList).toContain("shadowit-dimmed");
        expect(builder.filters.calls.length).withContext("restoring applies nothing").toBe(0);

        // A band's filter names its scores; restoring it selects the band.
        const band = [{ ...bookmark[0], target: { table: "McasShadowItReporting", column: "AppScore" }, values: [0, 1, 2, 3] }];
        builder.render(buildDataView(loaded, { segment: true }), { jsonFilters: band as unknown as powerbi.IFilter[] });
        expect(builder.mark("risk-bands", "High risk").classList).toContain("shadowit-selected");
        expect(builder.mark("risk-bands", "Low risk").classList).toContain("shadowit-dimmed");
        expect(builder.root.querySelectorAll("[data-panel=category-traffic] .shadowit-selected").length).toBe(0);

        // The restored item behaves as if clicked here: a second click clears it.
        click(builder.mark("risk-bands", "High risk"));
        await flushPromises();
        expect(builder.filters.calls.map(c => c.action)).toEqual([1]);

        // An empty jsonFilters (a bookmark without a selection) clears the marks.
        builder.render(buildDataView(loaded, { segment: true }), { jsonFilters: bookmark as unknown as powerbi.IFilter[] });
        builder.render(buildDataView(loaded, { segment: true }), { jsonFilters: [] });
        expect(builder.root.querySelectorAll(".shadowit-selected").length).toBe(0);
    });

    it("gives report page tooltips the identity of every loaded row of the item, and nothing else", () => {
        setUp();
        const service = builder.host.tooltipService;
        spyOn(service, "show");
        const name = categories[1].name;
        const bar = builder.mark("category-traffic", `${name}:`);
        const { x, y } = centre(bar);
        bar.dispatchEvent(new PointerEvent("pointerover", { bubbles: true, pointerType: "mouse", clientX: x, clientY: y }));
        const options = (service.show as jasmine.Spy).calls.mostRecent().args[0] as powerbi.extensibility.TooltipShowOptions;
        const expected = loaded.filter(r => r.category === name).map(r => rowIdentityOf(r, ["AppCategory", "AppName", "StreamName", "AppScore", "AppTags"]).key);
        expect(expected.length).toBeGreaterThan(1);
        expect(keysOf(options.identities as ISelectionId[]).sort()).toEqual(expected.sort());
    });

    it("opens the data-point context menu with the row's identity when the item is one row, the visual's otherwise", () => {
        // Grouped by category alone, each category is one row: its identity is the whole item.
        builder = new ShadowItBuilder({ width: 1100, height: 800 });
        manager = builder.host.createSelectionManager() as unknown as MockISelectionManager;
        spyOn(manager, "showContextMenu").and.callThrough();
        const byCategory = categoryTotals(loaded).map(c => ({ ...loaded.find(r => r.category === c.name)!, total: c.total }));
        builder.render(buildDataView(byCategory, { groupings: ["AppCategory"], measures: ["TotalBytes"] }));
        const bar = builder.mark("category-traffic", `${byCategory[0].category}:`);
        const at = centre(bar);
        bar.dispatchEvent(createContextMenuEvent(at.x, at.y));
        const [id, position] = (manager.showContextMenu as jasmine.Spy).calls.mostRecent().args;
        expect((id as TestSelectionId).key).toBe(`AppCategory=${JSON.stringify(byCategory[0].category)}`);
        expect(position).toEqual(at);

        // With every grouping bound, a category spans many rows: no single row's identity may stand for it.
        builder.render(buildDataView(loaded, { segment: true }));
        const many = builder.mark("category-traffic", `${categories[0].name}:`);
        const point = centre(many);
        many.dispatchEvent(createContextMenuEvent(point.x, point.y));
        const [wide] = (manager.showContextMenu as jasmine.Spy).calls.mostRecent().args;
        expect(wide).toEqual({});
    });
});
