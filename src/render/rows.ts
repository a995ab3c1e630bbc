import { BaseType } from "d3-selection";
import { AnySelection, SeriesStyle, svgElement } from "./shared";
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

/** What a row shows, by slot: the attributes, texts, classes and flags its writer wrote. */
type Written = Record<string, string | boolean | null>;

/**
 * A row remembers what was written to its own element apart from what was written to its parts: when the parts
 * are replaced by a new template's, only the latter is forgotten.
 */
type WrittenRow = Element & { shadowitWritten?: Written; shadowitWrittenParts?: Written };

/**
 * Writes the data-dependent parts of one row at a time, skipping any value the row already shows. A row
 * remembers what was written to it by slot name, so nothing is read back from the DOM, and a row fresh from its
 * template starts from the template's state: no attribute, empty texts, no optional class or element. So a
 * first render writes every value directly and a re-render writes only the changed ones.
 */
export class RowWriter {
    private row: Element | null = null;
    private own: Written = {};
    private parts: Written = {};

    /** Starts writing `row`; `partsReplaced` says its parts were just replaced by clones of its template's. */
    begin(row: Element, partsReplaced = false): void {
        const target = row as WrittenRow;
        this.row = row;
        this.own = target.shadowitWritten ?? (target.shadowitWritten = {});
        this.parts = partsReplaced || target.shadowitWrittenParts === undefined
            ? (target.shadowitWrittenParts = {}) : target.shadowitWrittenParts;
    }

    private written(element: Element): Written {
        return element === this.row ? this.own : this.parts;
    }

    /** Sets an attribute of the row or one of its parts (null removes it); `slot` names it uniquely within the row. */
    attr(element: Element, slot: string, name: string, value: string | number | null): void {
        const text = typeof value === "number" ? String(value) : value;
        const written = this.written(element);
        if ((written[slot] ?? null) === text) return;
        written[slot] = text;
        if (text === null) element.removeAttribute(name);
        else element.setAttribute(name, text);
    }

    /** Sets the text of an element made with a text node first (see `svgElement`). */
    text(element: Element, slot: string, value: string): void {
        const written = this.written(element);
        if ((written[slot] ?? "") === value) return;
        written[slot] = value;
        (element.firstChild as Text).nodeValue = value;
    }

    toggleClass(element: Element, slot: string, className: string, on: boolean): void {
        const written = this.written(element);
        if ((written[slot] ?? false) === on) return;
        written[slot] = on;
        element.classList.toggle(className, on);
    }

    /** A yes/no the panel keeps for the row's parts, e.g. whether an optional part is shown; undefined until set. */
    flag(slot: string): boolean | undefined {
        const value = this.parts[slot];
        return typeof value === "boolean" ? value : undefined;
    }

    setFlag(slot: string, value: boolean): void {
        this.parts[slot] = value;
    }

    /** Drops what the row remembers for these slots of its parts (their element was replaced): the next write happens. */
    forget(...slots: string[]): void {
        for (const slot of slots) this.parts[slot] = null;
    }

    /** The native tooltip of a text, as its last child: present only when there is text for it. */
    title(text: Element, slot: string, title: string | null): void {
        const written = this.written(text);
        const shown = (written[slot] ?? null) as string | null;
        if (shown === title) return;
        written[slot] = title;
        if (title === null) text.lastChild!.remove();
        else if (shown === null) text.appendChild(svgElement("title")).textContent = title;
        else text.lastChild!.textContent = title;
    }

