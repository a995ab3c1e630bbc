import { followScrolling, revealBarRow } from "./bar-rows";
import { LEFT_OUT_DATES } from "../model/days";
import { DashboardModel, DataNote, LeftOutDate, Panel, PanelId, RoleName } from "../model/types";
import { PANEL_IDS, panelDefinition, PANELS_BY_PRIORITY } from "../panels/registry";
import { panelRenderer } from "../panels/renderers";
import { writeExportButton } from "./export-button";
import { htmlElement } from "./html-rows";
import { kpiTileCount } from "./kpis";
import { computeLayout, Layout, singlePanelLayout } from "./layout";
import { setAttributeIfChanged, setText } from "./dom-writes";
import { StringKey } from "./strings";
import { textColorsOf } from "./theme";
import { Box, Mark, RenderContext } from "./types";

export interface Viewport {
    readonly width: number;
    readonly height: number;
}

export interface RenderResult {
    readonly marks: readonly Mark[];
}

/** Owns the visual's DOM below the host element: the dashboard, the landing page and the failure message. */
export class DashboardView {
    readonly root: HTMLDivElement;

    constructor(element: HTMLElement) {
        this.root = document.createElement("div");
        this.root.className = "shadowit";
        this.root.style.position = "relative";
        this.root.style.overflow = "hidden";
        element.appendChild(this.root);
        followScrolling(this.root);
    }

    /** Removes what belongs to the other modes: the root holds at most three children, so they are looked at directly. */
    private setMode(mode: "dashboard" | "landing" | "message"): void {
        setAttributeIfChanged(this.root, "data-mode", mode);
        const keep = MODE_CHILDREN[mode];
        let child = this.root.firstElementChild;
        while (child !== null) {
            const next = child.nextElementSibling;
            if (!keep.includes(child.className)) child.remove();
            child = next;
        }
    }

    private sizeRoot(viewport: Viewport, ctx: Pick<RenderContext, "fontSize" | "colors">): void {
        const style = this.root.style;
        setStyle(style, "width", `${viewport.width}px`);
        setStyle(style, "height", `${viewport.height}px`);
        setStyle(style, "font-size", `${ctx.fontSize}px`);
        setStyle(style, "color", ctx.colors.foreground);
        const text = textColorsOf(ctx.colors);
        setStyle(style, "--shadowit-text", text.text);
        setStyle(style, "--shadowit-muted", text.muted);
        setStyle(style, "--shadowit-rule", text.rule);
        if (this.root.classList.contains("shadowit-high-contrast") !== ctx.colors.highContrast) {
            this.root.classList.toggle("shadowit-high-contrast", ctx.colors.highContrast);
        }
    }

    /** What to drag where, when no field is bound. */
    renderLanding(viewport: Viewport, ctx: RenderContext): void {
        this.setMode("landing");
        this.sizeRoot(viewport, ctx);
        this.root.setAttribute("aria-label", ctx.strings.get("Visual_Title"));
        const landing = this.root.appendChild(htmlElement("div", "shadowit-landing"));
        landing.appendChild(document.createElement("h2")).textContent = ctx.strings.get("Visual_Landing_Title");
        const intro = landing.appendChild(document.createElement("p"));
        intro.textContent = ctx.strings.get("Visual_Landing_Intro");
        const list = landing.appendChild(document.createElement("ul"));
        const single = ctx.settings.panelMode ?? null;
        if (single !== null) {
            // Panel mode: what the chosen panel needs, and nothing about the others.
            const panel = panelDefinition(single);
            intro.textContent = ctx.strings.format("Visual_Landing_PanelIntro", { panel: ctx.strings.get(panel.titleKey) });
            list.appendChild(document.createElement("li")).textContent = ctx.strings.get(panel.landingKey);
            return;
        }
        // The charts first, in the layout's order, then the strip of key figures.
        const charts = PANELS_BY_PRIORITY.filter(panel => panel.placement !== "strip");
        const strip = PANELS_BY_PRIORITY.filter(panel => panel.placement === "strip");
        for (const panel of [...charts, ...strip]) {
            list.appendChild(document.createElement("li")).textContent = ctx.strings.get(panel.landingKey);
        }
    }

