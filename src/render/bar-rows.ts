import { AnySelection, ensureChild, SeriesStyle, SVG_NS } from "./shared";
import { Box, Mark } from "./types";

/** Geometry of a bar panel: a label column, then the bars, then room for the value after the longest bar. */
export interface BarRowsLayout {
    readonly width: number;
    readonly labelWidth: number;
    readonly barWidth: number;
    readonly rowHeight: number;
}

/** Rows share the height the panel has, between `minRowEm` and `maxRowEm` font sizes each. */
export function barRowsLayout(box: Box, fontSize: number, rows: number, minRowEm: number, maxRowEm: number): BarRowsLayout {
    const width = Math.max(60, box.width - 16);
    const labelWidth = Math.min(Math.round(width * 0.38), fontSize * 16);
    const valueWidth = Math.round(fontSize * 5.2);
    const barWidth = Math.max(10, width - labelWidth - valueWidth - 12);
    const available = Math.max(fontSize * 2, box.height - fontSize * 5);
    const rowHeight = Math.max(fontSize * minRowEm, Math.min(fontSize * maxRowEm, available / Math.max(1, rows)));
    return { width, labelWidth, barWidth, rowHeight };
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
    /** Writes what depends on the row's mark (with `writeAttribute`, so that repeated values cost nothing). */
    readonly update: (row: SVGGElement, mark: M) => void;
}

/** What the chart keeps between renders: the row template, the paint it carries, the geometry set. */
interface ChartState {
    readonly paintKey: string;
    readonly template: SVGGElement;
    readonly geometry: Record<string, string>;
}

type ChartElement = SVGSVGElement & { shadowitBarRows?: ChartState };

/**
 * Draws one `<g role="option">` per mark in a list-box chart, keyed by mark key: a label column with the fitted
 * name (a native `<title>` keeps the full one when it is shortened), a row-wide hit area, then the panel's parts.
 * New rows are clones of a template that already carries every static attribute and this render's colours;
 * geometry shared by all rows is in CSS custom properties on the chart, so a first render writes only what
 * depends on data.
 */
export function renderBarRows<M extends BarRowMark>(
    body: AnySelection<HTMLDivElement, unknown>, marks: readonly M[], spec: BarRowsSpec<M>,
): void {
    const { layout } = spec;
    const chart = ensureChild<SVGSVGElement, HTMLDivElement>(body, "svg", "shadowit-chart");
    const svg = chart.node() as ChartElement;
    writeAttribute(svg, "width", layout.width);
    writeAttribute(svg, "height", Math.ceil(layout.rowHeight * marks.length));
    writeAttribute(svg, "role", "listbox");
    writeAttribute(svg, "aria-multiselectable", "true");
    writeAttribute(svg, "aria-label", spec.chartLabel);

    const previous = svg.shadowitBarRows;
    const geometry = setGeometry(svg, {
        "--shadowit-row-height": layout.rowHeight,
        "--shadowit-label-x": layout.labelWidth - 6,
        "--shadowit-bar-x": layout.labelWidth,
        ...spec.geometry,
    }, previous?.geometry ?? {});
    const repaint = previous !== undefined && previous.paintKey !== spec.paintKey;
    const template = previous === undefined || repaint ? rowTemplate(spec) : previous.template;
    svg.shadowitBarRows = { paintKey: spec.paintKey, template, geometry };

    chart.selectAll<SVGGElement, M>(`g.${spec.rowClass}`)
        .data(marks, d => d.key)
        .join(
            enter => enter.append(() => template.cloneNode(true) as SVGGElement),
            update => repaint ? update.each(function () { spec.applyPaint(this); }) : update,
        )
        .each(function (mark, i) {
            writeAttribute(this, "transform", `translate(0,${Math.round(i * layout.rowHeight)})`);
            writeAttribute(this, "data-key", mark.key);
            writeAttribute(this, "aria-label", mark.ariaLabel);
            const label = this.children[1];
            setText(label.firstChild as Text, mark.shownLabel);
            // Only shortened names get a native tooltip; the host tooltip shows the full name in any case.
            const title = label.lastChild as SVGTitleElement;
            const titleText = mark.shownLabel === mark.name ? "" : mark.name;
            if (title.textContent !== titleText) title.textContent = titleText;
            spec.update(this, mark);
        });
}