    /**
     * The highlighted part of a bar, drawn last in `parent` over the full bar: a clone of `prototype` (which
     * carries its constant attributes) while there is a highlight, removed when there is none.
     */
    highlight(parent: Element, slot: string, prototype: () => SVGRectElement, width: number | null): void {
        const shown = this.parts[slot] ?? null;
        if (width === null) {
            if (shown !== null) {
                parent.lastChild!.remove();
                this.parts[slot] = null;
            }
            return;
        }
        const highlight = shown === null ? parent.appendChild(prototype().cloneNode(true) as SVGRectElement) : parent.lastElementChild!;
        this.attr(highlight, slot, "width", Math.max(0, width));
    }
}

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
    const write = new RowWriter();
    parent.selectAll<E, M>(selector)
        .data(marks, d => d.key)
        .join(enter => enter.append(() => {
            const row = template.cloneNode(true) as E;
            builtFrom.set(row, template);
            return row;
        }))
        .each(function (d, i) {
            const rebuild = builtFrom.get(this) !== template;
            if (rebuild) {
                this.replaceChildren(...Array.from(template.childNodes, node => node.cloneNode(true)));
                builtFrom.set(this, template);
            }
            write.begin(this, rebuild);
            draw(this, d, i, write);
        });
}

/** What identifies a mark's element and describes it; class, role and tab index come with the template. */
export function setMarkAttributes(row: Element, mark: Mark, write: RowWriter): void {
    write.attr(row, "row.key", "data-key", mark.key);
    write.attr(row, "row.label", "aria-label", mark.ariaLabel);
}

/** Slots of a painted element's fill, outline and dash. */
export interface PaintSlots {
    readonly fill: string;
    readonly stroke: string;
    readonly dash: string;
}

export function paintSlots(part: string): PaintSlots {
    return { fill: `${part}.fill`, stroke: `${part}.stroke`, dash: `${part}.dash` };
}

/**
 * Colours a bar or swatch. The outline only shows in high contrast (the template gives it its width there), so
 * outside high contrast only the fill is written.
 */
export function paint(element: Element, slots: PaintSlots, style: SeriesStyle, highContrast: boolean, write: RowWriter): void {
    write.attr(element, slots.fill, "fill", style.fill);
    if (!highContrast) return;
    write.attr(element, slots.stroke, "stroke", style.stroke);
    write.attr(element, slots.dash, "stroke-dasharray", style.dash);
}

export interface HighlightBox {
    readonly x: number;
    readonly y: number;
    readonly height: number;
    readonly fill: string;
}

const HIGHLIGHT_SLOTS = {
    shown: "highlight",
    x: "highlight.x",
    y: "highlight.y",
    width: "highlight.width",
    height: "highlight.height",
    fill: "highlight.fill",
} as const;

/**
 * The highlighted part of a row's bar, drawn last in the row over the full bar (which the row's
 * `shadowit-has-highlight` class dims, or outlines in high contrast); removed when the row has no highlight.
 */
export function drawHighlight(row: SVGGElement, width: number | null, box: HighlightBox, write: RowWriter): void {
    write.toggleClass(row, "row.hasHighlight", "shadowit-has-highlight", width !== null);
    const shown = write.flag(HIGHLIGHT_SLOTS.shown) ?? false;
    if (width === null) {
        if (shown) {
            row.lastElementChild!.remove();
            write.setFlag(HIGHLIGHT_SLOTS.shown, false);
            write.forget(HIGHLIGHT_SLOTS.x, HIGHLIGHT_SLOTS.y, HIGHLIGHT_SLOTS.width, HIGHLIGHT_SLOTS.height, HIGHLIGHT_SLOTS.fill);
        }
        return;
    }
    let rect = row.lastElementChild!;
    if (!shown) {
        rect = row.appendChild(svgElement("rect", { "class": "shadowit-highlight", "aria-hidden": "true" }));
        write.setFlag(HIGHLIGHT_SLOTS.shown, true);
    }
    write.attr(rect, HIGHLIGHT_SLOTS.x, "x", box.x);
    write.attr(rect, HIGHLIGHT_SLOTS.y, "y", box.y + box.height * 0.2);
    write.attr(rect, HIGHLIGHT_SLOTS.width, "width", Math.max(0, width));
    write.attr(rect, HIGHLIGHT_SLOTS.height, "height", box.height * 0.6);
    write.attr(rect, HIGHLIGHT_SLOTS.fill, "fill", box.fill);
}