    /** An on-canvas explanation when the update could not be drawn. */
    renderMessage(viewport: Viewport, text: string): void {
        this.setMode("message");
        this.root.style.width = `${viewport.width}px`;
        this.root.style.height = `${viewport.height}px`;
        const message = this.root.appendChild(htmlElement("div", "shadowit-message"));
        message.setAttribute("role", "alert");
        message.textContent = text;
    }

    render(model: DashboardModel, viewport: Viewport, ctx: RenderContext): RenderResult {
        this.setMode("dashboard");
        this.sizeRoot(viewport, ctx);
        setAttributeIfChanged(this.root, "role", "region");
        setAttributeIfChanged(this.root, "aria-label", ctx.strings.get("Visual_Dashboard"));

        const noteText = this.renderNote(model.note, ctx);
        const lineHeight = Math.ceil(ctx.fontSize * 1.5);
        const single = ctx.settings.panelMode ?? null;
        if (single !== null) {
            // Panel mode: the chosen panel alone, laid out even before its fields are bound, so it says what it misses.
            showLine(this.lineAt(1, "shadowit-hint"), "");
            return this.renderGrid(model, singlePanelLayout(single, viewport.width, viewport.height, noteText ? lineHeight : 0), ctx);
        }
        const enabled = PANEL_IDS.filter(p => ctx.settings.panels[p] && isLaidOut(p, model));

        const kpis = model.panels.kpis;
        const tiles = kpis.status === "ready" ? kpiTileCount(kpis.data) : 1;
        const layoutWith = (reservedTop: number): Layout => computeLayout({
            width: viewport.width, height: viewport.height, fontSize: ctx.fontSize, panels: enabled,
            kpiTiles: Math.max(1, tiles), reservedTop,
        });
        let layout = layoutWith(noteText ? lineHeight : 0);
        // The hint that panels are hidden takes a line of its own.
        if (layout.hidden.length > 0) layout = layoutWith((noteText ? lineHeight : 0) + lineHeight);
        const hiddenCount = layout.hidden.length;
        showLine(this.lineAt(1, "shadowit-hint"), hiddenCount === 0 ? "" : hiddenCount === 1 ? ctx.strings.get("Visual_PanelHidden")
            : ctx.strings.format("Visual_PanelsHidden", { count: hiddenCount }));
        return this.renderGrid(model, layout, ctx);
    }

    /** Draws the panels of `layout` into the grid below the note and hint lines. */
    private renderGrid(model: DashboardModel, layout: Layout, ctx: RenderContext): RenderResult {
        // A new grid is filled before it joins the page: building a detached tree is cheaper than a live one.
        let grid = this.root.children[2] as HTMLDivElement | undefined;
        const isNew = grid === undefined;
        if (grid === undefined) {
            grid = document.createElement("div");
            grid.className = "shadowit-grid";
        }
        const marks = this.renderPanels(grid, model, layout, ctx);
        if (isNew) this.root.appendChild(grid);
        return { marks };
    }

    /** The element of a mark whose row is scrolled out of its panel, drawn and scrolled into view; null if none. */
    reveal(key: string): HTMLElement | null {
        return revealBarRow(this.root, key);
    }

    /** Writes the data note line (hidden when there is nothing to say) and returns its text. */
    renderNote(note: DataNote, ctx: RenderContext): string {
        const text = dataNoteText(note, ctx);
        const line = this.lineAt(0, "shadowit-note");
        setAttributeIfChanged(line, "role", "status");
        showLine(line, text);
        return text;
    }

    /** The note (0) or hint (1) line above the grid, created in its place when missing. */
    private lineAt(index: 0 | 1, className: string): HTMLDivElement {
        const existing = this.root.children[index] as HTMLDivElement | undefined;
        if (existing?.classList.contains(className)) return existing;
        const line = document.createElement("div");
        line.className = className;
        return this.root.insertBefore(line, existing ?? null);
    }

