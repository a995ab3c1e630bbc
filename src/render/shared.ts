import { RenderContext } from "./types";

/** Sets the text of an element made with a text node first, writing only a changed value. */
export function setText(element: Element, value: string): void {
    const node = element.firstChild;
    if (node !== null && node.nodeType === Node.TEXT_NODE) {
        if (node.nodeValue !== value) node.nodeValue = value;
    } else {
        element.insertBefore(document.createTextNode(value), node);
    }
}

/**
 * Sets an attribute only when its text differs (null removes it), with the result of d3's `attr`: re-renders
 * on appends keep most values, and skipping unchanged writes saves style invalidation on every element.
 */
export function setAttributeIfChanged(element: Element, name: string, value: string | number | null): void {
    if (value === null) {
        if (element.hasAttribute(name)) element.removeAttribute(name);
        return;
    }
    const text = String(value);
    if (element.getAttribute(name) !== text) element.setAttribute(name, text);
}

export interface SeriesStyle {
    readonly fill: string;
    readonly stroke: string;
    readonly dash: string | null;
}

/**
 * Fill and outline of the series at `index`. In high contrast only the palette's foreground and background are
 * used and series differ by fill or outline pattern, never by colour or opacity alone.
 */
export function seriesStyle(ctx: RenderContext, color: string, index: number): SeriesStyle {
    if (!ctx.colors.highContrast) return { fill: color, stroke: color, dash: null };
    const fg = ctx.colors.foreground;
    const bg = ctx.colors.background;
    return [
        { fill: fg, stroke: fg, dash: null },
        { fill: bg, stroke: fg, dash: null },
        { fill: bg, stroke: fg, dash: "3 2" },
        { fill: bg, stroke: fg, dash: "1 2" },
    ][index % 4];
}

export interface LegendEntry {
    readonly key: string;
    readonly label: string;
    readonly style: SeriesStyle;
}

/** Legend of swatches, drawn as HTML so long names wrap instead of overlapping; screen readers skip it. */
export function renderLegend(parent: HTMLElement, entries: readonly LegendEntry[]): void {
    let legend = parent.firstElementChild as HTMLElement | null;
    if (legend === null || legend.className !== "shadowit-legend") {
        legend = parent.insertBefore(document.createElement("div"), legend);
        legend.className = "shadowit-legend";
        legend.setAttribute("aria-hidden", "true");
    }
    while (legend.children.length > entries.length) legend.lastElementChild!.remove();
    while (legend.children.length < entries.length) legend.appendChild(legendItem().cloneNode(true));
    entries.forEach((entry, i) => {
        const item = legend!.children[i] as HTMLElement;
        const swatch = item.firstElementChild as HTMLElement;
        const { fill, stroke, dash } = entry.style;
        setStyleIfChanged(swatch, "background-color", fill);
        setStyleIfChanged(swatch, "border-color", stroke);
        setStyleIfChanged(swatch, "border-style", dash === null ? "solid" : "dashed");
        setText(item.lastElementChild!, entry.label);
    });
}

let legendItemPrototype: HTMLElement | null = null;

/** A legend entry before its colours and text: the swatch, then the label with a text node to fill. */
function legendItem(): HTMLElement {
    if (legendItemPrototype === null) {
        legendItemPrototype = document.createElement("span");
        legendItemPrototype.className = "shadowit-legend-item";
        legendItemPrototype.appendChild(document.createElement("span")).className = "shadowit-swatch";
        const label = legendItemPrototype.appendChild(document.createElement("span"));
        label.className = "shadowit-legend-label";
        label.appendChild(document.createTextNode(""));
    }
    return legendItemPrototype;
}

function setStyleIfChanged(element: HTMLElement, property: string, value: string): void {
    if (element.style.getPropertyValue(property) !== value) element.style.setProperty(property, value);
}
