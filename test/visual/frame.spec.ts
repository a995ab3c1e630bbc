import { generateDiscoveryRows } from "./helpers/discovery-data";
import { buildDataView } from "./helpers/data-view";
import { ShadowItBuilder } from "./helpers/visual-builder";
import { failOnConsoleErrors } from "./helpers/console-errors";

/** The dashboard's frame: the root's children per mode, the panels' sections and the lines above the grid. */
describe("Shadow IT Discovery frame", () => {
    const rows = generateDiscoveryRows();
    let builder: ShadowItBuilder;

    const childClasses = (): string[] => Array.from(builder.root.children).map(c => c.className);

    beforeEach(() => {
        builder = new ShadowItBuilder({ width: 1100, height: 800 });
    });

    afterEach(() => builder.remove());
    failOnConsoleErrors();

    it("holds the note, the hint and the grid of panels, and only them, while the dashboard shows", () => {
        builder.render(buildDataView(rows));
        expect(childClasses()).toEqual(["shadowit-note", "shadowit-hint", "shadowit-grid"]);
        expect(builder.root.dataset.mode).toBe("dashboard");
        const grid = builder.root.querySelector(".shadowit-grid")!;
        expect(Array.from(grid.children).map(s => s.getAttribute("data-panel")))
            .toEqual(["kpis", "category-traffic", "risk-bands", "stream-bytes", "top-apps"]);
        for (const section of Array.from(grid.children) as HTMLElement[]) {
            const title = section.querySelector(".shadowit-panel-title")!;
            expect(title.textContent).toBe(section.getAttribute("aria-label")!);
            expect(title.getAttribute("title")).toBe(section.getAttribute("aria-label")!);
            expect(section.style.position).toBe("absolute");
            expect(section.querySelector(":scope > .shadowit-body")).not.toBeNull();
        }
    });

    it("draws the landing page once however often it is asked for, and the dashboard again afterwards", () => {
        builder.render(buildDataView(rows));
        builder.updateWith([]);
        builder.updateWith([]);
        expect(childClasses()).toEqual(["shadowit-landing"]);
        builder.render(buildDataView(rows));
        expect(childClasses()).toEqual(["shadowit-note", "shadowit-hint", "shadowit-grid"]);
        expect(builder.marks("top-apps").length).toBe(10);
    });

    it("keeps the panels' elements and the focused mark when a resize moves the panels", () => {
        builder.render(buildDataView(rows));
        const sections = Array.from(builder.root.querySelectorAll<HTMLElement>("section.shadowit-panel"));
        const tile = builder.marks("kpis")[1];
        tile.focus();
        const left = builder.panel("risk-bands")!.style.left;
        builder.render(buildDataView(rows), { viewport: { width: 700, height: 1000 } });
        expect(Array.from(builder.root.querySelectorAll("section.shadowit-panel"))).toEqual(sections);
        expect(document.activeElement).toBe(tile);
        const moved = builder.panel("risk-bands")!.style;
        expect(moved.left).not.toBe(left);
        expect(moved.position).toBe("absolute");
        expect(parseFloat(moved.left) + parseFloat(moved.width)).toBeLessThanOrEqual(700);
        expect(parseFloat(moved.height)).toBeGreaterThan(0);
        expect(builder.root.style.width).toBe("700px");
    });

    it("shows the hint line only while panels are hidden", () => {
        builder.render(buildDataView(rows));
        const hint = builder.root.querySelector<HTMLElement>(".shadowit-hint")!;
        expect(hint.style.display).toBe("none");
        builder.render(buildDataView(rows), { viewport: { width: 400, height: 300 } });
        expect(hint.style.display).toBe("");
        expect(hint.textContent).toMatch(/^\d panels hidden: enlarge the visual$/);
        expect(builder.root.querySelector(".shadowit-hint")).toBe(hint);
        builder.render(buildDataView(rows), { viewport: { width: 1100, height: 800 } });
        expect(hint.style.display).toBe("none");
        expect(hint.textContent).toBe("");
    });
});
