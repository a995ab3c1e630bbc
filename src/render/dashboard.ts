import { select } from "d3-selection";
import { DashboardModel, DataNote, Panel, PanelId, RoleName } from "../model/types";
import { renderCategoryTraffic } from "./category-traffic";
import { kpiTiles, renderKpis } from "./kpis";
import { computeLayout, Layout } from "./layout";
import { renderRiskBands } from "./risk-bands";
import { AnySelection } from "./shared";
import { StringKey } from "./strings";
import { renderStreamBytes } from "./stream-bytes";
import { renderTopApps } from "./top-apps";
import { Box, Mark, RenderContext } from "./types";

const PANEL_TITLES: Readonly<Record<PanelId, StringKey>> = {
    "kpis": "Visual_Panel_Kpis",
    "category-traffic": "Visual_Panel_CategoryTraffic",
    "risk-bands": "Visual_Panel_RiskBands",
    "stream-bytes": "Visual_Panel_StreamBytes",
    "top-apps": "Visual_Panel_TopApps",
};

export interface Viewport {
    readonly width: number;
    readonly height: number;
}

export interface RenderResult {
    readonly marks: readonly Mark[];
    readonly hidden: readonly PanelId[];
}

interface PanelDatum {
    readonly id: PanelId;
    readonly box: Box;
}

/** Owns the visual's DOM below the host element: the dashboard, the landing page and the failure message. */
export class DashboardView {
    readonly root: HTMLDivElement;
    private readonly rootSel: AnySelection<HTMLDivElement, unknown>;

    constructor(element: HTMLElement) {
        this.root = document.createElement("div");
        this.root.className = "shadowit";
        this.root.style.position = "relative";
        this.root.style.overflow = "hidden";
        element.appendChild(this.root);
        this.rootSel = select<HTMLDivElement, unknown>(this.root) as unknown as AnySelection<HTMLDivElement, unknown>;
    }

    private setMode(mode: "dashboard" | "landing" | "message"): void {
        this.root.dataset.mode = mode;
        if (mode !== "dashboard") this.rootSel.selectAll(":scope > .shadowit-note, :scope > .shadowit-hint, :scope > .shadowit-grid").remove();
        if (mode !== "landing") this.rootSel.selectAll(":scope > .shadowit-landing").remove();
        if (mode !== "message") this.rootSel.selectAll(":scope > .shadowit-message").remove();
    }

    private sizeRoot(viewport: Viewport, ctx: Pick<RenderContext, "fontSize" | "colors">): void {
        this.rootSel
            .style("width", `${viewport.width}px`).style("height", `${viewport.height}px`)
            .style("font-size", `${ctx.fontSize}px`)
            .style("color", ctx.colors.foreground)
            .classed("shadowit-high-contrast", ctx.colors.highContrast);
    }

    /** What to drag where, when no field is bound. */
    renderLanding(viewport: Viewport, ctx: RenderContext): void {
        this.setMode("landing");
        this.sizeRoot(viewport, ctx);
        this.rootSel.attr("aria-label", ctx.strings.get("Visual_Title"));
        const landing = this.rootSel.append("div").attr("class", "shadowit-landing");
        landing.append("h2").text(ctx.strings.get("Visual_Landing_Title"));
        landing.append("p").text(ctx.strings.get("Visual_Landing_Intro"));
        const list = landing.append("ul");
        for (const key of ["Visual_Landing_Category", "Visual_Landing_Risk", "Visual_Landing_Stream", "Visual_Landing_TopApps", "Visual_Landing_Kpis"] as const) {
            list.append("li").text(ctx.strings.get(key));
        }
    }

    /** An on-canvas explanation when the update could not be drawn. */
    renderMessage(viewport: Viewport, text: string): void {
        this.setMode("message");
        this.rootSel.style("width", `${viewport.width}px`).style("height", `${viewport.height}px`);
        this.rootSel.append("div").attr("class", "shadowit-message").attr("role", "alert").text(text);
    }