    /** One section per panel in layout order, kept by panel id across renders; a panel no longer shown goes. */
    private renderPanels(grid: HTMLDivElement, model: DashboardModel, layout: Layout, ctx: RenderContext): Mark[] {
        // Geometry and sizes are numbers the layout computed, so each element's inline style is written as one
        // attribute and compared as text: cheaper than reading and setting its properties one by one.
        const headingStyle = `font-size:${Math.round(ctx.fontSize * 1.15)}px`;
        const marks: Mark[] = [];
        const kept = new Map<string, HTMLElement>();
        for (const section of Array.from(grid.children) as HTMLElement[]) {
            const id = section.dataset.panel ?? "";
            if (layout.boxes.has(id as PanelId)) kept.set(id, section);
            else section.remove();
        }
        let next = grid.firstElementChild;
        for (const [id, box] of layout.boxes) {
            let section = kept.get(id);
            if (section === undefined) section = sectionTemplate().cloneNode(true) as HTMLElement;
            if (section !== next) grid.insertBefore(section, next);
            else next = next.nextElementSibling;
            const title = ctx.strings.get(panelDefinition(id).titleKey);
            setAttributeIfChanged(section, "data-panel", id);
            setAttributeIfChanged(section, "aria-label", title);
            setAttributeIfChanged(section, "style",
                `position:absolute;left:${box.x}px;top:${box.y}px;width:${box.width}px;height:${box.height}px`);
            const heading = section.firstElementChild as HTMLElement;
            setText(heading, title);
            setAttributeIfChanged(heading, "title", title);
            setAttributeIfChanged(heading, "style", headingStyle);
            const panel = model.panels[id] as Panel<unknown>;
            const definition = panelDefinition(id);
            const exportable = panelRenderer(id).exportTable !== undefined && panel.status === "ready" && !definition.isEmpty(panel.data);
            writeExportButton(section, id, title, exportable, ctx);
            for (const mark of renderPanel(section.lastElementChild as HTMLDivElement, id, box, model, ctx)) marks.push(mark);
        }
        return marks;
    }
}

/**
 * Children each mode keeps, by their class name (the root's children carry one class each); the rest is removed when
 * the mode is entered (landing and message are redrawn whole).
 */
const MODE_CHILDREN: Readonly<Record<"dashboard" | "landing" | "message", readonly string[]>> = {
    dashboard: ["shadowit-note", "shadowit-hint", "shadowit-grid"],
    landing: [],
    message: [],
};

let sectionElement: HTMLElement | undefined;

/** An empty panel: its title (with a text node to fill) and the body its renderer draws into. */
function sectionTemplate(): HTMLElement {
    if (sectionElement === undefined) {
        sectionElement = document.createElement("section");
        sectionElement.className = "shadowit-panel";
        const heading = sectionElement.appendChild(document.createElement("h2"));
        heading.className = "shadowit-panel-title";
        heading.appendChild(document.createTextNode(""));
        sectionElement.appendChild(document.createElement("div")).className = "shadowit-body";
    }
    return sectionElement;
}

function setStyle(style: CSSStyleDeclaration, name: string, value: string): void {
    if (style.getPropertyValue(name) !== value) style.setProperty(name, value);
}

/** A line of text that is hidden while empty. */
function showLine(line: HTMLElement, text: string): void {
    if (line.textContent !== text) line.textContent = text;
    setStyle(line.style, "display", text ? "" : "none");
}

/** True when the panel takes room: always, or once one of the fields it waits for is bound (see PanelDefinition). */
function isLaidOut(id: PanelId, model: DashboardModel): boolean {
    const waitsFor = panelDefinition(id).shownWhenBound;
    return waitsFor.length === 0 || waitsFor.some(role => model.boundRoles.has(role));
}

function renderPanel(body: HTMLDivElement, id: PanelId, box: Box, model: DashboardModel, ctx: RenderContext): Mark[] {
    const panel = panelDefinition(id);
    const renderer = panelRenderer(id);
    return withPanel(body, model.panels[id] as Panel<unknown>, ctx, data => panel.isEmpty(data),
        data => renderer.render(body, data, box, ctx, model));
}

/** Draws a ready panel, or says which fields it lacks, or that the filters left nothing. */
function withPanel<T>(
    body: HTMLDivElement, panel: Panel<T>, ctx: RenderContext, isEmpty: (data: T) => boolean, draw: (data: T) => Mark[],
): Mark[] {
    const message = panel.status === "missing"
        ? ctx.strings.format("Visual_Missing", { fields: panel.missing.map(r => fieldName(r, ctx)).join(", ") })
        : isEmpty(panel.data) ? ctx.strings.get("Visual_NoData") : null;
    const state = panel.status === "missing" ? "missing" : message ? "empty" : "ready";
    if (body.dataset.state !== state) {
        body.replaceChildren();
        body.dataset.state = state;
    }
    if (message !== null) {
        body.replaceChildren(htmlElement("p", "shadowit-missing", message));
        return [];
    }
    return draw((panel as { status: "ready"; data: T }).data);
}

