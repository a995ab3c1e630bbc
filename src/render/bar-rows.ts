import { select } from "d3-selection";
import { RowWriter, setMarkAttributes } from "./rows";
import { AnySelection, SeriesStyle, setAttributeIfChanged, svgElement } from "./shared";
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
    /** Class of each row's `<g>`, e.g. `shadowit-bar`. */
    readonly rowClass: string;
    /** Accessible name of the chart (the list box). */
    readonly chartLabel: string;
    readonly layout: BarRowsLayout;
    /**
     * The panel's geometry that is the same for every row, in pixels by CSS custom property name: set once on
     * the chart, where the panel's style rules (style/bars.less) read it, instead of on every element.
     */
    readonly geometry: Readonly<Record<string, number>>;
    /**
     * Every value the attributes written by `applyPaint` depend on (colours, outlines): rows already drawn are
     * repainted only when it changes.
     */
    readonly paintKey: string;
    /** Appends the panel's parts after the label to the row template, with their static attributes. */
    readonly buildParts: (template: SVGGElement) => void;
    /** Writes the colours and outlines of a row's parts, the same for every row of this render. */
    readonly applyPaint: (row: SVGGElement) => void;
    /** Writes what depends on the row's mark, through `write`, which skips values the row already shows. */
    readonly update: (row: SVGGElement, mark: M, write: RowWriter) => void;
}

/** What the chart keeps between renders: the row template, the paint it carries, the geometry set, the rows. */
interface ChartState {
    readonly paintKey: string;
    readonly template: SVGGElement;
    readonly geometry: Record<string, string>;
    readonly marks: readonly Mark[];
    readonly rowHeight: number;
    readonly viewHeight: number;
    /** The rows drawn now, apart from a focused one kept outside them. */
    range: RowRange;
    /** Draws the rows in `range`, and the row at `pinned` (or the focused one) wherever it is. */
    readonly draw: (range: RowRange, pinned?: number) => void;
}

type ChartElement = SVGSVGElement & { shadowitBarRows?: ChartState };

/** A panel body that scrolls a list of rows: where it was last scrolled to, known without asking for layout. */
type ScrollingBody = HTMLDivElement & { shadowitScrollTop?: number };

/** Rows drawn beyond each edge of the panel: room for the legend above the rows. */
const OVERSCAN = 1;

interface DrawnRow<M> {
    readonly mark: M;
    readonly index: number;
}

/**
 * Draws one `<g role="option">` per mark in a list-box chart, keyed by mark key: a label column with the fitted
 * name (a native `<title>` keeps the full one when it is shortened), a row-wide hit area, then the panel's parts.
 * New rows are clones of a template that already carries every static attribute and this render's colours;
 * geometry shared by all rows is in CSS custom properties on the chart, so a first render writes only what
 * depends on data.
 *
 * The chart is as tall as all its rows, but only the rows the panel can show are in the page (and the focused
 * one): scrolling the panel draws the rows that come into view, and each row tells its place in the list
 * (aria-posinset of aria-setsize) while some are left out.
 */
