import { BaseType } from "d3-selection";
import { AnySelection, SeriesStyle, setAttributeIfChanged, svgElement } from "./shared";
import { Mark } from "./types";

/**
 * Building blocks for panels whose marks are rows cloned from a template: the template holds every attribute
 * that is the same for all rows of a render, so that a first render only writes what depends on the data.
 */

/** Sets the text of an element made with a text node first (see `svgElement`), writing only a changed value. */
export function setText(element: Element, value: string): void {
    const node = element.firstChild;
    if (node !== null && node.nodeType === Node.TEXT_NODE) {
        if (node.nodeValue !== value) node.nodeValue = value;
    } else {
        element.insertBefore(document.createTextNode(value), node);
    }
}

/**
 * Writes to a row's nodes. A row fresh from its template has nothing to compare with, so its writer sets
 * directly; a kept row's writer first reads the current value and writes only a changed one (no style
 * invalidation for what stays).
 */
export interface RowWriter {
    readonly fresh: boolean;
    attr(element: Element, name: string, value: string | number | null): void;
    /** Sets the text of an element made with a text node first (see `svgElement`). */
    text(element: Element, value: string): void;
}

const FRESH_WRITER: RowWriter = {
    fresh: true,
    attr(element, name, value) {
        if (value !== null) element.setAttribute(name, String(value));
    },
    text(element, value) {
        if (value === "") return;
        const node = element.firstChild;
        if (node !== null && node.nodeType === Node.TEXT_NODE) node.nodeValue = value;
        else element.insertBefore(document.createTextNode(value), node);
    },
};

const UPDATE_WRITER: RowWriter = {
    fresh: false,
    attr: setAttributeIfChanged,
    text: setText,
};

/** The template each row was last built from: rows of an older template are rebuilt in place. */
const builtFrom = new WeakMap<Element, Element>();

/**
 * Draws the keyed rows of `parent` matching `selector`, one per mark in mark order. Entering rows are clones of
 * `template`; a row kept from a render with another template gets the new template's content while the row
 * element itself stays, so focus, tab stop and selection styling survive. `draw` writes each row's data.
 */
export function drawTemplateRows<P extends BaseType, E extends Element, M extends Mark>(
    parent: AnySelection<P, unknown>, selector: string, marks: readonly M[], template: E,
    draw: (row: E, mark: M, index: number, write: RowWriter) => void,
): void {
    const fresh = new Set<Element>();
    parent.selectAll<E, M>(selector)
        .data(marks, d => d.key)
        .join(enter => enter.append(() => {
            const row = template.cloneNode(true) as E;
            builtFrom.set(row, template);
            fresh.add(row);
            return row;
        }))
        .each(function (d, i) {
            if (builtFrom.get(this) !== template) {
                this.replaceChildren(...Array.from(template.childNodes, node => node.cloneNode(true)));
                builtFrom.set(this, template);
            }
            draw(this, d, i, fresh.has(this) ? FRESH_WRITER : UPDATE_WRITER);
        });
}

/** What identifies a mark's element and describes it; class, role and tab index come with the template. */
export function setMarkAttributes(row: Element, mark: Mark, write: RowWriter): void {
    write.attr(row, "data-key", mark.key);
    write.attr(row, "aria-label", mark.ariaLabel);
}

/**
 * Colours a bar or swatch. The outline only shows in high contrast (the template gives it its width there), so
 * outside high contrast only the fill is written.
 */
export function paint(element: Element, style: SeriesStyle, highContrast: boolean, write: RowWriter): void {
    write.attr(element, "fill", style.fill);
    if (!highContrast) return;
    write.attr(element, "stroke", style.stroke);
    write.attr(element, "stroke-dasharray", style.dash);
}

export interface HighlightBox {
    readonly x: number;
    readonly y: number;
    readonly height: number;
    readonly fill: string;
}

/**
 * The highlighted part of a row's bar, drawn over the full bar (which the row's `shadowit-has-highlight` class
 * dims, or outlines in high contrast); removed when the row has no highlight.
 */
export function drawHighlight(row: SVGGElement, width: number | null, box: HighlightBox, write: RowWriter): void {
    // A row fresh from its template has neither the class nor the rect.
    if (width === null && write.fresh) return;
    let rect = row.lastElementChild;
    if (rect !== null && !rect.classList.contains("shadowit-highlight")) rect = null;
    if (width === null) {
        if (row.classList.contains("shadowit-has-highlight")) row.classList.remove("shadowit-has-highlight");
        rect?.remove();
        return;
    }
    if (!row.classList.contains("shadowit-has-highlight")) row.classList.add("shadowit-has-highlight");
    if (rect === null) {
        rect = row.appendChild(svgElement("rect", { "class": "shadowit-highlight", "aria-hidden": "true" }));
    }
    setAttributeIfChanged(rect, "x", box.x);
    setAttributeIfChanged(rect, "y", box.y + box.height * 0.2);
    setAttributeIfChanged(rect, "width", Math.max(0, width));
    setAttributeIfChanged(rect, "height", box.height * 0.6);
    setAttributeIfChanged(rect, "fill", box.fill);
}
