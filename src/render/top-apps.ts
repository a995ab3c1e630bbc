import powerbi from "powerbi-visuals-api";
import type { CsvCell, CsvTable } from "../export/csv";
import { TopApp, TopApps } from "../model/types";
import { TAG_CLASSES, TagClass } from "../schema";
import { fitText, textWidth } from "./format";
import { drawHtmlRows, highlightPart, htmlElement, HtmlRowWriter, listBox, optionRow, seriesProperties } from "./html-rows";
import { bandStyle, RISK_BAND_NAMES, tagStyle } from "./series";
import { usersTexts, UsersTexts } from "./distinct-count";
import { StringKey } from "./strings";
import { localizedPhrase } from "./phrases";
import { appLaunch, writeLaunchButton } from "./launch-button";
import { Box, Mark, MarkLaunch, RenderContext } from "./types";
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
/** Before the status of an app still used after it was tagged unsanctioned (docs/visual.md, "Top apps: status"). */
export const STILL_USED_SIGN = "⚠";

interface AppMark extends Mark {
    readonly bar: TopApp;
    readonly name: string;
    readonly category: string;
    readonly score: string;
    readonly state: string;
    readonly traffic: string;
    readonly users: string;
    readonly blocked: string;
    readonly launch: MarkLaunch | null;
}

/** An app's values as shown (null when the field is unbound or, for the score, missing). */
interface AppTexts {
    readonly traffic: string;
    readonly score: string | null;
    readonly users: UsersTexts | null;
    readonly blocked: string | null;
    readonly highlighted: string | null;
}

/** The host tooltip of an app's row: every bound value, unshortened, and the app's share of all traffic. */
function appTooltip(app: TopApp, table: TopApps, texts: AppTexts, ctx: RenderContext): VisualTooltipDataItem[] {
    const { strings, format } = ctx;
    const tooltip = [{ displayName: strings.get("Visual_Field_AppName"), value: app.label.text }];
    if (app.category !== null) tooltip.push({ displayName: strings.get("Visual_Field_AppCategory"), value: app.category.text });
    if (app.riskBand !== null) {
        const band = strings.get(RISK_BAND_NAMES[app.riskBand]);
        tooltip.push({ displayName: strings.get("Visual_Field_AppScore"), value: texts.score === null ? band : `${texts.score} (${band})` });
    }
    if (app.tagClass !== null) tooltip.push({ displayName: strings.get("Visual_TopApps_Status"), value: strings.get(STATES[app.tagClass]) });
    tooltip.push({ displayName: strings.get("Visual_Traffic"), value: texts.traffic });
    if (table.totalBytes > 0) {
        tooltip.push({ displayName: strings.get("Visual_TopApps_Share"), value: format.share(app.totalBytes / table.totalBytes) });
    }
    if (texts.users !== null) tooltip.push({ displayName: texts.users.tooltipName, value: texts.users.value });
    if (texts.blocked !== null) tooltip.push({ displayName: strings.get("Visual_Field_BlockedEvents"), value: texts.blocked });
    if (texts.highlighted !== null) {
        tooltip.push({ displayName: strings.format("Visual_Highlighted", { value: "" }).trim(), value: texts.highlighted });
    }
    const use = app.unsanctionedUse;
    if (use !== null) {
        if (use.since !== null) tooltip.push({ displayName: strings.get("Visual_TopApps_TaggedOn"), value: ctx.format.day(use.since) });
        tooltip.push({ displayName: strings.get("Visual_TopApps_StillUsedField"), value: format.bytes(use.bytes) });
        if (use.blockedShare !== null) tooltip.push({ displayName: strings.get("Visual_Kpi_BlockedShare"), value: format.share(use.blockedShare) });
    }
    return tooltip;
}

/**
 * The marks of the table, one per app. Aria-label:
 * `<app> (<category>, score <n> | unscored, <state>): <traffic>[, <n> users | at least <n> users][, <n> blocked events]
 * [, <status of an unsanctioned app still used>][, highlighted <bytes>]`,
 * where the parenthesis lists only what is bound and is left out when nothing is.
 */