export function renderBarRows<M extends BarRowMark>(
    body: AnySelection<HTMLDivElement, unknown>, marks: readonly M[], spec: BarRowsSpec<M>,
): void {
    const { layout } = spec;
    const container = body.node() as ScrollingBody;
    const existing = container.querySelector<ChartElement>(":scope > svg.shadowit-chart");
    // A new chart is filled while detached and attached once at the end: writes to elements outside the
    // document skip the style invalidation they would cause in it.
    const svg: ChartElement = existing ?? svgElement("svg", { "class": "shadowit-chart" });
    const chart = select<SVGSVGElement, unknown>(svg);
    setAttributeIfChanged(svg, "width", layout.width);
    setAttributeIfChanged(svg, "height", Math.ceil(layout.rowHeight * marks.length));
    setAttributeIfChanged(svg, "role", "listbox");
    setAttributeIfChanged(svg, "aria-multiselectable", "true");
    setAttributeIfChanged(svg, "aria-label", spec.chartLabel);

    const previous = svg.shadowitBarRows;
    const geometry = setGeometry(svg, {
        "--shadowit-row-height": layout.rowHeight,
        "--shadowit-label-x": layout.labelWidth - 6,
        "--shadowit-bar-x": layout.labelWidth,
        ...spec.geometry,
    }, previous?.geometry ?? {});
    const repaint = previous !== undefined && previous.paintKey !== spec.paintKey;
    const template = previous === undefined || repaint ? rowTemplate(spec) : previous.template;

    const write = new RowWriter();
    let repaintRows = repaint;
    const draw = (range: RowRange, pinned = focusedRow(svg, marks)): void => {
        const partial = range.end - range.first < marks.length;
        chart.selectAll<SVGGElement, DrawnRow<M>>(`g.${spec.rowClass}`)
            .data(rowsToDraw(marks, range, pinned), d => d.mark.key)
            .join(
                enter => enter.append(() => template.cloneNode(true) as SVGGElement),
                update => repaintRows ? update.each(function () { spec.applyPaint(this); }) : update,
                // Rows out of view are dropped, and drawn again from the template when they come back.
                exit => exit.remove(),
            )
            .each(function ({ mark, index }) {
                write.begin(this);
                write.attr(this, "row.y", "transform", `translate(0,${Math.round(index * layout.rowHeight)})`);
                setMarkAttributes(this, mark, write);
                write.attr(this, "row.setsize", "aria-setsize", partial ? marks.length : null);
                write.attr(this, "row.posinset", "aria-posinset", partial ? index + 1 : null);
                const label = this.firstElementChild!.nextElementSibling!;
                write.text(label, "label", mark.shownLabel);
                // Only shortened names get a native tooltip; the host tooltip shows the full name in any case.
                write.title(label, "title", mark.shownLabel === mark.name ? null : mark.name);
                spec.update(this, mark, write);
            });
        repaintRows = false;
    };
    const state: ChartState = {
        paintKey: spec.paintKey, template, geometry, marks,
        rowHeight: layout.rowHeight, viewHeight: layout.viewHeight,
        range: { first: 0, end: 0 }, draw,
    };
    state.range = rangeInView(state, container.shadowitScrollTop ?? 0);
    svg.shadowitBarRows = state;
    draw(state.range);
    followScrolling(container);
    if (existing === null) container.appendChild(svg);
}

function rangeInView(state: ChartState, scrollTop: number): RowRange {
    return visibleRows({
        count: state.marks.length, rowHeight: state.rowHeight, scrollTop, viewHeight: state.viewHeight, overscan: OVERSCAN,
    });
}

/** The rows in `range` in list order, with the row at `pinned` (when there is one) in its place. */
function rowsToDraw<M>(marks: readonly M[], range: RowRange, pinned: number): DrawnRow<M>[] {
    const rows: DrawnRow<M>[] = [];
    if (pinned >= 0 && pinned < range.first) rows.push({ mark: marks[pinned], index: pinned });
    for (let index = range.first; index < range.end; index++) rows.push({ mark: marks[index], index });
    if (pinned >= range.end && pinned < marks.length) rows.push({ mark: marks[pinned], index: pinned });
    return rows;
}

/** The index of the row that has the keyboard focus, which stays drawn wherever the list is scrolled; else -1. */
function focusedRow(svg: SVGSVGElement, marks: readonly Mark[]): number {
    const active = document.activeElement;
    if (active === null || active.parentNode !== svg) return -1;
    const key = active.getAttribute("data-key");
    return marks.findIndex(mark => mark.key === key);
}

/** Listens, once per panel body, to its scrolling, and draws the rows that come into view. */
function followScrolling(container: ScrollingBody & { shadowitFollowsScrolling?: true }): void {
    if (container.shadowitFollowsScrolling) return;
    container.shadowitFollowsScrolling = true;
    container.addEventListener("scroll", () => {
        const scrollTop = container.scrollTop;
        container.shadowitScrollTop = scrollTop;
        const state = container.querySelector<ChartElement>(":scope > svg.shadowit-chart")?.shadowitBarRows;
        if (state === undefined) return;
        const range = rangeInView(state, scrollTop);
        if (range.first === state.range.first && range.end === state.range.end) return;
        state.range = range;
        state.draw(range);
        container.dispatchEvent(new CustomEvent(ROWS_DRAWN_EVENT, { bubbles: true }));
    }, { passive: true });
}