export function fieldName(role: RoleName, ctx: RenderContext): string {
    return ctx.strings.get(`Visual_Field_${role}` as StringKey);
}

const DATE_REASONS: Readonly<Record<LeftOutDate, StringKey>> = {
    blank: "Visual_Dates_Blank",
    number: "Visual_Dates_Number",
    invalid: "Visual_Dates_Invalid",
    early: "Visual_Dates_Early",
    future: "Visual_Dates_Future",
};

/** One line telling what the numbers leave out or are still waiting for. */
export function dataNoteText(note: DataNote, ctx: RenderContext): string {
    const { strings, format } = ctx;
    const parts: string[] = [];
    if (note.globalViewUsed) parts.push(strings.get("Visual_Note_GlobalView"));
    const leftOut = (counts: DataNote["invalidValues"], one: StringKey, many: StringKey): void => {
        const byRole = Object.entries(counts).filter(([, n]) => (n ?? 0) > 0) as [RoleName, number][];
        const total = byRole.reduce((sum, [, n]) => sum + n, 0);
        if (total === 0) return;
        parts.push(strings.format(total === 1 ? one : many, {
            count: format.count(total),
            detail: byRole.map(([role, n]) => `${fieldName(role, ctx)}: ${format.count(n)}`).join(", "),
        }));
    };
    leftOut(note.negativeValues, "Visual_Note_NegativeOne", "Visual_Note_Negative");
    leftOut(note.invalidValues, "Visual_Note_InvalidOne", "Visual_Note_Invalid");
    const dates = note.leftOutDates ?? {};
    const datesLeftOut = LEFT_OUT_DATES.filter(reason => (dates[reason] ?? 0) > 0);
    const dateCount = datesLeftOut.reduce((sum, reason) => sum + (dates[reason] ?? 0), 0);
    if (dateCount > 0) {
        parts.push(strings.format(dateCount === 1 ? "Visual_Note_DatesOne" : "Visual_Note_Dates", {
            count: format.count(dateCount),
            detail: datesLeftOut.map(reason => `${strings.get(DATE_REASONS[reason])}: ${format.count(dates[reason] ?? 0)}`).join(", "),
        }));
    }
    if (note.timeHierarchy === "month") parts.push(strings.get("Visual_Note_HierarchyMonth"));
    else if (note.timeHierarchy === "quarter") parts.push(strings.get("Visual_Note_HierarchyQuarter"));
    else if (note.timeHierarchy === "none") parts.push(strings.get("Visual_Note_HierarchyNone"));
    const latest = note.changingAppsByLatestDay === true;
    if (note.appsWithChangingAttributes === 1) parts.push(strings.get(latest ? "Visual_Note_ChangingAppLatest" : "Visual_Note_ChangingApp"));
    else if (note.appsWithChangingAttributes > 1) {
        parts.push(strings.format(latest ? "Visual_Note_ChangingAppsLatest" : "Visual_Note_ChangingApps", {
            count: format.count(note.appsWithChangingAttributes),
        }));
    }
    if (note.truncatedLabels === 1) parts.push(strings.get("Visual_Note_TruncatedOne"));
    else if (note.truncatedLabels > 1) parts.push(strings.format("Visual_Note_Truncated", { count: format.count(note.truncatedLabels) }));
    if (note.loadingStopped === "stalled") parts.push(strings.format("Visual_Note_Stalled", { rows: format.count(note.rowsRead) }));
    else if (note.loadingStopped === "refused") parts.push(strings.format("Visual_Note_Refused", { rows: format.count(note.rowsRead) }));
    else if (note.rowCapReached) {
        // What to do: one panel per visual queries fewer rows; a visual in panel mode can only bind fewer fields.
        const advice = ctx.settings.panelMode ? "Visual_Note_RowCapPanel" : "Visual_Note_RowCap";
        parts.push(strings.format(advice, { rows: format.count(note.rowsRead) }));
    }
    else if (note.moreDataPending && note.rowsShown < note.rowsRead) {
        parts.push(strings.format("Visual_Note_LoadingShown", { rows: format.count(note.rowsRead), shown: format.count(note.rowsShown) }));
    } else if (note.moreDataPending) parts.push(strings.format("Visual_Note_Loading", { rows: format.count(note.rowsRead) }));
    parts.push(...ctx.settingsNotes);
    return parts.join(" · ");
}