export function topAppMarks(table: TopApps, ctx: RenderContext): AppMark[] {
    const { strings, format } = ctx;
    const scoreValue = localizedPhrase(strings, "Visual_TopApps_ScoreValue");
    const blockedValue = localizedPhrase(strings, "Visual_TopApps_BlockedValue");
    const highlighted = localizedPhrase(strings, "Visual_Highlighted");
    return table.apps.map(app => {
        // Each value is formatted once, for its cell, the aria-label and the tooltip.
        const texts: AppTexts = {
            traffic: format.bytes(app.totalBytes),
            score: app.score === null ? null : format.count(app.score),
            users: usersTexts(app.users, ctx),
            blocked: app.blockedEvents === null ? null : format.count(app.blockedEvents),
            highlighted: app.highlightedBytes === null ? null : format.bytes(app.highlightedBytes),
        };
        const scoreText = app.riskBand === null ? ""
            : texts.score === null ? strings.get("Visual_TopApps_Unscored")
                : scoreValue({ score: texts.score });
        const tagState = app.tagClass === null ? "" : strings.get(STATES[app.tagClass]);
        // An app still used after it was tagged unsanctioned carries a warning sign before its state.
        const state = app.unsanctionedUse !== null ? `${STILL_USED_SIGN} ${tagState || strings.get("Visual_TopApps_StateUnsanctioned")}` : tagState;
        const about = [app.category?.text ?? "", scoreText, tagState].filter(part => part !== "");
        const values = [texts.traffic];
        if (texts.users !== null) values.push(texts.users.phrase);
        if (texts.blocked !== null) {
            values.push(app.blockedEvents === 1 ? strings.get("Visual_TopApps_BlockedOne")
                : blockedValue({ count: texts.blocked }));
        }
        const use = app.unsanctionedUse;
        if (use !== null) {
            const value = format.bytes(use.bytes);
            values.push(use.since === null ? strings.format("Visual_TopApps_StillUsedUndated", { value })
                : strings.format("Visual_TopApps_StillUsed", { date: format.day(use.since), value }));
            if (use.blockedShare !== null) values.push(strings.format("Visual_TopApps_BlockedShareValue", { share: format.share(use.blockedShare) }));
        }
        if (texts.highlighted !== null) values.push(highlighted({ value: texts.highlighted }));

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
            users: texts.users?.cell ?? "",
            blocked: texts.blocked ?? "",
            launch: appLaunch(app.appId, app.label.text, strings),
        };
    });
}

/**
 * The top apps as a downloaded table: the table's order and formatted cells (the same texts as its rows), the
 * traffic in bytes beside its formatted value, and the app's Defender page when it has one. Columns for fields that
 * are not bound are left out, as on screen.
 */
