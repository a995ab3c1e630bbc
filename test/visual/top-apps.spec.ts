import powerbi from "powerbi-visuals-api";
import { createContextMenuEvent, d3Click, ClickEventType, MockISelectionManager } from "powerbi-visuals-utils-testutils";
import { DiscoveryRow, generateDiscoveryRows } from "./helpers/discovery-data";
import { ALL_GROUPINGS, buildDataView, rowIdentityOf } from "./helpers/data-view";
import { rowsPassing } from "./helpers/report-filter";
import { appLabel, appTotals, bytes, count } from "./helpers/expected";
import { resource } from "./helpers/localization";
import { computedColor as rgb } from "./helpers/stylesheet";
import { flushPromises, HIGH_CONTRAST, HostOptions, ShadowItBuilder, TestSelectionId } from "./helpers/visual-builder";
import ISelectionId = powerbi.visuals.ISelectionId;
import { failOnConsoleErrors } from "./helpers/console-errors";

function centre(element: Element): { x: number; y: number } {
    const box = element.getBoundingClientRect();
    return { x: Math.round(box.left + box.width / 2), y: Math.round(box.top + box.height / 2) };
}

function keysOf(ids: ISelectionId | ISelectionId[]): string[] {
    return ([] as ISelectionId[]).concat(ids).map(id => (id as TestSelectionId).key);
}

function key(element: Element, name: string, init: KeyboardEventInit = {}): void {
    element.dispatchEvent(new KeyboardEvent("keydown", { key: name, bubbles: true, cancelable: true, ...init }));
}

/** Rendered widths of the rows' traffic bars. */
function barWidths(marks: readonly Element[]): number[] {
    return marks.map(m => m.querySelector(".shadowit-traffic-bar")!.getBoundingClientRect().width);
}

function headers(builder: ShadowItBuilder): string[] {
    return Array.from(builder.panel("top-apps")!.querySelectorAll(".shadowit-column-title")).map(t => t.textContent ?? "");
}