    render(model: DashboardModel, viewport: Viewport, ctx: RenderContext): RenderResult {
        this.setMode("dashboard");
        this.sizeRoot(viewport, ctx);
        this.rootSel.attr("role", "region").attr("aria-label", ctx.strings.get("Visual_Dashboard"));

        const enabled = (Object.keys(PANEL_TITLES) as PanelId[]).filter(p => ctx.settings.panels[p]);
        const noteText = this.renderNote(model.note, ctx);

        const tiles = model.kpis.status === "ready" ? kpiTiles(model.kpis.data, ctx).length : 1;
        const lineHeight = Math.ceil(ctx.fontSize * 1.5);
        let layout = computeLayout({
            width: viewport.width, height: viewport.height, fontSize: ctx.fontSize, panels: enabled,
            kpiTiles: Math.max(1, tiles), reservedTop: noteText ? lineHeight : 0,
        });
        if (layout.hidden.length > 0) {
            layout = computeLayout({
                width: viewport.width, height: viewport.height, fontSize: ctx.fontSize, panels: enabled,
                kpiTiles: Math.max(1, tiles), reservedTop: (noteText ? lineHeight : 0) + lineHeight,
            });
        }
        const hint = this.ensure("shadowit-hint", 1);
        const hiddenCount = layout.hidden.length;
        hint.text(hiddenCount === 0 ? "" : hiddenCount === 1 ? ctx.strings.get("Visual_PanelHidden")
            : ctx.strings.format("Visual_PanelsHidden", { count: hiddenCount }))
            .style("display", hiddenCount ? "" : "none");

        const marks = this.renderPanels(model, layout, ctx);
        return { marks, hidden: layout.hidden };
    }

    /** Writes the data note line (hidden when there is nothing to say) and returns its text. */
    renderNote(note: DataNote, ctx: RenderContext): string {
        const text = dataNoteText(note, ctx);
        this.ensure("shadowit-note", 0).text(text).style("display", text ? "" : "none").attr("role", "status");
        return text;
    }

    private ensure(className: string, order: number): AnySelection<HTMLDivElement, unknown> {
        let sel = this.rootSel.select<HTMLDivElement>(`:scope > div.${className}`);
        if (sel.empty()) {
            sel = this.rootSel.insert<HTMLDivElement>("div", () => this.root.children[order] ?? null).attr("class", className);
        }
        return sel as unknown as AnySelection<HTMLDivElement, unknown>;
    }

    private renderPanels(model: DashboardModel, layout: Layout, ctx: RenderContext): Mark[] {
        const grid = this.ensure("shadowit-grid", 2);
        const panels: PanelDatum[] = [...layout.boxes.entries()].map(([id, box]) => ({ id, box }));
        const sections = grid.selectAll<HTMLElement, PanelDatum>("section.shadowit-panel")
            .data(panels, d => d.id)
            .join(enter => {
                const section = enter.append("section").attr("class", "shadowit-panel");
                section.append("h2").attr("class", "shadowit-panel-title");
                section.append("div").attr("class", "shadowit-body");
                return section;
            })
            .attr("data-panel", d => d.id)
            .style("position", "absolute")
            .attr("aria-label", d => ctx.strings.get(PANEL_TITLES[d.id]))
            .style("left", d => `${d.box.x}px`).style("top", d => `${d.box.y}px`)
            .style("width", d => `${d.box.width}px`).style("height", d => `${d.box.height}px`);
        sections.select(".shadowit-panel-title")
            .text(d => ctx.strings.get(PANEL_TITLES[d.id]))
            .attr("title", d => ctx.strings.get(PANEL_TITLES[d.id]))
            .style("font-size", `${Math.round(ctx.fontSize * 1.15)}px`);

        const marks: Mark[] = [];
        sections.each(function (d) {
            const body = select(this).select<HTMLDivElement>(".shadowit-body") as unknown as AnySelection<HTMLDivElement, unknown>;
            marks.push(...renderPanel(body, d, model, ctx));
        });
        return marks;
    }
}

