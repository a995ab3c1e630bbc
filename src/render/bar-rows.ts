import { drawHtmlRows, htmlElement, HtmlRowWriter, listBox, markKeyOf, optionRow } from "./html-rows";
import { Box, Mark } from "./types";
import { RowRange, visibleRows } from "./visible-rows";

/**
 * Fired (bubbling) by a panel body when scrolling drew rows that were not in the page: the behaviour gives them
 * their selection state and tab stop.
 */
export const ROWS_DRAWN_EVENT = "shadowit-rowsdrawn";

/** Geometry of a bar panel: a label column, then the bars, then room for the value after the longest bar. */
export interface BarRowsLayout {
    readonly width: number;
    readonly labelWidth: number;
    readonly barWidth: number;
    readonly rowHeight: number;
    /** The panel's height: no more of the list than this can be in view at once. */
    readonly viewHeight: number;
}

/** Rows share the height the panel has, between `minRowEm` and `maxRowEm` font sizes each. */
export function barRowsLayout(box: Box, fontSize: number, rows: number, minRowEm: number, maxRowEm: number): BarRowsLayout {
    const width = Math.max(60, box.width - 16);
    const labelWidth = Math.min(Math.round(width * 0.38), fontSize * 16);
    const valueWidth = Math.round(fontSize * 5.2);
    const barWidth = Math.max(10, width - labelWidth - valueWidth - 12);
    const available = Math.max(fontSize * 2, box.height - fontSize * 5);
    const rowHeight = Math.max(fontSize * minRowEm, Math.min(fontSize * maxRowEm, available / Math.max(1, rows)));
    return { width, labelWidth, barWidth, rowHeight, viewHeight: bodyHeight(box, fontSize) };
}

/**
 * The most a panel's scrolling body can be high: the box less the panel's padding and top rule, and the title's
 * line and margin (style/visual.less: `.shadowit-panel`, `.shadowit-panel-title`), rounded up.
 */
function bodyHeight(box: Box, fontSize: number): number {
    return Math.max(0, box.height - 14 - fontSize * 1.15 * 1.4);
}

/** A row's mark: its full name, and the name as drawn in the label column (shortened with an ellipsis). */
export interface BarRowMark extends Mark {
    readonly name: string;
    readonly shownLabel: string;
}

/** How one bar panel builds and fills the parts of its rows that follow the label. */
export interface BarRowsSpec<M extends BarRowMark> {
    /** Class of each row, e.g. `shadowit-bar`. */
    readonly rowClass: string;
    /** Accessible name of the chart (the list box). */
    readonly chartLabel: string;
    readonly layout: BarRowsLayout;
    /**
     * What is the same for every row, by CSS custom property name: geometry in pixels, and colours (fills and, in
     * high contrast, outlines and their styles) as CSS values. Set once on the list, where the panel's style rules
     * (style/bars.less) read them, instead of on every element.
     */
    readonly properties: Readonly<Record<string, number | string>>;
    /** Appends the panel's parts after the label to the row template, with their static attributes. */
    readonly buildParts: (template: HTMLDivElement) => void;
    /**
     * The row's own geometry as custom property declarations (`--name:value;…`), read by the panel's style rules:
     * written with the row's place as its one style attribute, instead of a style property on each part.
     */
    readonly geometry: (mark: M) => string;
    /** Writes what depends on the row's mark, through `write`, which skips values the row already shows. */
    readonly update: (row: HTMLElement, mark: M, write: HtmlRowWriter) => void;
}

/** What the list keeps between renders and between scroll events: its rows and how to draw them. */
interface ListState {
    /** The list's style attribute: its size and the properties every row shares. */
    readonly properties: string;
    readonly marks: readonly Mark[];
    readonly rowHeight: number;
    readonly viewHeight: number;
    /** The rows drawn now, apart from a focused one kept outside them. */
    range: RowRange;
    /** Draws the rows in `range`, and the row at `pinned` (or the focused one) wherever it is. */
    readonly draw: (range: RowRange, pinned?: number) => void;
}

