import { scaleLinear } from "d3-scale";
import { TopApp, TopApps } from "../model/types";
import { RiskBandId, TagClass } from "../schema";
import { renderHighlights } from "./category-traffic";
import { fitText, textWidth } from "./format";
import { AnySelection, applyMarkAttributes, ensureChild, SeriesStyle, seriesStyle } from "./shared";
import { StringKey } from "./strings";
import { Box, Mark, RenderContext } from "./types";

type ColumnId = "name" | "category" | "score" | "status" | "traffic" | "users" | "blocked";

interface Column {
    readonly id: ColumnId;
    readonly x: number;
    readonly width: number;
    /** Numbers are right-aligned, names left-aligned. */
    readonly end: boolean;
}

const HEADERS: Readonly<Record<ColumnId, StringKey>> = {
    name: "Visual_TopApps_App",
    category: "Visual_TopApps_Category",
    score: "Visual_TopApps_Score",
    status: "Visual_TopApps_Status",
    traffic: "Visual_Traffic",
    users: "Visual_TopApps_Users",
    blocked: "Visual_TopApps_Blocked",
};

const STATES: Readonly<Record<TagClass, StringKey>> = {
    sanctioned: "Visual_TopApps_StateSanctioned",
    unsanctioned: "Visual_TopApps_StateUnsanctioned",
    other: "Visual_TopApps_StateOther",
};
const TAG_ORDER: readonly TagClass[] = ["sanctioned", "unsanctioned", "other"];
const BAND_ORDER: readonly RiskBandId[] = ["high", "medium", "low", "unscored"];
const BAND_NAMES: Readonly<Record<RiskBandId, StringKey>> = {
    high: "Visual_Risk_High",
    medium: "Visual_Risk_Medium",
    low: "Visual_Risk_Low",
    unscored: "Visual_Risk_Unscored",
};

interface AppMark extends Mark {
    /** Named `bar` for renderHighlights, which reads `bar.highlightedBytes`. */
    readonly bar: TopApp;
    readonly name: string;
    readonly category: string;
    readonly score: string;
    readonly state: string;
    readonly traffic: string;
    readonly users: string;
    readonly blocked: string;
}

function tagColor(ctx: RenderContext, tag: TagClass): string {
    return tag === "sanctioned" ? ctx.colors.sanctioned : tag === "unsanctioned" ? ctx.colors.unsanctioned : ctx.colors.otherTag;
}

function tagStyle(ctx: RenderContext, tag: TagClass | null): SeriesStyle {
    const t = tag ?? "other";
    return seriesStyle(ctx, tagColor(ctx, t), TAG_ORDER.indexOf(t));
}

function bandStyle(ctx: RenderContext, band: RiskBandId): SeriesStyle {
    return seriesStyle(ctx, ctx.colors[band], BAND_ORDER.indexOf(band));
}

/**
 * The marks of the table, one per app. Aria-label:
 * `<app> (<category>, score <n> | unscored, <state>): <traffic>[, at least <n> users][, <n> blocked events][, highlighted <bytes>]`,
 * where the parenthesis lists only what is bound and is left out when nothing is.
 */
