import powerbi from "powerbi-visuals-api";
import { TopApp, TopApps } from "../model/types";
import { RiskBandId, TagClass } from "../schema";
import { fitText, textWidth } from "./format";
import { drawHighlight, drawTemplateRows, HighlightBox, paint, paintSlots, RowWriter, setMarkAttributes } from "./rows";
import { AnySelection, ensureChild, SeriesStyle, seriesStyle, setAttributeIfChanged, svgElement } from "./shared";
import { StringKey } from "./strings";
import { Box, Mark, RenderContext } from "./types";
import VisualTooltipDataItem = powerbi.extensibility.VisualTooltipDataItem;

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

/** An app's values as shown (null when the field is unbound or, for the score, missing). */
interface AppTexts {
    readonly traffic: string;
    readonly score: string | null;
    readonly users: string | null;
    readonly blocked: string | null;
    readonly highlighted: string | null;
}

/** The host tooltip of an app's row: every bound value, unshortened, and the app's share of all traffic. */
function appTooltip(app: TopApp, table: TopApps, texts: AppTexts, ctx: RenderContext): VisualTooltipDataItem[] {
    const { strings, format } = ctx;
    const tooltip = [{ displayName: strings.get("Visual_Field_AppName"), value: app.label.text }];
    if (app.category !== null) tooltip.push({ displayName: strings.get("Visual_Field_AppCategory"), value: app.category.text });
    if (app.riskBand !== null) {
        const band = strings.get(BAND_NAMES[app.riskBand]);
        tooltip.push({ displayName: strings.get("Visual_Field_AppScore"), value: texts.score === null ? band : `${texts.score} (${band})` });
    }
    if (app.tagClass !== null) tooltip.push({ displayName: strings.get("Visual_TopApps_Status"), value: strings.get(STATES[app.tagClass]) });
    tooltip.push({ displayName: strings.get("Visual_Traffic"), value: texts.traffic });
    if (table.totalBytes > 0) {
        tooltip.push({ displayName: strings.get("Visual_TopApps_Share"), value: format.share(app.totalBytes / table.totalBytes) });
    }
    if (texts.users !== null) tooltip.push({ displayName: strings.get("Visual_Users_Tooltip"), value: texts.users });
    if (texts.blocked !== null) tooltip.push({ displayName: strings.get("Visual_Field_BlockedEvents"), value: texts.blocked });
    if (texts.highlighted !== null) {
        tooltip.push({ displayName: strings.format("Visual_Highlighted", { value: "" }).trim(), value: texts.highlighted });
    }
    return tooltip;
}

/**
 * The marks of the table, one per app. Aria-label:
 * `<app> (<category>, score <n> | unscored, <state>): <traffic>[, at least <n> users][, <n> blocked events][, highlighted <bytes>]`,
 * where the parenthesis lists only what is bound and is left out when nothing is.
 */
