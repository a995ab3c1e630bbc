// Panel mode: the visual draws one registered panel alone, filling it, bound only to the fields that panel needs
// (Power BI then sends one row per item of the panel). Each panel alone, switching modes, a saved value that names no
// panel, the landing page and the missing-field message, and selection, keyboard, tooltips and high contrast there.
import powerbi from "powerbi-visuals-api";
import { ClickEventType, d3Click } from "powerbi-visuals-utils-testutils";
import { PANELS } from "../../src/panels/registry";
import type { PanelDefinition } from "../../src/panels/definition";
import type { RoleName } from "../../src/model/types";
import { ALL_GROUPINGS, ALL_MEASURES, buildDataView, GROUPING_VALUE, GroupingRole, MeasureRole } from "./helpers/data-view";
import { DiscoveryRow, generateDiscoveryRows } from "./helpers/discovery-data";
import { bytes, count } from "./helpers/expected";
import { rowsPassing } from "./helpers/report-filter";
import { flushPromises, HIGH_CONTRAST, HostOptions, OperationKind, ShadowItBuilder } from "./helpers/visual-builder";

const NOW = new Date("2026-03-02T10:00:00Z");
const WIDTH = 900;
const HEIGHT = 600;

/** The rows with a user and a day each (seven days up to today), as a report binding people and time would have. */
function peopleAndDays(): DiscoveryRow[] {
    return generateDiscoveryRows().map((row, i) => ({ ...row, user: `user${i % 23}@contoso.com`, time: new Date(2026, 2, 2 - (i % 7)) }));
}

/**
 * The rows as Power BI aggregates them when only `groupings` are bound: one row per combination, measures summed
 * (Users too: these specs do not read user counts).
 */
function atGrain(rows: readonly DiscoveryRow[], groupings: readonly GroupingRole[]): DiscoveryRow[] {
    const groups = new Map<string, DiscoveryRow>();
    for (const row of rows) {
        const key = JSON.stringify(groupings.map(role => {
            const value = GROUPING_VALUE[role](row);
            return value instanceof Date ? value.getTime() : value;
        }));
        const kept = groups.get(key);
        if (kept === undefined) groups.set(key, { ...row });
        else {
            kept.uploaded += row.uploaded;
            kept.downloaded += row.downloaded;
            kept.total += row.total;
            kept.events += row.events;
            kept.blocked += row.blocked;
        }
    }
    return [...groups.values()];
}

/** The fields a panel asks for until it is complete, from its own missing(): what a report binds in panel mode. */
function neededRoles(panel: PanelDefinition): { groupings: GroupingRole[]; measures: MeasureRole[] } {
    const bound = new Set<RoleName>();
    for (let asked = panel.missing(bound); asked.length > 0; asked = panel.missing(bound)) asked.forEach(role => bound.add(role));
    return {
        groupings: [...ALL_GROUPINGS, "TimeGenerated", "UserName", "IpAddress"].filter(role => bound.has(role as RoleName)) as GroupingRole[],
        measures: ALL_MEASURES.filter(role => bound.has(role)),
    };
}

const REGISTERED = PANELS as readonly PanelDefinition[];
const mode = (panel: unknown): powerbi.DataViewObjects => ({ panelMode: { panel: panel as powerbi.DataViewPropertyValue } });