export function topAppMarks(table: TopApps, ctx: RenderContext): AppMark[] {
    const { strings, format } = ctx;
    return table.apps.map(app => {
        const traffic = format.bytes(app.totalBytes);
        const scoreText = app.riskBand === null ? ""
            : app.score === null ? strings.get("Visual_TopApps_Unscored")
                : strings.format("Visual_TopApps_ScoreValue", { score: format.count(app.score) });
        const state = app.tagClass === null ? "" : strings.get(STATES[app.tagClass]);
        const about = [app.category?.text ?? "", scoreText, state].filter(part => part !== "");
        const values = [traffic];
        if (app.usersAtLeast !== null) values.push(strings.format("Visual_UsersAtLeast", { count: format.count(app.usersAtLeast) }));
        if (app.blockedEvents !== null) {
            values.push(app.blockedEvents === 1 ? strings.get("Visual_TopApps_BlockedOne")
                : strings.format("Visual_TopApps_BlockedValue", { count: format.count(app.blockedEvents) }));
        }
        if (app.highlightedBytes !== null) values.push(strings.format("Visual_Highlighted", { value: format.bytes(app.highlightedBytes) }));

        const tooltip = [{ displayName: strings.get("Visual_Field_AppName"), value: app.label.text }];
        if (app.category !== null) tooltip.push({ displayName: strings.get("Visual_Field_AppCategory"), value: app.category.text });
        if (app.riskBand !== null) {
            const band = strings.get(BAND_NAMES[app.riskBand]);
            tooltip.push({ displayName: strings.get("Visual_Field_AppScore"), value: app.score === null ? band : `${format.count(app.score)} (${band})` });
        }
        if (app.tagClass !== null) tooltip.push({ displayName: strings.get("Visual_TopApps_Status"), value: strings.get(STATES[app.tagClass]) });
        tooltip.push({ displayName: strings.get("Visual_Traffic"), value: traffic });
        if (table.totalBytes > 0) {
            tooltip.push({ displayName: strings.get("Visual_TopApps_Share"), value: format.share(app.totalBytes / table.totalBytes) });
        }
        if (app.usersAtLeast !== null) tooltip.push({ displayName: strings.get("Visual_Users_Tooltip"), value: format.count(app.usersAtLeast) });
        if (app.blockedEvents !== null) tooltip.push({ displayName: strings.get("Visual_Field_BlockedEvents"), value: format.count(app.blockedEvents) });
        if (app.highlightedBytes !== null) {
            tooltip.push({ displayName: strings.format("Visual_Highlighted", { value: "" }).trim(), value: format.bytes(app.highlightedBytes) });
        }
        return {
            key: `top-apps:${app.label.key}`,
            panel: "top-apps" as const,
            ariaLabel: `${app.label.text}${about.length > 0 ? ` (${about.join(", ")})` : ""}: ${values.join(", ")}`,
            selection: app.selection.rows.length > 0 ? app.selection : null,
            tooltip,
            bar: app,
            name: app.label.text,
            category: app.category?.text ?? "",
            score: app.score === null ? "–" : format.count(app.score),
            state,
            traffic,
            users: app.usersAtLeast === null ? "" : `≥ ${format.count(app.usersAtLeast)}`,
            blocked: app.blockedEvents === null ? "" : format.count(app.blockedEvents),
        };
    });
}

/**
 * Column boxes for the bound fields. When the panel is narrow, columns give way in this order so that the app's
 * name keeps room: category, blocked events, users, then the status text (its colour swatch stays).
 */
export function tableColumns(
    width: number, fontSize: number, first: TopApp | undefined, statusTextWidth: number, headerWidth: (id: ColumnId) => number,
): Column[] {
    const f = fontSize;
    const gap = Math.round(f * 0.8);
    // Short value columns are at least as wide as their (localized) header.
    const scoreWidth = Math.max(f * 3.2, headerWidth("score"));
    const usersWidth = Math.max(f * 4.4, headerWidth("users"));
    const blockedWidth = Math.max(f * 4.8, headerWidth("blocked"));
    const statusWidth = Math.max(statusTextWidth + f * 1.4, headerWidth("status"));
    const has = {
        category: first?.category != null,
        score: first?.riskBand != null,
        status: first?.tagClass != null,
        users: first?.usersAtLeast != null,
        blocked: first?.blockedEvents != null,
    };
    let statusText = has.status;
    const minName = f * 8;
    const fixedWidth = (): number => {
        let w = f * 9; // traffic: value and bar
        if (has.score) w += scoreWidth + gap;
        if (has.status) w += (statusText ? statusWidth : f * 1.2) + gap;
        if (has.users) w += usersWidth + gap;
        if (has.blocked) w += blockedWidth + gap;
        if (has.category) w += f * 7 + gap;
        return w + gap;
    };
    const drops: Array<() => void> = [
        () => { has.category = false; },
        () => { has.blocked = false; },
        () => { has.users = false; },
        () => { statusText = false; },
    ];
    for (const drop of drops) {
        if (width - fixedWidth() >= minName) break;
        drop();
    }
    const flexible = Math.max(f * 3, width - fixedWidth() + (has.category ? f * 7 + gap : 0));
    // The name takes 60% of what is left when a category shares it, but never less than the minimum.
    const categoryWidth = has.category ? Math.min(f * 14, Math.max(f * 7, flexible * 0.4)) : 0;
    let nameWidth = flexible - (has.category ? categoryWidth + gap : 0);
    // On a wide panel the traffic bars get the room beyond a comfortable name width.
    const trafficExtra = Math.max(0, Math.min(f * 13, nameWidth - f * 24));
    nameWidth -= trafficExtra;
    const trafficWidth = f * 9 + trafficExtra;
    const columns: Column[] = [];
    let x = 0;
    const add = (id: ColumnId, w: number, end: boolean): void => {
        columns.push({ id, x, width: w, end });
        x += w + gap;
    };
    add("name", nameWidth, false);
    if (has.category) add("category", categoryWidth, false);
    if (has.score) add("score", scoreWidth, false);
    if (has.status) add("status", statusText ? statusWidth : f * 1.2, false);
    add("traffic", trafficWidth, false);
    if (has.users) add("users", usersWidth, true);
    if (has.blocked) add("blocked", blockedWidth, true);
    return columns;
}