/**
 * Brings the row of `key` into its panel's view, scrolling the panel as little as needed, and returns its element;
 * null when no bar panel under `root` has a row of that key.
 */
export function revealBarRow(root: Element, key: string): SVGGElement | null {
    for (const svg of Array.from(root.querySelectorAll<ChartElement>("svg.shadowit-chart"))) {
        const state = svg.shadowitBarRows;
        const index = state?.marks.findIndex(mark => mark.key === key) ?? -1;
        if (state === undefined || index < 0) continue;
        const container = svg.parentElement as ScrollingBody;
        const offset = svg.getBoundingClientRect().top - container.getBoundingClientRect().top + container.scrollTop;
        const top = offset + index * state.rowHeight;
        const bottom = top + state.rowHeight;
        if (top < container.scrollTop) container.scrollTop = top;
        else if (bottom > container.scrollTop + container.clientHeight) container.scrollTop = bottom - container.clientHeight;
        container.shadowitScrollTop = container.scrollTop;
        state.range = rangeInView(state, container.scrollTop);
        state.draw(state.range, index);
        for (const row of Array.from(svg.children)) {
            if (row.getAttribute("data-key") === key) return row as SVGGElement;
        }
    }
    return null;
}

/** Row templates by row class and paint key; a few per panel (themes, high contrast). */
const templates = new Map<string, SVGGElement>();
const MAX_TEMPLATES = 32;

/**
 * A row as drawn before any data is written: the mark's roles, classes and starting tab stop (the behaviour
 * moves the roving tab stop after every render), the hit area, the label (placed by the style rules), and the
 * panel's parts.
 */
function rowTemplate<M extends BarRowMark>(spec: BarRowsSpec<M>): SVGGElement {
    // Templates are only ever cloned, so charts with the same row kind and paint share one: a new visual
    // instance (or a panel drawn again) does not rebuild it.
    const key = `${spec.rowClass}\n${spec.paintKey}`;
    const cached = templates.get(key);
    if (cached !== undefined) return cached;
    const row = svgElement("g", { "class": `${spec.rowClass} shadowit-mark` });
    row.setAttribute("role", "option");
    row.setAttribute("tabindex", "-1");
    row.appendChild(svgElement("rect", { "class": "shadowit-row-hit" }));
    const label = row.appendChild(svgElement("text", { "class": "shadowit-label" }));
    label.appendChild(document.createTextNode(""));
    spec.buildParts(row);
    spec.applyPaint(row);
    if (templates.size >= MAX_TEMPLATES) templates.clear();
    templates.set(key, row);
    return row;
}

/** Sets the chart's geometry custom properties that differ from the ones set last; returns what is set now. */
function setGeometry(
    svg: SVGSVGElement, geometry: Readonly<Record<string, number>>, previous: Readonly<Record<string, string>>,
): Record<string, string> {
    const current: Record<string, string> = {};
    for (const name of Object.keys(geometry)) {
        const value = `${geometry[name]}px`;
        current[name] = value;
        if (previous[name] !== value) svg.style.setProperty(name, value);
    }
    return current;
}

/** Fill, outline and dash of a series on a bar element. */
export function applySeriesStyle(element: Element, style: SeriesStyle, strokeWidth: number): void {
    element.setAttribute("fill", style.fill);
    element.setAttribute("stroke", style.stroke);
    if (style.dash === null) element.removeAttribute("stroke-dasharray");
    else element.setAttribute("stroke-dasharray", style.dash);
    element.setAttribute("stroke-width", String(strokeWidth));
}

/**
 * The prototype of a panel's highlight bars, made on first use: the static attributes and this render's fill;
 * the row writer clones it and adds the width.
 */
export function highlightPrototype(fill: string): () => SVGRectElement {
    let prototype: SVGRectElement | null = null;
    return () => {
        prototype ??= svgElement("rect", { "class": "shadowit-highlight", "aria-hidden": "true", fill });
        return prototype;
    };
}