type ListElement = HTMLDivElement & { shadowitBarRows?: ListState };

/** A panel body that scrolls a list of rows: where it was last scrolled to, known without asking for layout. */
type ScrollingBody = HTMLDivElement & { shadowitScrollTop?: number };

/** Class of the list box that holds a bar panel's rows. */
const LIST_CLASS = "shadowit-chart shadowit-bar-list";

/** Rows drawn beyond each edge of the panel: room for the legend above the rows. */
const OVERSCAN = 1;

/**
 * Draws one row (`role="option"`) per mark in a list box, keyed by mark key: the fitted name in the label column (a
 * native tooltip keeps the full one when it is shortened), then the panel's parts. The row is its own hit area.
 * New rows are clones of a template that carries every static attribute; what is the same for every row is in
 * CSS custom properties on the list, so a first render writes only what depends on data.
 *
 * The list is as tall as all its rows, but only the rows the panel can show are in the page (and the focused
 * one): scrolling the panel draws the rows that come into view, and each row tells its place in the list
 * (aria-posinset of aria-setsize) while some are left out.
 */
export function renderBarRows<M extends BarRowMark>(
    body: HTMLDivElement, marks: readonly M[], spec: BarRowsSpec<M>,
): void {
    const { layout } = spec;
    const container = body as ScrollingBody;
    const list: ListElement = listBox(container, LIST_CLASS, spec.chartLabel);
    const properties = setProperties(list, {
        "width": `${layout.width}px`,
        "height": `${Math.ceil(layout.rowHeight * marks.length)}px`,
        "--shadowit-row-height": `${layout.rowHeight}px`,
        "--shadowit-label-width": `${layout.labelWidth - 6}px`,
        "--shadowit-bar-x": `${layout.labelWidth}px`,
        ...Object.fromEntries(Object.entries(spec.properties).map(([name, value]) => [name, typeof value === "number" ? `${value}px` : value])),
    }, list.shadowitBarRows?.properties ?? "");
    const template = rowTemplate(spec);

    const draw = (range: RowRange, pinned = focusedRow(list, marks)): void => {
        const partial = range.end - range.first < marks.length;
        const indexes = rowsToDraw(range, pinned, marks.length);
        drawHtmlRows(list, indexes.map(index => marks[index]), template, (row, mark, i, write) => {
            const index = indexes[i];
            write.attr(row, "row.style", "style", `top:${Math.round(index * layout.rowHeight)}px;${spec.geometry(mark)}`);
            write.attr(row, "row.label", "aria-label", mark.ariaLabel);
            write.attr(row, "row.setsize", "aria-setsize", partial ? String(marks.length) : null);
            write.attr(row, "row.posinset", "aria-posinset", partial ? String(index + 1) : null);
            const label = row.firstElementChild!;
            write.text(label, "label", mark.shownLabel);
            // Only shortened names get a native tooltip; the host tooltip shows the full name in any case.
            write.attr(label, "label.title", "title", mark.shownLabel === mark.name ? null : mark.name);
            spec.update(row, mark, write);
        });
    };
    const state: ListState = {
        properties, marks, rowHeight: layout.rowHeight, viewHeight: layout.viewHeight, range: { first: 0, end: 0 }, draw,
    };
    state.range = rangeInView(state, container.shadowitScrollTop ?? 0);
    list.shadowitBarRows = state;
    draw(state.range);
}

function rangeInView(state: ListState, scrollTop: number): RowRange {
    return visibleRows({
        count: state.marks.length, rowHeight: state.rowHeight, scrollTop, viewHeight: state.viewHeight, overscan: OVERSCAN,
    });
}

/** The indexes of the rows in `range` in list order, with `pinned` (when it is a row) in its place. */
function rowsToDraw(range: RowRange, pinned: number, count: number): number[] {
    const indexes: number[] = [];
    if (pinned >= 0 && pinned < range.first) indexes.push(pinned);
    for (let index = range.first; index < range.end; index++) indexes.push(index);
    if (pinned >= range.end && pinned < count) indexes.push(pinned);
    return indexes;
}