/** A compact table of the top apps by traffic; each row is a selectable mark. */
export function renderTopApps(
    body: AnySelection<HTMLDivElement, unknown>, table: TopApps, box: Box, ctx: RenderContext,
): Mark[] {
    const { strings, fontSize: f } = ctx;
    const width = Math.max(60, box.width - 16);
    const statusTextWidth = Math.max(...TAG_ORDER.map(t => textWidth(strings.get(STATES[t]), f)));
    // Headers are bold: a tenth wider than measured in the regular weight.
    const headerWidth = (id: ColumnId): number => Math.ceil(textWidth(strings.get(HEADERS[id]), f) * 1.1);
    const columns = tableColumns(width, f, table.apps[0], Math.min(f * 9, statusTextWidth), headerWidth);
    const column = (id: ColumnId): Column | undefined => columns.find(c => c.id === id);
    const headHeight = Math.round(f * 1.8);
    const rowHeight = Math.round(f * 2.2);
    const marks = topAppMarks(table, ctx);

    const caption = ensureChild<HTMLDivElement, HTMLDivElement>(body, "div", "shadowit-caption");
    const hiddenApps = table.appCount > table.apps.length;
    caption.style("display", hiddenApps ? "" : "none")
        .text(hiddenApps ? strings.format("Visual_TopApps_Shown", {
            shown: ctx.format.count(table.apps.length), count: ctx.format.count(table.appCount),
        }) : "");

    const svg = ensureChild<SVGSVGElement, HTMLDivElement>(body, "svg", "shadowit-chart")
        .attr("width", width)
        .attr("height", headHeight + Math.ceil(rowHeight * marks.length))
        .attr("role", "listbox")
        .attr("aria-multiselectable", "true")
        .attr("aria-label", strings.get("Visual_Panel_TopApps"));

    // Column headers: the rows' aria-labels already name every value, so screen readers skip them.
    const head = ensureChild<SVGGElement, SVGSVGElement>(svg, "g", "shadowit-table-head").attr("aria-hidden", "true");
    head.selectAll<SVGTextElement, Column>("text.shadowit-column-title")
        .data(columns, c => c.id)
        .join("text")
        .attr("class", "shadowit-column-title")
        .attr("x", c => (c.end ? c.x + c.width : c.x)).attr("y", headHeight / 2).attr("dy", "0.35em")
        .attr("text-anchor", c => (c.end ? "end" : "start"))
        .attr("data-column", c => c.id)
        .text(c => (c.id === "status" && c.width < f * 3 ? "" : fitText(strings.get(HEADERS[c.id]), c.width, f)));
    ensureChild<SVGLineElement, SVGGElement>(head, "line", "shadowit-rule")
        .attr("x1", 0).attr("x2", width).attr("y1", headHeight - 0.5).attr("y2", headHeight - 0.5);

    const traffic = column("traffic");
    const barWidth = traffic ? traffic.width : 0;
    const x = scaleLinear().domain([0, Math.max(1, ...table.apps.map(a => a.totalBytes))]).range([0, barWidth]);
    const barHeight = Math.max(3, Math.round(f * 0.4));
    const barTop = rowHeight - barHeight - Math.round(f * 0.25);

    const rows = svg.selectAll<SVGGElement, AppMark>("g.shadowit-app")
        .data(marks, d => d.key)
        .join(enter => {
            const g = enter.append("g").attr("class", "shadowit-app").attr("role", "option");
            g.append("rect").attr("class", "shadowit-row-hit");
            return g;
        })
        .attr("transform", (_d, i) => `translate(0,${headHeight + Math.round(i * rowHeight)})`);
    applyMarkAttributes(rows);
    rows.select(".shadowit-row-hit").attr("width", width).attr("height", rowHeight);

    const textY = traffic ? (barTop - 1) / 2 + 1 : rowHeight / 2;
    const cellText = (id: ColumnId, className: string, value: (d: AppMark) => string, fit: boolean): void => {
        const c = column(id);
        const texts = rows.selectAll<SVGTextElement, AppMark>(`text.${className}`)
            .data(d => (c ? [d] : []), d => d.key)
            .join(enter => {
                const t = enter.append("text").attr("class", className);
                t.append("title");
                return t;
            });
        if (!c) return;
        texts
            .attr("x", c.end ? c.x + c.width : c.x).attr("y", id === "traffic" ? textY : rowHeight / 2).attr("dy", "0.35em")
            .attr("text-anchor", c.end ? "end" : "start")
            .each(function (d) {
                const full = value(d);
                const shown = fit ? fitText(full, c.width, f) : full;
                const node = this.firstChild;
                if (node && node.nodeType === Node.TEXT_NODE) node.nodeValue = shown;
                else this.insertBefore(document.createTextNode(shown), this.firstChild);
                // Only shortened texts get a native tooltip; the host tooltip shows the full values in any case.
                const title = this.querySelector("title");
                if (title) title.textContent = shown === full ? "" : full;
            });
    };
    cellText("name", "shadowit-label", d => d.name, true);
    cellText("category", "shadowit-category", d => d.category, true);
    cellText("traffic", "shadowit-value", d => d.traffic, false);
    cellText("users", "shadowit-users", d => d.users, false);
    cellText("blocked", "shadowit-blocked", d => d.blocked, false);

    renderSwatchCell(rows, column("score"), "shadowit-score", d => d.score, d => bandStyle(ctx, d.bar.riskBand ?? "unscored"), rowHeight, ctx);
    renderSwatchCell(rows, column("status"), "shadowit-status", d => d.state, d => tagStyle(ctx, d.bar.tagClass), rowHeight, ctx);

    const bars = rows.selectAll<SVGRectElement, AppMark>("rect.shadowit-segment")
        .data(d => (traffic ? [d] : []), d => d.key)
        .join("rect")
        .attr("class", "shadowit-segment shadowit-traffic-bar")
        .attr("aria-hidden", "true");
    if (traffic) {
        bars.attr("x", traffic.x).attr("y", barTop).attr("height", barHeight)
            .attr("width", d => Math.max(d.bar.totalBytes > 0 ? 1 : 0, x(d.bar.totalBytes)))
            .each(function (d) {
                const style = tagStyle(ctx, d.bar.tagClass);
                this.setAttribute("fill", style.fill);
                this.setAttribute("stroke", style.stroke);
                this.setAttribute("stroke-width", ctx.colors.highContrast ? "1" : "0");
                if (style.dash) this.setAttribute("stroke-dasharray", style.dash);
                else this.removeAttribute("stroke-dasharray");
            });
        renderHighlights(rows, ctx, v => x(v), traffic.x, barTop, barHeight);
    }
    return marks;
}