export function topAppMarks(table: TopApps, ctx: RenderContext): AppMark[] {
    const { strings, format } = ctx;
    return table.apps.map(app => {
        // Each value is formatted once, for its cell, the aria-label and the tooltip.
        const texts: AppTexts = {
            traffic: format.bytes(app.totalBytes),
            score: app.score === null ? null : format.count(app.score),
            users: app.usersAtLeast === null ? null : format.count(app.usersAtLeast),
            blocked: app.blockedEvents === null ? null : format.count(app.blockedEvents),
            highlighted: app.highlightedBytes === null ? null : format.bytes(app.highlightedBytes),
        };
        const scoreText = app.riskBand === null ? ""
            : texts.score === null ? strings.get("Visual_TopApps_Unscored")
                : strings.format("Visual_TopApps_ScoreValue", { score: texts.score });
        const state = app.tagClass === null ? "" : strings.get(STATES[app.tagClass]);
        const about = [app.category?.text ?? "", scoreText, state].filter(part => part !== "");
        const values = [texts.traffic];
        if (texts.users !== null) values.push(strings.format("Visual_UsersAtLeast", { count: texts.users }));
        if (texts.blocked !== null) {
            values.push(app.blockedEvents === 1 ? strings.get("Visual_TopApps_BlockedOne")
                : strings.format("Visual_TopApps_BlockedValue", { count: texts.blocked }));
        }
        if (texts.highlighted !== null) values.push(strings.format("Visual_Highlighted", { value: texts.highlighted }));

        return {
            key: `top-apps:${app.label.key}`,
            panel: "top-apps" as const,
            ariaLabel: `${app.label.text}${about.length > 0 ? ` (${about.join(", ")})` : ""}: ${values.join(", ")}`,
            selection: app.selection.rows.length > 0 ? app.selection : null,
            // Built when the pointer reaches the row: most rows of a render are never hovered.
            get tooltip() {
                return appTooltip(app, table, texts, ctx);
            },
            bar: app,
            name: app.label.text,
            category: app.category?.text ?? "",
            score: texts.score ?? "–",
            state,
            traffic: texts.traffic,
            users: texts.users === null ? "" : `≥ ${texts.users}`,
            blocked: texts.blocked ?? "",
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

/** Where each cell of a row is drawn: shared by all rows of a render and built into the row template. */
interface RowGeometry {
    readonly columns: readonly Column[];
    readonly width: number;
    readonly rowHeight: number;
    /** Baseline of the cell texts, and of the traffic value, which sits above its bar. */
    readonly textY: number;
    readonly trafficTextY: number;
    readonly barTop: number;
    readonly barHeight: number;
    readonly swatchSize: number;
    readonly fontSize: number;
    readonly highContrast: boolean;
}

/** The texts of a row, in DOM order. */
const TEXT_CELLS: ReadonlyArray<{ readonly id: ColumnId; readonly className: string }> = [
    { id: "name", className: "shadowit-label" },
    { id: "category", className: "shadowit-category" },
    { id: "traffic", className: "shadowit-value" },
    { id: "users", className: "shadowit-users" },
    { id: "blocked", className: "shadowit-blocked" },
];
const SWATCH_CELLS: ReadonlyArray<{ readonly id: "score" | "status"; readonly className: string }> = [
    { id: "score", className: "shadowit-score" },
    { id: "status", className: "shadowit-status" },
];

interface RowTemplate {
    readonly row: SVGGElement;
    /** Child index of each column's cell in a row (the traffic column's bar under "bar"). */
    readonly cells: Readonly<Partial<Record<ColumnId | "bar", number>>>;
}

/**
 * Row templates and column headers by geometry, shared by every table of the page: a new visual instance (a
 * report page opened again) clones what an earlier one built. Bounded: a few sizes are ever in use.
 */
const rowTemplates = new Map<string, RowTemplate>();
const headTemplates = new Map<string, SVGGElement>();
const MAX_TEMPLATES = 8;

function cached<T>(cache: Map<string, T>, key: string, build: () => T): T {
    let value = cache.get(key);
    if (value === undefined) {
        if (cache.size >= MAX_TEMPLATES) cache.clear();
        value = build();
        cache.set(key, value);
    }
    return value;
}

/** The head signature each table was last drawn with: an update with the same one leaves the head alone. */
const drawnHeads = new WeakMap<SVGSVGElement, string>();

function geometrySignature(g: RowGeometry): string {
    const columns = g.columns.map(c => `${c.id}:${c.x}:${c.width}`).join(",");
    return [g.width, g.rowHeight, g.textY, g.trafficTextY, g.barTop, g.barHeight, g.swatchSize, g.fontSize, g.highContrast, columns].join("|");
}

/** One row with every attribute that does not depend on its app: the class, role and tab stop, and the cells' places. */
function buildRowTemplate(g: RowGeometry): RowTemplate {
    const row = svgElement("g", { "class": "shadowit-app shadowit-mark", "role": "option", "tabindex": "-1" });
    row.appendChild(svgElement("rect", { "class": "shadowit-row-hit", "width": g.width, "height": g.rowHeight }));
    const cells: Partial<Record<ColumnId | "bar", number>> = {};
    const column = (id: ColumnId): Column | undefined => g.columns.find(c => c.id === id);
    for (const cell of TEXT_CELLS) {
        const c = column(cell.id);
        if (!c) continue;
        cells[cell.id] = row.childNodes.length;
        row.appendChild(svgElement("text", {
            "class": cell.className, "x": c.end ? c.x + c.width : c.x, "y": cell.id === "traffic" ? g.trafficTextY : g.textY,
            "dy": "0.35em", "text-anchor": c.end ? "end" : "start",
        }, ""));
    }
    const outline: Record<string, string> = g.highContrast ? { "stroke-width": "1.5" } : {};
    for (const cell of SWATCH_CELLS) {
        const c = column(cell.id);
        if (!c) continue;
        const group = svgElement("g", { "class": cell.className, "transform": `translate(${c.x},0)` });
        group.appendChild(svgElement("rect", {
            "class": "shadowit-cell-swatch", "x": 0, "y": (g.rowHeight - g.swatchSize) / 2,
            "width": g.swatchSize, "height": g.swatchSize, "rx": 2, ...outline,
        }));
        group.appendChild(svgElement("text", { "x": g.swatchSize + g.fontSize * 0.4, "y": g.textY, "dy": "0.35em" }, ""));
        cells[cell.id] = row.childNodes.length;
        row.appendChild(group);
    }
    const traffic = column("traffic");
    if (traffic) {
        cells.bar = row.childNodes.length;
        const barOutline: Record<string, string> = g.highContrast ? { "stroke-width": "1" } : {};
        row.appendChild(svgElement("rect", {
            "class": "shadowit-segment shadowit-traffic-bar", "aria-hidden": "true",
            "x": traffic.x, "y": g.barTop, "height": g.barHeight, ...barOutline,
        }));
    }
    return { row, cells };
}

/** The column headers and their rule, redrawn only when their texts or places change. */
function renderHead(svg: SVGSVGElement, columns: readonly Column[], headHeight: number, width: number, ctx: RenderContext): void {
    const f = ctx.fontSize;
    const titles = columns.map(c => (c.id === "status" && c.width < f * 3 ? "" : fitText(ctx.strings.get(HEADERS[c.id]), c.width, f)));
    const signature = `${headHeight}|${width}|${columns.map((c, i) => `${c.id}:${c.x}:${c.width}:${c.end}:${titles[i]}`).join("\n")}`;
    const head = svg.querySelector<SVGGElement>(":scope > g.shadowit-table-head");
    if (head !== null && drawnHeads.get(svg) === signature) return;
    // Column headers: the rows' aria-labels already name every value, so screen readers skip them.
    const template = cached(headTemplates, signature, () => {
        const g = svgElement("g", { "class": "shadowit-table-head", "aria-hidden": "true" });
        columns.forEach((c, i) => g.appendChild(svgElement("text", {
            "class": "shadowit-column-title", "x": c.end ? c.x + c.width : c.x, "y": headHeight / 2, "dy": "0.35em",
            "text-anchor": c.end ? "end" : "start", "data-column": c.id,
        }, titles[i])));
        g.appendChild(svgElement("line", { "class": "shadowit-rule", "x1": 0, "x2": width, "y1": headHeight - 0.5, "y2": headHeight - 0.5 }));
        return g;
    });
    const drawn = template.cloneNode(true) as SVGGElement;
    if (head !== null) head.replaceWith(drawn);
    else svg.insertBefore(drawn, svg.firstChild);
    drawnHeads.set(svg, signature);
}

/** Writer slots of a row's parts. */
const SLOTS = {
    name: { text: "name", title: "name.title" },
    category: { text: "category", title: "category.title" },
    scorePaint: paintSlots("score"),
    statusPaint: paintSlots("status"),
    barPaint: paintSlots("bar"),
} as const;

/** Writes a text cell; a shortened text gets a native tooltip with the full one. */
function writeCell(text: Element, slots: { readonly text: string; readonly title: string }, full: string, shown: string, write: RowWriter): void {
    write.text(text, slots.text, shown);
    write.title(text, slots.title, shown === full ? null : full);
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

    const caption = ensureChild<HTMLDivElement, HTMLDivElement>(body, "div", "shadowit-caption").node()!;
    const hiddenApps = table.appCount > table.apps.length;
    const captionText = hiddenApps ? strings.format("Visual_TopApps_Shown", {
        shown: ctx.format.count(table.apps.length), count: ctx.format.count(table.appCount),
    }) : "";
    if (caption.textContent !== captionText) caption.textContent = captionText;
    const display = hiddenApps ? "" : "none";
    if (caption.style.display !== display) caption.style.display = display;

    const svgSel = ensureChild<SVGSVGElement, HTMLDivElement>(body, "svg", "shadowit-chart");
    const svg = svgSel.node()!;
    setAttributeIfChanged(svg, "width", width);
    setAttributeIfChanged(svg, "height", headHeight + Math.ceil(rowHeight * marks.length));
    setAttributeIfChanged(svg, "role", "listbox");
    setAttributeIfChanged(svg, "aria-multiselectable", "true");
    setAttributeIfChanged(svg, "aria-label", strings.get("Visual_Panel_TopApps"));

    const traffic = column("traffic");
    const barHeight = Math.max(3, Math.round(f * 0.4));
    const barTop = rowHeight - barHeight - Math.round(f * 0.25);
    const geometry: RowGeometry = {
        columns, width, rowHeight, textY: rowHeight / 2, trafficTextY: traffic ? (barTop - 1) / 2 + 1 : rowHeight / 2,
        barTop, barHeight, swatchSize: Math.round(f * 0.8), fontSize: f, highContrast: ctx.colors.highContrast,
    };
    renderHead(svg, columns, headHeight, width, ctx);
    const template = cached(rowTemplates, geometrySignature(geometry), () => buildRowTemplate(geometry));

    const barWidth = traffic ? traffic.width : 0;
    const largest = Math.max(1, ...table.apps.map(a => a.totalBytes));
    const x = (v: number): number => (v / largest) * barWidth;
    const { cells } = template;
    const highContrast = ctx.colors.highContrast;
    const highlight: HighlightBox | null = traffic ? {
        x: traffic.x, y: barTop, height: barHeight,
        fill: highContrast ? ctx.colors.foregroundSelected : ctx.colors.foreground,
    } : null;
    const swatchRoom = (c: Column): number => c.width - geometry.swatchSize - f * 0.4;
    const score = column("score");
    const status = column("status");

    const name = column("name");
    const category = column("category");
    drawTemplateRows(svgSel, "g.shadowit-app", marks, template.row, (row, d, i, write) => {
        setMarkAttributes(row, d, write);
        write.attr(row, "row.y", "transform", `translate(0,${headHeight + Math.round(i * rowHeight)})`);
        const children = row.children;
        if (name && cells.name !== undefined) writeCell(children[cells.name], SLOTS.name, d.name, fitText(d.name, name.width, f), write);
        if (category && cells.category !== undefined) {
            writeCell(children[cells.category], SLOTS.category, d.category, fitText(d.category, category.width, f), write);
        }
        if (cells.traffic !== undefined) write.text(children[cells.traffic], "traffic", d.traffic);
        if (cells.users !== undefined) write.text(children[cells.users], "users", d.users);
        if (cells.blocked !== undefined) write.text(children[cells.blocked], "blocked", d.blocked);
        if (score && cells.score !== undefined) {
            const cell = children[cells.score];
            paint(cell.firstElementChild!, SLOTS.scorePaint, bandStyle(ctx, d.bar.riskBand ?? "unscored"), highContrast, write);
            write.text(cell.lastElementChild!, "score.text", swatchRoom(score) < f ? "" : fitText(d.score, swatchRoom(score), f));
        }
        if (status && cells.status !== undefined) {
            const cell = children[cells.status];
            paint(cell.firstElementChild!, SLOTS.statusPaint, tagStyle(ctx, d.bar.tagClass), highContrast, write);
            write.text(cell.lastElementChild!, "status.text", swatchRoom(status) < f ? "" : fitText(d.state, swatchRoom(status), f));
        }
        if (cells.bar !== undefined && highlight) {
            const bar = children[cells.bar];
            write.attr(bar, "bar.width", "width", Math.max(d.bar.totalBytes > 0 ? 1 : 0, x(d.bar.totalBytes)));
            paint(bar, SLOTS.barPaint, tagStyle(ctx, d.bar.tagClass), highContrast, write);
            drawHighlight(row, d.bar.highlightedBytes === null ? null : x(d.bar.highlightedBytes), highlight, write);
        }
    });
    return marks;
}