/** The index of the row that has the keyboard focus, which stays drawn wherever the list is scrolled; else -1. */
function focusedRow(list: HTMLElement, marks: readonly Mark[]): number {
    const active = document.activeElement;
    if (active === null || active.parentNode !== list) return -1;
    const key = markKeyOf(active);
    return marks.findIndex(mark => mark.key === key);
}

function listOf(container: HTMLElement): ListElement | null {
    for (let child = container.firstElementChild; child !== null; child = child.nextElementSibling) {
        if ((child as ListElement).shadowitBarRows !== undefined) return child as ListElement;
    }
    return null;
}

/**
 * Draws the rows that scrolling brings into view, for every bar panel under `root`: one listener on the root in the
 * capture phase (scroll events do not bubble), added once, instead of one per panel body on every render.
 */
export function followScrolling(root: HTMLElement): void {
    root.addEventListener("scroll", event => {
        const container = event.target as ScrollingBody;
        if (!(container instanceof HTMLElement)) return;
        const scrollTop = container.scrollTop;
        container.shadowitScrollTop = scrollTop;
        const state = listOf(container)?.shadowitBarRows;
        if (state === undefined) return;
        const range = rangeInView(state, scrollTop);
        if (range.first === state.range.first && range.end === state.range.end) return;
        state.range = range;
        state.draw(range);
        container.dispatchEvent(new CustomEvent(ROWS_DRAWN_EVENT, { bubbles: true }));
    }, { capture: true, passive: true });
}

/**
 * Brings the row of `key` into its panel's view, scrolling the panel as little as needed, and returns its element;
 * null when no bar panel under `root` has a row of that key.
 */
export function revealBarRow(root: Element, key: string): HTMLElement | null {
    for (const list of Array.from(root.querySelectorAll<ListElement>(".shadowit-bar-list"))) {
        const state = list.shadowitBarRows;
        const index = state?.marks.findIndex(mark => mark.key === key) ?? -1;
        if (state === undefined || index < 0) continue;
        const container = list.parentElement as ScrollingBody;
        const offset = list.getBoundingClientRect().top - container.getBoundingClientRect().top + container.scrollTop;
        const top = offset + index * state.rowHeight;
        const bottom = top + state.rowHeight;
        if (top < container.scrollTop) container.scrollTop = top;
        else if (bottom > container.scrollTop + container.clientHeight) container.scrollTop = bottom - container.clientHeight;
        container.shadowitScrollTop = container.scrollTop;
        state.range = rangeInView(state, container.scrollTop);
        state.draw(state.range, index);
        for (let row = list.firstElementChild; row !== null; row = row.nextElementSibling) {
            if (markKeyOf(row) === key) return row as HTMLElement;
        }
    }
    return null;
}

/** Row templates by row class: the parts and their static attributes, the same in every render. */
const templates = new Map<string, HTMLDivElement>();

/** A row as drawn before any data is written: the mark's role, classes and starting tab stop, the label, the parts. */
function rowTemplate<M extends BarRowMark>(spec: BarRowsSpec<M>): HTMLDivElement {
    const cached = templates.get(spec.rowClass);
    if (cached !== undefined) return cached;
    const row = optionRow(spec.rowClass);
    row.appendChild(htmlElement("span", "shadowit-label", ""));
    spec.buildParts(row);
    templates.set(spec.rowClass, row);
    return row;
}

/** Sets the list's style attribute to `properties` when it differs from the one set last; returns it. */
function setProperties(list: HTMLElement, properties: Readonly<Record<string, string>>, previous: string): string {
    let style = "";
    for (const name of Object.keys(properties)) style += `${name}:${properties[name]};`;
    if (style !== previous) list.setAttribute("style", style);
    return style;
}