describe("Shadow IT Discovery panel mode", () => {
    const rows = peopleAndDays();
    let builder: ShadowItBuilder;

    function setUp(options: HostOptions = {}): void {
        builder = new ShadowItBuilder({ width: WIDTH, height: HEIGHT, ...options });
        builder.instance.clock = () => NOW;
    }

    /** Renders `panel` alone, bound to the fields it needs, over the rows aggregated at that grain. */
    function renderAlone(panel: PanelDefinition, objects: powerbi.DataViewObjects = mode(panel.id)): DiscoveryRow[] {
        const { groupings, measures } = neededRoles(panel);
        const grain = atGrain(rows, groupings);
        builder.render(buildDataView(grain, { groupings, measures, objects }));
        return grain;
    }

    const shownPanels = () => Array.from(builder.element.querySelectorAll<HTMLElement>("[data-panel]")).map(p => p.dataset.panel);

    afterEach(() => builder.remove());

    for (const panel of REGISTERED) {
        it(`draws ${panel.id} alone, filling the visual, bound only to the fields it needs`, () => {
            setUp();
            const failed = spyOn(builder.host.eventService, "renderingFailed");
            renderAlone(panel);
            expect(failed).not.toHaveBeenCalled();
            expect(shownPanels()).toEqual([panel.id]);
            const section = builder.panel(panel.id)!;
            const box = section.getBoundingClientRect();
            const root = builder.root.getBoundingClientRect();
            expect(Math.round(box.width)).toBe(WIDTH);
            expect(box.bottom).toBeCloseTo(root.bottom, 0);
            expect(section.querySelector(".shadowit-missing")).toBeNull();
            expect(builder.marks(panel.id).length).toBeGreaterThan(0);
            expect(builder.warningIcon.shown).toBeNull();
        });
    }

    it("shows the key figures' exact total from one row of measures, with no chart beside them", () => {
        setUp();
        const kpis = REGISTERED.find(p => p.id === "kpis")!;
        const grain = renderAlone(kpis);
        expect(grain.length).toBe(1);
        expect(builder.labels("kpis")).toEqual([`Traffic: ${bytes(rows.reduce((s, r) => s + r.total, 0))}`]);
    });

    it("names only the chosen panel's missing fields, and draws no other panel", () => {
        setUp();
        builder.render(buildDataView(atGrain(rows, ["AppName"]), { groupings: ["AppName"], measures: ["TotalBytes"], objects: mode("stream-bytes") }));
        expect(shownPanels()).toEqual(["stream-bytes"]);
        expect(builder.panel("stream-bytes")!.querySelector(".shadowit-missing")!.textContent)
            .toBe("Add Stream name, Uploaded bytes, Downloaded bytes to show this panel.");
        expect(builder.element.querySelectorAll(".shadowit-missing").length).toBe(1);
    });

    it("draws a time panel even before Time generated is bound, saying what it needs", () => {
        setUp();
        builder.render(buildDataView(atGrain(rows, ["StreamName"]), { groupings: ["StreamName"], measures: ["TotalBytes"], objects: mode("freshness") }));
        expect(shownPanels()).toEqual(["freshness"]);
        expect(builder.panel("freshness")!.textContent).toContain("Add Time generated to show this panel.");
    });

    it("says on the landing page what the chosen panel needs, and only that", () => {
        setUp();
        builder.render({ metadata: { columns: [], objects: mode("top-apps") } } as unknown as powerbi.DataView);
        const landing = builder.element.querySelector(".shadowit-landing")!;
        expect(landing.querySelector("p")!.textContent).toBe(
            "This visual shows one panel, Top apps by traffic. Drag these columns of the McasShadowItReporting table into the field wells:");
        expect(Array.from(landing.querySelectorAll("li")).map(li => li.textContent)).toEqual([
            "App name with Total bytes for the top apps (App score, App tags, Users and Blocked events add columns)",
        ]);
    });

    it("localizes the landing page's panel line", () => {
        setUp({ locale: "de-DE" });
        builder.render({ metadata: { columns: [], objects: mode("risk-bands") } } as unknown as powerbi.DataView);
        const intro = builder.element.querySelector(".shadowit-landing p")!.textContent ?? "";
        expect(intro).toMatch(/^Dieses Visual zeigt ein Panel, /);
        expect(builder.element.querySelectorAll(".shadowit-landing li").length).toBe(1);
    });

    it("switches between the whole dashboard and one panel on the same data", () => {
        setUp();
        const dataView = (objects?: powerbi.DataViewObjects) => buildDataView(rows, { objects });
        builder.render(dataView());
        const dashboard = shownPanels();
        expect(dashboard.length).toBeGreaterThan(3);
        builder.render(dataView(mode("category-traffic")));
        expect(shownPanels()).toEqual(["category-traffic"]);
        expect(Math.round(builder.panel("category-traffic")!.getBoundingClientRect().width)).toBe(WIDTH);
        builder.render(dataView(mode("top-apps")));
        expect(shownPanels()).toEqual(["top-apps"]);
        builder.render(dataView(mode("dashboard")));
        expect(shownPanels()).toEqual(dashboard);
    });

    it("falls back to the whole dashboard on a saved value that names no panel, without failing", () => {
        setUp();
        builder.render(buildDataView(rows));
        const dashboard = shownPanels();
        const failed = spyOn(builder.host.eventService, "renderingFailed");
        for (const bad of ["nonsense", "", 42, true, "Top apps", "__proto__"]) {
            builder.render(buildDataView(rows, { objects: mode(bad) }));
            expect(shownPanels()).withContext(String(bad)).toEqual(dashboard);
        }
        expect(failed).not.toHaveBeenCalled();
    });

    it("hides the Panels card's switches in the formatting pane while one panel is shown", () => {
        setUp();
        builder.render(buildDataView(rows, { objects: mode("top-apps") }));
        const cards = (builder.instance.getFormattingModel().cards as powerbi.visuals.FormattingCard[]).map(card => card.uid);
        expect(cards.some(uid => uid.startsWith("panels"))).toBeFalse();
        expect(cards.some(uid => uid.startsWith("panelMode"))).toBeTrue();
        builder.render(buildDataView(rows));
        expect((builder.instance.getFormattingModel().cards as powerbi.visuals.FormattingCard[]).some(card => card.uid.startsWith("panels"))).toBeTrue();
    });

    it("selects with a click and the keyboard, and shows tooltips, as in the dashboard", async () => {
        setUp();
        const grain = atGrain(rows, ["AppName"]);
        builder.render(buildDataView(grain, { groupings: ["AppName"], measures: ["TotalBytes", "BlockedEvents"], objects: mode("top-apps") }));
        const [first] = builder.marks("top-apps");
        const box = first.getBoundingClientRect();
        d3Click(first, Math.round(box.left + 5), Math.round(box.top + box.height / 2), ClickEventType.Default);
        await flushPromises();
        const byBytes = [...grain].sort((a, b) => b.total - a.total || String(a.app).localeCompare(String(b.app)));
        const of = (name: string | null) => grain.flatMap((r, i) => (r.app === name ? [i] : []));
        expect(rowsPassing(builder.filters.current, grain)).toEqual(of(byBytes[0].app));
        first.focus();
        first.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true, cancelable: true }));
        const second = document.activeElement as HTMLElement;
        expect(second).toBe(builder.marks("top-apps")[1]);
        second.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
        await flushPromises();
        expect(rowsPassing(builder.filters.current, grain)).toEqual(of(byBytes[1].app));
        const service = builder.host.tooltipService;
        spyOn(service, "show");
        second.dispatchEvent(new PointerEvent("pointerover", { bubbles: true, pointerType: "mouse", clientX: 10, clientY: 10 }));
        const items = ((service.show as jasmine.Spy).calls.mostRecent().args[0] as powerbi.extensibility.TooltipShowOptions).dataItems!;
        expect(items.map(item => item.value)).toContain(bytes(byBytes[1].total));
    });

    it("draws in the high-contrast colours alone", () => {
        setUp({ highContrast: true });
        renderAlone(REGISTERED.find(p => p.id === "stream-bytes")!);
        expect(builder.root.classList).toContain("shadowit-high-contrast");
        const fills = new Set(Array.from(builder.panel("stream-bytes")!.querySelectorAll<HTMLElement>(".shadowit-mark *"))
            .map(el => getComputedStyle(el).backgroundColor).filter(color => color !== "rgba(0, 0, 0, 0)"));
        const allowed = [HIGH_CONTRAST.foreground, HIGH_CONTRAST.background, HIGH_CONTRAST.foregroundSelected].map(hex => {
            const n = parseInt(hex.slice(1), 16);
            return `rgb(${n >> 16}, ${(n >> 8) & 255}, ${n & 255})`;
        });
        expect(fills.size).toBeGreaterThan(0);
        for (const fill of fills) expect(allowed).toContain(fill);
    });

    it("says what to do when the row limit cuts the data: panel mode in the dashboard, fewer fields in a panel", () => {
        setUp();
        spyOn(builder.host, "fetchMoreData").and.returnValue(true);
        const many = generateDiscoveryRows(99, 30000);
        const load = (objects: powerbi.DataViewObjects) => {
            builder.render(buildDataView(many.slice(0, 20000), { segment: true, objects }), { operationKind: OperationKind.Create });
            builder.render(buildDataView(many.slice(20000), { segment: true, objects }), { operationKind: OperationKind.Segment });
        };
        load({ format: { rowCap: 30000 } });
        expect(builder.note()).toBe(`Row limit reached: showing the first ${count(30000)} rows. To see them all, show one panel per visual (Format pane, Panel mode) or bind fewer fields`);
        load({ format: { rowCap: 30000 }, ...mode("top-apps") });
        expect(builder.note()).toBe(`Row limit reached: showing the first ${count(30000)} rows. To see them all, bind only the fields this panel needs`);
        expect(shownPanels()).toEqual(["top-apps"]);
    });

    it("keeps loading segments in panel mode and draws the panel once loading ends", () => {
        setUp();
        spyOn(builder.host, "fetchMoreData").and.returnValue(true);
        const grain = atGrain(rows, ["AppName"]);
        const objects = mode("top-apps");
        const half = Math.floor(grain.length / 2);
        builder.render(buildDataView(grain.slice(0, half), { groupings: ["AppName"], measures: ["TotalBytes"], segment: true, objects }),
            { operationKind: OperationKind.Create });
        builder.render(buildDataView(grain.slice(half), { groupings: ["AppName"], measures: ["TotalBytes"], objects }),
            { operationKind: OperationKind.Segment });
        expect(builder.note()).toBe("");
        const top = [...grain].sort((a, b) => b.total - a.total || String(a.app).localeCompare(String(b.app)))[0];
        expect(builder.labels("top-apps")[0]).toBe(`${top.app}: ${bytes(top.total)}`);
    });
});