export function topAppsTable(table: TopApps, ctx: RenderContext): CsvTable {
    const { strings } = ctx;
    const marks = topAppMarks(table, ctx);
    const first = table.apps[0];
    const columns = [strings.get("Visual_Export_Rank"), strings.get("Visual_TopApps_App")];
    const has = {
        category: first?.category != null, score: first?.riskBand != null, status: first?.tagClass != null,
        users: first?.users != null, blocked: first?.blockedEvents != null,
        appId: marks.some(mark => mark.bar.appId !== null), launch: marks.some(mark => mark.launch !== null),
        stillUsed: table.apps.some(app => app.unsanctionedUse !== null),
        taggedOn: table.apps.some(app => app.unsanctionedUse?.since != null),
    };
    if (has.appId) columns.push(strings.get("Visual_Field_AppId"));
    if (has.category) columns.push(strings.get("Visual_TopApps_Category"));
    if (has.score) columns.push(strings.get("Visual_TopApps_Score"), strings.get("Visual_Panel_RiskBands"));
    if (has.status) columns.push(strings.get("Visual_TopApps_Status"));
    columns.push(strings.get("Visual_Traffic"), strings.format("Visual_Export_Bytes", { field: strings.get("Visual_Traffic") }));
    if (has.users) columns.push(strings.get("Visual_TopApps_Users"));
    if (has.blocked) columns.push(strings.get("Visual_Field_BlockedEvents"));
    if (has.taggedOn) columns.push(strings.get("Visual_TopApps_TaggedOn"));
    if (has.stillUsed) {
        columns.push(
            strings.get("Visual_TopApps_StillUsedField"),
            strings.format("Visual_Export_Bytes", { field: strings.get("Visual_TopApps_StillUsedField") }),
            strings.get("Visual_Kpi_BlockedShare"),
        );
    }
    if (has.launch) columns.push(strings.get("Visual_Launch_Defender"));
    const rows = marks.map((mark, index) => {
        const app = mark.bar;
        const row: CsvCell[] = [index + 1, mark.name];
        if (has.appId) row.push(app.appId);
        if (has.category) row.push(mark.category);
        if (has.score) row.push(mark.score, app.riskBand === null ? null : strings.get(RISK_BAND_NAMES[app.riskBand]));
        if (has.status) row.push(mark.state);
        row.push(mark.traffic, app.totalBytes);
        if (has.users) row.push(mark.users);
        if (has.blocked) row.push(mark.blocked);
        const use = app.unsanctionedUse;
        if (has.taggedOn) row.push(use?.since == null ? null : ctx.format.day(use.since));
        if (has.stillUsed) {
            row.push(use === null ? null : ctx.format.bytes(use.bytes), use?.bytes ?? null);
            row.push(use?.blockedShare == null ? null : ctx.format.share(use.blockedShare));
        }
        if (has.launch) row.push(mark.launch?.url ?? null);
        return row;
    });
    return { columns, rows };
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
        users: first?.users != null,
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

/** Where the cells of a row are drawn: the same for all rows of a render, set once on the table as CSS custom properties. */
interface TableGeometry {
    readonly columns: readonly Column[];
    readonly width: number;
    readonly headHeight: number;
    readonly rowHeight: number;
    /** The traffic bar, under the traffic value. */
    readonly barTop: number;
    readonly barHeight: number;
    readonly swatchSize: number;
    readonly fontSize: number;
    readonly highlightFill: string;
}

/**
 * The table's custom properties: row sizes and each column's start (its end, for right-aligned columns, as the
 * distance from the table's right edge, so that a number grows leftwards from it).
 */
function geometryStyle(g: TableGeometry): string {
    const px = (v: number): string => `${v}px`;
    const properties = [
        `width:${px(g.width)}`,
        `--shadowit-head-height:${px(g.headHeight)}`,
        `--shadowit-row-height:${px(g.rowHeight)}`,
        `--shadowit-bar-top:${px(g.barTop)}`,
        `--shadowit-bar-height:${px(g.barHeight)}`,
        `--shadowit-swatch-size:${px(g.swatchSize)}`,
        `--shadowit-swatch-gap:${px(g.fontSize * 0.4)}`,
        `--shadowit-highlight-fill:${g.highlightFill}`,
    ];
    for (const c of g.columns) {
        properties.push(c.end ? `--shadowit-${c.id}-end:${px(g.width - c.x - c.width)}` : `--shadowit-${c.id}-x:${px(c.x)}`);
    }
    return properties.join(";");
}

/** The cells of a row in DOM order, by column; the traffic column has its value and its bar. */
const CELLS: ReadonlyArray<{ readonly id: ColumnId | "bar"; readonly className: string }> = [
    { id: "name", className: "shadowit-label" },
    { id: "category", className: "shadowit-category" },
    { id: "score", className: "shadowit-score" },
    { id: "status", className: "shadowit-status" },
    { id: "traffic", className: "shadowit-value" },
    { id: "bar", className: "shadowit-segment shadowit-traffic-bar" },
    { id: "users", className: "shadowit-users" },
    { id: "blocked", className: "shadowit-blocked" },
];

interface RowTemplate {
    readonly row: HTMLDivElement;
    /** Child index of each shown column's cell in a row. */
    readonly cells: Readonly<Partial<Record<ColumnId | "bar", number>>>;
}

/**
 * Row templates by the columns they have, shared by every table of the page: a new visual instance (a report page
 * opened again) clones what an earlier one built. Bounded: a few column sets are ever in use.
 */
const rowTemplates = new Map<string, RowTemplate>();
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


/**
 * One row with everything that does not depend on its app: the mark's class, role and tab stop, and a cell per
 * shown column, each text cell with a text node to fill. Places and sizes come from the table's custom properties.
 */
function buildRowTemplate(columns: readonly Column[]): RowTemplate {
    const row = optionRow("shadowit-app");
    const shown = new Set<ColumnId | "bar">(columns.map(c => c.id));
    if (shown.has("traffic")) shown.add("bar");
    const cells: Partial<Record<ColumnId | "bar", number>> = {};
    for (const cell of CELLS) {
        if (!shown.has(cell.id)) continue;
        cells[cell.id] = row.childNodes.length;
        if (cell.id === "bar") row.appendChild(htmlElement("div", cell.className)).setAttribute("aria-hidden", "true");
        else row.appendChild(htmlElement("span", cell.className, ""));
    }
    return { row, cells };
}


/** Column heads by their texts and places, shared by every table of the page. */
const headTemplates = new Map<string, HeadElement>();

/**
 * The column headers and their rule (hidden from screen readers: the rows' aria-labels name every value), redrawn
 * only when their texts or places change.
 */
function renderHead(table: HTMLDivElement, columns: readonly Column[], width: number, ctx: RenderContext): void {
    const f = ctx.fontSize;
    const titles = columns.map(c => (c.id === "status" && c.width < f * 3 ? "" : fitText(ctx.strings.get(HEADERS[c.id]), c.width, f)));
    const signature = `${width}|${columns.map((c, i) => `${c.id}:${c.x}:${c.width}:${c.end}:${titles[i]}`).join("\n")}`;
    const head = table.firstElementChild as HeadElement | null;
    const drawn = head !== null && head.classList.contains("shadowit-table-head") ? head : null;
    if (drawn !== null && drawn.shadowitSignature === signature) return;
    const template = cached(headTemplates, signature, () => {
        const built = htmlElement("div", "shadowit-table-head") as HeadElement;
        built.setAttribute("aria-hidden", "true");
        columns.forEach((c, i) => {
            const title = built.appendChild(htmlElement("span", "shadowit-column-title", titles[i]));
            title.setAttribute("data-column", c.id);
            if (c.end) title.style.right = `${width - c.x - c.width}px`;
            else title.style.left = `${c.x}px`;
        });
        return built;
    });
    const fresh = template.cloneNode(true) as HeadElement;
    fresh.shadowitSignature = signature;
    if (drawn !== null) drawn.replaceWith(fresh);
    else table.insertBefore(fresh, table.firstChild);
}

type HeadElement = HTMLDivElement & { shadowitSignature?: string };

/** Writes a text cell; a shortened text gets a native tooltip with the full one. */
function writeCell(cell: Element, slot: string, full: string, shown: string, write: HtmlRowWriter): void {
    write.text(cell, slot, shown);
    write.attr(cell, `${slot}.title`, "title", shown === full ? null : full);
}

/** The child `div` of `parent` with class `className`, appended when missing. */
function childDiv(parent: HTMLElement, className: string): HTMLDivElement {
    for (let child = parent.firstElementChild; child !== null; child = child.nextElementSibling) {
        if (child.className === className) return child as HTMLDivElement;
    }
    return parent.appendChild(htmlElement("div", className));
}

/** A compact table of the top apps by traffic; each row is a selectable mark. */
export function renderTopApps(
    body: HTMLDivElement, table: TopApps, box: Box, ctx: RenderContext,
): Mark[] {
    const { strings, fontSize: f } = ctx;
    const width = Math.max(60, box.width - 16);
    const statusTextWidth = Math.max(...TAG_CLASSES.map(t => textWidth(strings.get(STATES[t]), f)))
        + (table.apps.some(app => app.unsanctionedUse !== null) ? textWidth(`${STILL_USED_SIGN} `, f) : 0);
    // Headers are bold: a tenth wider than measured in the regular weight.
    const headerWidth = (id: ColumnId): number => Math.ceil(textWidth(strings.get(HEADERS[id]), f) * 1.1);
    const columns = tableColumns(width, f, table.apps[0], Math.min(f * 9, statusTextWidth), headerWidth);
    const column = (id: ColumnId): Column | undefined => columns.find(c => c.id === id);
    const rowHeight = Math.round(f * 2.2);
    const marks = topAppMarks(table, ctx);

    const caption = childDiv(body, "shadowit-caption");
    const hiddenApps = table.appCount > table.apps.length;
    const stillUsed = table.stillUsedUnsanctioned ?? 0;
    const captionText = [
        hiddenApps ? strings.format("Visual_TopApps_Shown", { shown: ctx.format.count(table.apps.length), count: ctx.format.count(table.appCount) }) : "",
        stillUsed === 0 ? "" : stillUsed === 1 ? `${STILL_USED_SIGN} ${strings.get("Visual_TopApps_StillUsedOne")}`
            : `${STILL_USED_SIGN} ${strings.format("Visual_TopApps_StillUsedCount", { count: ctx.format.count(stillUsed) })}`,
    ].filter(part => part !== "").join(" · ");
    if (caption.textContent !== captionText) caption.textContent = captionText;
    const display = captionText !== "" ? "" : "none";
    if (caption.style.display !== display) caption.style.display = display;

    const tableElement = childDiv(body, "shadowit-table");
    const list = listBox(tableElement, "shadowit-table-rows", strings.get("Visual_Panel_TopApps"));
    const highContrast = ctx.colors.highContrast;
    const barHeight = Math.max(3, Math.round(f * 0.4));
    const geometry: TableGeometry = {
        columns, width, headHeight: Math.round(f * 1.8), rowHeight,
        barTop: rowHeight - barHeight - Math.round(f * 0.25), barHeight, swatchSize: Math.round(f * 0.8), fontSize: f,
        highlightFill: highContrast ? ctx.colors.foregroundSelected : ctx.colors.foreground,
    };
    const style = geometryStyle(geometry);
    if (tableElement.getAttribute("style") !== style) tableElement.setAttribute("style", style);
    renderHead(tableElement, columns, width, ctx);
    const template = cached(rowTemplates, columns.map(c => c.id).join(","), () => buildRowTemplate(columns));

    const traffic = column("traffic");
    const barWidth = traffic ? traffic.width : 0;
    const largest = Math.max(1, ...table.apps.map(a => a.totalBytes));
    const x = (v: number): number => (v / largest) * barWidth;
    const { cells } = template;
    const swatchRoom = (c: Column): number => c.width - geometry.swatchSize - f * 0.4;
    const name = column("name");
    const category = column("category");
    const score = column("score");
    const status = column("status");
    const scoreRoom = score ? swatchRoom(score) : 0;
    const statusRoom = status ? swatchRoom(status) : 0;
    const highlight = highlightPart();

    drawHtmlRows(list, marks, template.row, (row, d, _i, write) => {
        write.attr(row, "row.label", "aria-label", d.ariaLabel);
        const children = row.children;
        if (name && cells.name !== undefined) {
            // The launch button sits at the end of the name's cell and takes its width from the name.
            const room = d.launch === null ? name.width : Math.max(f, name.width - f * 1.6);
            writeCell(children[cells.name], "name", d.name, fitText(d.name, room, f), write);
            writeLaunchButton(row, children[cells.name], d.launch, strings, write);
        }
        if (category && cells.category !== undefined) {
            writeCell(children[cells.category], "category", d.category, fitText(d.category, category.width, f), write);
        }
        // The band colours the score's swatch, the tag the status swatch and the traffic bar; the bar's and the
        // highlight's lengths go with them in the row's one style attribute.
        const highlighted = d.bar.highlightedBytes;
        let rowStyle = seriesProperties("tag", tagStyle(ctx, d.bar.tagClass), highContrast);
        if (score !== undefined) rowStyle = `${seriesProperties("band", bandStyle(ctx, d.bar.riskBand ?? "unscored"), highContrast)};${rowStyle}`;
        if (cells.bar !== undefined) {
            rowStyle += `;--shadowit-bar-w:${Math.max(d.bar.totalBytes > 0 ? 1 : 0, x(d.bar.totalBytes))}px`;
            if (highlighted !== null) rowStyle += `;--shadowit-highlight-w:${Math.max(0, x(highlighted))}px`;
        }
        write.attr(row, "row.style", "style", rowStyle);
        if (score && cells.score !== undefined) {
            write.text(children[cells.score], "score", scoreRoom < f ? "" : fitText(d.score, scoreRoom, f));
        }
        if (status && cells.status !== undefined) {
            write.text(children[cells.status], "status", statusRoom < f ? "" : fitText(d.state, statusRoom, f));
        }
        if (cells.traffic !== undefined) write.text(children[cells.traffic], "traffic", d.traffic);
        if (cells.users !== undefined) write.text(children[cells.users], "users", d.users);
        if (cells.blocked !== undefined) write.text(children[cells.blocked], "blocked", d.blocked);
        if (cells.bar !== undefined) {
            write.toggleClass(row, "row.hasHighlight", "shadowit-has-highlight", highlighted !== null);
            write.optionalChild(row, "highlight", highlight, highlighted !== null);
        }
    });
    return marks;
}