/** A cell with a colour swatch (risk band, tag state) followed by its text, fitted to the column. */
function renderSwatchCell(
    rows: AnySelection<SVGGElement, AppMark>, c: Column | undefined, className: string,
    text: (d: AppMark) => string, style: (d: AppMark) => SeriesStyle, rowHeight: number, ctx: RenderContext,
): void {
    const f = ctx.fontSize;
    const cells = rows.selectAll<SVGGElement, AppMark>(`g.${className}`)
        .data(d => (c ? [d] : []), d => d.key)
        .join(enter => {
            const g = enter.append("g").attr("class", className);
            g.append("rect").attr("class", "shadowit-cell-swatch");
            g.append("text");
            return g;
        });
    if (!c) return;
    const size = Math.round(f * 0.8);
    cells.attr("transform", `translate(${c.x},0)`);
    cells.select<SVGRectElement>("rect.shadowit-cell-swatch")
        .attr("x", 0).attr("y", (rowHeight - size) / 2).attr("width", size).attr("height", size).attr("rx", 2)
        .each(function (d) {
            const s = style(d);
            this.setAttribute("fill", s.fill);
            this.setAttribute("stroke", s.stroke);
            this.setAttribute("stroke-width", ctx.colors.highContrast ? "1.5" : "0");
            if (s.dash) this.setAttribute("stroke-dasharray", s.dash);
            else this.removeAttribute("stroke-dasharray");
        });
    const room = c.width - size - f * 0.4;
    cells.select("text")
        .attr("x", size + f * 0.4).attr("y", rowHeight / 2).attr("dy", "0.35em")
        .text(d => (room < f ? "" : fitText(text(d), room, f)));
}