/**
 * A row as drawn before any data is written: the mark's roles, classes and starting tab stop (the behaviour
 * moves the roving tab stop after every render), the hit area, the label (placed by the style rules), and the
 * panel's parts.
 */
function rowTemplate<M extends BarRowMark>(spec: BarRowsSpec<M>): SVGGElement {
    const row = svgElement("g", `${spec.rowClass} shadowit-mark`);
    row.setAttribute("role", "option");
    row.setAttribute("tabindex", "-1");
    row.appendChild(svgElement("rect", "shadowit-row-hit"));
    const label = row.appendChild(svgElement("text", "shadowit-label"));
    label.appendChild(document.createTextNode(""));
    label.appendChild(svgElement("title", null));
    spec.buildParts(row);
    spec.applyPaint(row);
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

/** A new SVG element with its class (none when null). */
export function svgElement<K extends keyof SVGElementTagNameMap>(tag: K, className: string | null): SVGElementTagNameMap[K] {
    const element = document.createElementNS(SVG_NS, tag);
    if (className !== null) element.setAttribute("class", className);
    return element;
}

/** Fill, outline and dash of a series on a bar element. */
export function applySeriesStyle(element: Element, style: SeriesStyle, strokeWidth: number): void {
    element.setAttribute("fill", style.fill);
    element.setAttribute("stroke", style.stroke);
    if (style.dash === null) element.removeAttribute("stroke-dasharray");
    else element.setAttribute("stroke-dasharray", style.dash);
    element.setAttribute("stroke-width", String(strokeWidth));
}

/** The attribute values last written to an element by `writeAttribute`. */
type WrittenElement = Element & { shadowitWritten?: Record<string, string | null> };

/**
 * Sets (or with null removes) a data-dependent attribute unless that value was the last one written: appends
 * re-render every row and most values repeat. Remembered on the element, so no attribute is read back.
 * Attributes written here must not also be written another way.
 */
export function writeAttribute(element: Element, name: string, value: string | number | null): void {
    const target = element as WrittenElement;
    const written = target.shadowitWritten ?? (target.shadowitWritten = {});
    const text = value === null ? null : String(value);
    if (written[name] === text) return;
    written[name] = text;
    if (text === null) element.removeAttribute(name);
    else element.setAttribute(name, text);
}

/** Sets a text node's text when it differs. */
export function setText(node: Text, text: string): void {
    if (node.nodeValue !== text) node.nodeValue = text;
}

/** Adds or removes a class when its presence differs. */
export function setClass(element: Element, className: string, on: boolean): void {
    if (element.classList.contains(className) !== on) element.classList.toggle(className, on);
}

/**
 * The highlighted part of a bar, drawn last in `parent` over the full bar: added from `prototype` (which carries
 * its constant attributes) when there is a highlight, removed when there is none.
 */
export function placeHighlight(parent: Element, prototype: () => SVGRectElement, width: number | null): void {
    const last = parent.lastElementChild;
    let highlight = last !== null && last.classList.contains("shadowit-highlight") ? last : null;
    if (width === null) {
        highlight?.remove();
        return;
    }
    highlight ??= parent.appendChild(prototype().cloneNode(true) as SVGRectElement);
    writeAttribute(highlight, "width", Math.max(0, width));
}

/** A highlight bar's static attributes; the panel adds its geometry and fill. */
export function highlightElement(): SVGRectElement {
    const rect = svgElement("rect", "shadowit-highlight");
    rect.setAttribute("aria-hidden", "true");
    return rect;
}