function renderPanel(body: AnySelection<HTMLDivElement, unknown>, panel: PanelDatum, model: DashboardModel, ctx: RenderContext): Mark[] {
    switch (panel.id) {
        case "kpis":
            return withPanel(body, model.kpis, ctx, () => false, data => renderKpis(body, data, panel.box, ctx));
        case "category-traffic":
            return withPanel(body, model.categoryTraffic, ctx, d => d.length === 0, data => renderCategoryTraffic(body, data, panel.box, ctx));
        case "risk-bands":
            return withPanel(body, model.riskBands, ctx, d => d.length === 0, data => renderRiskBands(body, data, panel.box, ctx));
        case "stream-bytes":
            return withPanel(body, model.streamBytes, ctx, d => d.length === 0, data => renderStreamBytes(body, data, panel.box, ctx));
        case "top-apps":
            return withPanel(body, model.topApps, ctx, d => d.apps.length === 0, data => renderTopApps(body, data, panel.box, ctx));
    }
}

/** Draws a ready panel, or says which fields it lacks, or that the filters left nothing. */
function withPanel<T>(
    body: AnySelection<HTMLDivElement, unknown>, panel: Panel<T>, ctx: RenderContext,
    isEmpty: (data: T) => boolean, draw: (data: T) => Mark[],
): Mark[] {
    const message = panel.status === "missing"
        ? ctx.strings.format("Visual_Missing", { fields: panel.missing.map(r => fieldName(r, ctx)).join(", ") })
        : isEmpty(panel.data) ? ctx.strings.get("Visual_NoData") : null;
    const state = panel.status === "missing" ? "missing" : message ? "empty" : "ready";
    if (body.attr("data-state") !== state) {
        body.selectAll("*").remove();
        body.attr("data-state", state);
    }
    if (message !== null) {
        body.selectAll("*").remove();
        body.append("p").attr("class", "shadowit-missing").text(message);
        return [];
    }
    return draw((panel as { status: "ready"; data: T }).data);
}

export function fieldName(role: RoleName, ctx: RenderContext): string {
    return ctx.strings.get(`Visual_Field_${role}` as StringKey);
}

/** One line telling what the numbers leave out or are still waiting for. */
export function dataNoteText(note: DataNote, ctx: RenderContext): string {
    const { strings, format } = ctx;
    const parts: string[] = [];
    const invalid = Object.entries(note.invalidValues).filter(([, n]) => (n ?? 0) > 0) as [RoleName, number][];
    const invalidTotal = invalid.reduce((sum, [, n]) => sum + n, 0);
    if (invalidTotal > 0) {
        parts.push(strings.format(invalidTotal === 1 ? "Visual_Note_InvalidOne" : "Visual_Note_Invalid", {
            count: format.count(invalidTotal),
            detail: invalid.map(([role, n]) => `${fieldName(role, ctx)}: ${format.count(n)}`).join(", "),
        }));
    }
    if (note.truncatedLabels === 1) parts.push(strings.get("Visual_Note_TruncatedOne"));
    else if (note.truncatedLabels > 1) parts.push(strings.format("Visual_Note_Truncated", { count: format.count(note.truncatedLabels) }));
    if (note.rowCapReached) parts.push(strings.format("Visual_Note_RowCap", { rows: format.count(note.rowsRead) }));
    else if (note.moreDataPending && note.rowsShown < note.rowsRead) {
        parts.push(strings.format("Visual_Note_LoadingShown", { rows: format.count(note.rowsRead), shown: format.count(note.rowsShown) }));
    } else if (note.moreDataPending) parts.push(strings.format("Visual_Note_Loading", { rows: format.count(note.rowsRead) }));
    return parts.join(" · ");
}