describe("Shadow IT Discovery top apps", () => {
    const rows = generateDiscoveryRows();
    const apps = appTotals(rows);
    let builder: ShadowItBuilder;
    let manager: MockISelectionManager;
    function setUp(options: HostOptions = {}, dataRows: readonly DiscoveryRow[] = rows): void {
        builder = new ShadowItBuilder({ width: 1100, height: 800, ...options });
        manager = builder.host.createSelectionManager() as unknown as MockISelectionManager;
        spyOn(manager, "select").and.callThrough();
        spyOn(manager, "showContextMenu").and.callThrough();
        builder.render(buildDataView(dataRows));
    }

    afterEach(() => builder.remove());
    failOnConsoleErrors();

    it("lists the top 10 apps by traffic with category, score, state, users and blocked events", () => {
        setUp();
        expect(apps.length).toBeGreaterThan(10);
        expect(apps.some(a => a.score === null)).withContext("the sample has unscored apps").toBeTrue();
        expect(builder.labels("top-apps")).toEqual(apps.slice(0, 10).map(appLabel));
        const panel = builder.panel("top-apps")!;
        expect(panel.getAttribute("aria-label")).toBe("Top apps by traffic");
        const stillUsed = apps.filter(a => a.state === "unsanctioned" && a.total > 0).length;
        expect(panel.querySelector(".shadowit-caption")!.textContent).toBe(`Top 10 of ${count(apps.length)} apps · ⚠ ${stillUsed} unsanctioned apps still carry traffic`);
        expect(headers(builder)).toEqual(["App", "Category", "Score", "Status", "Traffic", "Users", "Blocked"]);
        // The cells show the same values as the aria-label.
        const first = builder.marks("top-apps")[0];
        expect(first.querySelector(".shadowit-label")!.firstChild!.nodeValue).toBe(apps[0].name);
        expect(first.querySelector(".shadowit-value")!.textContent).toBe(bytes(apps[0].total));
        expect(first.querySelector(".shadowit-users")!.textContent).toBe(`≥ ${count(apps[0].usersMax)}`);
        expect(first.querySelector(".shadowit-blocked")!.textContent).toBe(count(apps[0].blocked));
        // The bar in the traffic cell is proportional to the app's traffic.
        const widths = barWidths(builder.marks("top-apps"));
        expect(widths[0]).toBeGreaterThan(100);
        widths.forEach((w, i) => expect(w / widths[0]).toBeCloseTo(apps[i].total / apps[0].total, 2));
        // Rows are stacked below the column headers, and numbers end where their header ends.
        const marks = builder.marks("top-apps");
        const head = builder.panel("top-apps")!.querySelector(".shadowit-table-head")!.getBoundingClientRect();
        expect(marks[0].getBoundingClientRect().top).toBeCloseTo(head.bottom, 1);
        marks.slice(1).forEach((m, i) => expect(m.getBoundingClientRect().top).toBeCloseTo(marks[i].getBoundingClientRect().bottom, 1));
        const usersTitle = builder.panel("top-apps")!.querySelector("[data-column='users']")!.getBoundingClientRect();
        expect(first.querySelector(".shadowit-users")!.getBoundingClientRect().right).toBeCloseTo(usersTitle.right, 0);
    });

    it("honours its own top N and leaves out columns whose fields are not bound", () => {
        setUp();
        builder.render(buildDataView(rows, { objects: { topApps: { topN: 3 }, categoryTraffic: { topN: 20 } } }));
        expect(builder.labels("top-apps")).toEqual(apps.slice(0, 3).map(appLabel));
        builder.render(buildDataView(rows, { groupings: ["AppName"], measures: ["TotalBytes"] }));
        expect(builder.labels("top-apps")).toEqual(apps.slice(0, 10).map(a => `${a.name}: ${bytes(a.total)}`));
        expect(headers(builder)).toEqual(["App", "Traffic"]);
    });

    it("keeps its rows, focus and selection when a narrower panel drops columns, and redraws their cells", async () => {
        setUp();
        const before = builder.marks("top-apps");
        d3Click(before[1], centre(before[1]).x, centre(before[1]).y, ClickEventType.Default);
        await flushPromises();
        before[2].focus();
        builder.render(buildDataView(rows), { viewport: { width: 420, height: 1600 } });
        const narrow = builder.marks("top-apps");
        narrow.forEach((row, i) => expect(row).withContext(`row ${i}`).toBe(before[i]));
        expect(document.activeElement).toBe(before[2]);
        expect(narrow[1].classList).toContain("shadowit-selected");
        expect(headers(builder)).not.toContain("Category");
        expect(builder.panel("top-apps")!.querySelectorAll(".shadowit-category").length).toBe(0);
        expect(builder.labels("top-apps")).toEqual(apps.slice(0, 10).map(appLabel));
        // Back to the full width: every column returns with the app's values.
        builder.render(buildDataView(rows), { viewport: { width: 1100, height: 800 } });
        expect(headers(builder)).toEqual(["App", "Category", "Score", "Status", "Traffic", "Users", "Blocked"]);
        builder.marks("top-apps").forEach((row, i) => {
            expect(row).toBe(before[i]);
            expect(row.querySelector(".shadowit-category")!.textContent).toBe(apps[i].category);
            expect(row.querySelector(".shadowit-label")!.textContent).toBe(apps[i].name);
            expect(row.querySelectorAll(".shadowit-label, .shadowit-value, .shadowit-traffic-bar").length).toBe(3);
        });
    });

    it("moves a row's cells with its app when the order changes", () => {
        setUp();
        const first = builder.marks("top-apps")[0];
        const firstTop = first.getBoundingClientRect().top;
        // Without the first app's rows, every other app moves up one row.
        builder.render(buildDataView(rows.filter(r => r.app !== apps[0].name)));
        const shown = builder.marks("top-apps");
        expect(shown).not.toContain(first);
        expect(shown[0].getBoundingClientRect().top).toBe(firstTop);
        expect(builder.labels("top-apps")).toEqual(apps.slice(1, 11).map(appLabel));
        shown.forEach((row, i) => {
            expect(row.querySelector(".shadowit-label")!.textContent).toBe(apps[i + 1].name);
            expect(row.querySelector(".shadowit-value")!.textContent).toBe(bytes(apps[i + 1].total));
        });
        const widths = barWidths(shown);
        widths.forEach((w, i) => expect(w / widths[0]).toBeCloseTo(apps[i + 1].total / apps[1].total, 2));
    });

    it("names the fields to add when AppName or bytes are missing", () => {
        setUp();
        builder.render(buildDataView(rows, { groupings: ["AppCategory", "StreamName"], measures: ["UploadedBytes"] }));
        expect(builder.panel("top-apps")!.textContent).toContain("Add App name, Total bytes to show this panel.");
        expect(builder.marks("top-apps").length).toBe(0);
    });

    /** Rows of the named apps, as the rest of the report should keep them. */
    const rowsOfApps = (...names: string[]) => rows.flatMap((r, i) => (names.includes(r.app ?? "") ? [i] : []));

    it("filters the report to every row of an app with a filter on the AppName column; Ctrl adds", async () => {
        setUp();
        const firstRow = builder.marks("top-apps")[1];
        const { x, y } = centre(firstRow);
        d3Click(firstRow, x, y, ClickEventType.Default);
        await flushPromises();
        expect(rowsPassing(builder.filters.current, rows)).toEqual(rowsOfApps(apps[1].name));
        expect(manager.select).not.toHaveBeenCalled();
        expect(builder.marks("top-apps")[1].getAttribute("aria-selected")).toBe("true");
        expect(builder.marks("top-apps")[0].classList).toContain("shadowit-dimmed");

        const third = builder.marks("top-apps")[2];
        d3Click(third, centre(third).x, centre(third).y, ClickEventType.CtrlKey);
        await flushPromises();
        expect(rowsPassing(builder.filters.current, rows)).toEqual(rowsOfApps(apps[1].name, apps[2].name));
    });

    it("moves between rows with the arrow keys, selects with Enter and opens the context menu", async () => {
        setUp();
        const rowsOf = () => builder.marks("top-apps");
        rowsOf()[0].focus();
        key(rowsOf()[0], "ArrowDown");
        expect(document.activeElement).toBe(rowsOf()[1]);
        expect(rowsOf()[1].getAttribute("tabindex")).toBe("0");
        key(rowsOf()[1], "Enter");
        await flushPromises();
        expect(rowsPassing(builder.filters.current, rows)).toEqual(rowsOfApps(apps[1].name));
        // An app of one row gets the data-point menu with that row's identity; an app of several rows the visual's.
        const menuTarget = (index: number) => {
            const appRows = rows.filter(r => r.app === apps[index].name);
            return appRows.length === 1 ? rowIdentityOf(appRows[0], ALL_GROUPINGS).key : undefined;
        };
        const menuKey = () => ((manager.showContextMenu as jasmine.Spy).calls.mostRecent().args[0] as Partial<TestSelectionId>).key;
        key(rowsOf()[1], "F10", { shiftKey: true });
        expect(manager.showContextMenu).toHaveBeenCalledTimes(1);
        expect(menuKey()).toBe(menuTarget(1));
        const row = rowsOf()[4];
        row.dispatchEvent(createContextMenuEvent(centre(row).x, centre(row).y));
        expect(menuKey()).toBe(menuTarget(4));
    });

    it("shows the app's values in the host tooltip with its identity", () => {
        setUp();
        const show = spyOn(builder.host.tooltipService, "show");
        const row = builder.marks("top-apps")[0];
        row.dispatchEvent(new PointerEvent("pointerover", { bubbles: true, pointerType: "mouse", clientX: 10, clientY: 10 }));
        const options = show.calls.mostRecent().args[0];
        const items = options.dataItems!.map(i => `${i.displayName}=${i.value}`);
        const total = rows.reduce((s, r) => s + r.total, 0);
        const share = new Intl.NumberFormat("en-US", { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
        expect(items).toContain(`App name=${apps[0].name}`);
        expect(items).toContain(`Traffic=${bytes(apps[0].total)}`);
        expect(items).toContain(`Share of traffic=${share.format(apps[0].total / total)}`);
        expect(items).toContain(`Blocked events=${count(apps[0].blocked)}`);
        expect(keysOf(options.identities as ISelectionId[]))
            .toEqual(rows.filter(r => r.app === apps[0].name).map(r => rowIdentityOf(r, ALL_GROUPINGS).key));
    });

    it("draws highlighted traffic over the dimmed bar", () => {
        setUp();
        builder.render(buildDataView(rows, { highlight: r => (r.stream === "Legal" ? 1 : 0) }));
        const first = builder.marks("top-apps")[0];
        const legal = rows.filter(r => r.app === apps[0].name && r.stream === "Legal").reduce((s, r) => s + r.total, 0);
        expect(first.getAttribute("aria-label")).toBe(`${appLabel(apps[0])}, highlighted ${bytes(legal)}`);
        expect(first.classList).toContain("shadowit-has-highlight");
        const bar = first.querySelector(".shadowit-traffic-bar")!.getBoundingClientRect();
        const highlight = first.querySelector(".shadowit-highlight")!.getBoundingClientRect();
        expect(highlight.width / bar.width).toBeCloseTo(legal / apps[0].total, 2);
        // Over the bar, from its start, and the bar is dimmed.
        expect(highlight.left).toBe(bar.left);
        expect(highlight.top).toBeGreaterThan(bar.top);
        expect(highlight.bottom).toBeLessThan(bar.bottom);
        expect(getComputedStyle(first.querySelector(".shadowit-traffic-bar")!).opacity).toBe("0.4");
        // Without the highlight, it goes and the bar is drawn in full again.
        builder.render(buildDataView(rows));
        expect(first.querySelector(".shadowit-highlight")).toBeNull();
        expect(first.classList).not.toContain("shadowit-has-highlight");
        expect(getComputedStyle(first.querySelector(".shadowit-traffic-bar")!).opacity).toBe("1");
    });

    it("shows a blank name as (Blank), markup as text and a 10,000-character name shortened", () => {
        const longName = "Exfiltration tool ".repeat(556).slice(0, 10000);
        const markup = "<img src=x onerror=alert(1)><b>Drive</b>";
        const hostile = rows.map((r, i) => i === 0 ? { ...r, app: longName, total: 9e12 }
            : i === 1 ? { ...r, app: markup, total: 8e12 } : i === 2 ? { ...r, app: "", total: 7e12 } : r);
        setUp({}, hostile);
        const [long, tagged, blank] = builder.marks("top-apps");
        expect(long.getAttribute("aria-label")!.startsWith(longName.slice(0, 255 - 1))).toBeTrue();
        const shown = long.querySelector(".shadowit-label")!.firstChild!.nodeValue!;
        expect(shown.length).toBeLessThan(200);
        expect(shown.endsWith("…")).toBeTrue();
        expect(long.querySelector(".shadowit-label")!.getAttribute("title")!.length).toBe(256);
        expect(tagged.querySelector(".shadowit-label")!.hasAttribute("title")).toBeFalse();
        expect(tagged.getAttribute("aria-label")!.startsWith(`${markup} (`)).toBeTrue();
        expect(builder.root.querySelector("img, b")).toBeNull();
        expect(blank.getAttribute("aria-label")!.startsWith("(Blank) (")).toBeTrue();
    });

    it("uses only the high-contrast colours and tells states apart by pattern", async () => {
        setUp({ highContrast: true });
        builder.render(buildDataView(rows, { highlight: r => (r.stream === "Legal" ? 1 : 0) }));
        const allowed = [HIGH_CONTRAST.foreground, HIGH_CONTRAST.background, HIGH_CONTRAST.foregroundSelected].map(rgb);
        const transparent = "rgba(0, 0, 0, 0)";
        const marks = builder.marks("top-apps");
        // Each row's bar (only outlined while a highlight is drawn over it), its highlight and its two swatches.
        const painted = marks.flatMap(m => [
            getComputedStyle(m.querySelector(".shadowit-traffic-bar")!),
            ...Array.from(m.querySelectorAll(".shadowit-highlight"), h => getComputedStyle(h)),
            getComputedStyle(m.querySelector(".shadowit-score")!, "::before"),
            getComputedStyle(m.querySelector(".shadowit-status")!, "::before"),
        ]);
        expect(painted.length).toBeGreaterThan(30);
        for (const style of painted) {
            expect([...allowed, transparent]).toContain(style.backgroundColor);
            if (style.outlineStyle !== "none") expect(allowed).toContain(style.outlineColor);
        }
        for (const mark of marks) {
            const bar = getComputedStyle(mark.querySelector(".shadowit-traffic-bar")!);
            expect(bar.backgroundColor).toBe(transparent);
            expect(bar.outlineStyle).not.toBe("none");
            expect(bar.outlineColor).toBe(rgb(HIGH_CONTRAST.foreground));
        }
        expect(getComputedStyle(marks[0].querySelector(".shadowit-highlight")!).backgroundColor).toBe(rgb(HIGH_CONTRAST.foregroundSelected));
        const styleOf = (state: string) => {
            const index = apps.slice(0, 10).findIndex(a => a.state === state);
            const swatch = getComputedStyle(marks[index].querySelector(".shadowit-status")!, "::before");
            return `${swatch.backgroundColor}|${swatch.outlineStyle}`;
        };
        const states = [...new Set(apps.slice(0, 10).map(a => a.state))];
        expect(states.length).toBeGreaterThan(1);
        expect(new Set(states.map(styleOf)).size).toBe(states.length);
        // A selected row is outlined, not only dimmed apart from the others.
        d3Click(marks[1], centre(marks[1]).x, centre(marks[1]).y, ClickEventType.Default);
        await flushPromises();
        expect(marks[0].classList).toContain("shadowit-dimmed");
        expect(getComputedStyle(marks[1]).boxShadow).toContain(rgb(HIGH_CONTRAST.foreground));
        expect(getComputedStyle(marks[0]).boxShadow).toBe("none");
        expect(getComputedStyle(marks[0]).opacity).toBe("1");
    });

    it("draws its headers and labels in German and Japanese", () => {
        setUp({ locale: "de-DE" });
        expect(builder.panel("top-apps")!.querySelector(".shadowit-panel-title")!.textContent).toBe(resource("de-DE", "Visual_Panel_TopApps"));
        expect(headers(builder)).toEqual(["App", "Kategorie", "Bewertung", "Status", "Datenverkehr", "Benutzer", "Blockiert"]
            .map((text, i) => i === 4 ? resource("de-DE", "Visual_Traffic") : text));
        const de = new Intl.NumberFormat("de-DE");
        const a = apps[0];
        const state = { "sanctioned": "genehmigt", "unsanctioned": "nicht genehmigt", "other tags": "andere Tags" }[a.state];
        const score = a.score === null ? "nicht bewertet" : `Bewertung ${a.score}`;
        expect(builder.labels("top-apps")[0]).toBe(
            `${a.name} (${a.category}, ${score}, ${state}): ${bytes(a.total)}, ${resource("de-DE", "Visual_UsersAtLeast")
                .replace("{count}", de.format(a.usersMax))}, ${de.format(a.blocked)} blockierte Ereignisse`);
        builder.remove();
        setUp({ locale: "ja-JP" });
        expect(headers(builder)[0]).toBe("アプリ");
        expect(builder.panel("top-apps")!.getAttribute("aria-label")).toBe("トラフィック上位のアプリ");
    });
});
