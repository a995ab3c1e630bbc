import { BaseType, Selection } from "d3-selection";
import { RenderContext } from "./types";

export type AnySelection<E extends BaseType, D = unknown> = Selection<E, D, BaseType, unknown>;

/** Sets the text of an element made with a text node first, writing only a changed value. */
export function setText(element: Element, value: string): void {
    const node = element.firstChild;
    if (node !== null && node.nodeType === Node.TEXT_NODE) {
        if (node.nodeValue !== value) node.nodeValue = value;
    } else {
        element.insertBefore(document.createTextNode(value), node);
    }
}

/** Returns the single child matching `tag.className` of `parent`, creating it when absent. */
export function ensureChild<E extends BaseType, P extends BaseType>(
    parent: AnySelection<P, unknown>, tag: string, className: string,
): AnySelection<E, unknown> {
    const existing = parent.select<E>(`:scope > ${tag}.${className}`);
    if (!existing.empty()) return existing;
    return parent.append<E>(tag).attr("class", className);
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

/** Legend of swatches, drawn as HTML so long names wrap instead of overlapping. */
export function renderLegend<P extends BaseType>(container: AnySelection<P, unknown>, entries: readonly LegendEntry[]): void {
    const legend = ensureChild<HTMLDivElement, P>(container, "div", "shadowit-legend");
    legend.attr("aria-hidden", "true");
    legend.selectAll<HTMLSpanElement, LegendEntry>("span.shadowit-legend-item")
        .data(entries, d => d.key)
        .join(enter => {
            const item = enter.append("span").attr("class", "shadowit-legend-item");
            item.append("span").attr("class", "shadowit-swatch");
            item.append("span").attr("class", "shadowit-legend-label");
            return item;
        })
        .call(item => item.select<HTMLSpanElement>(".shadowit-swatch")
            .style("background-color", d => d.style.fill)
            .style("border-color", d => d.style.stroke)
            .style("border-style", d => d.style.dash === null ? "solid" : "dashed"))
        .call(item => item.select<HTMLSpanElement>(".shadowit-legend-label").text(d => d.label));
}
