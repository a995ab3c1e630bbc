import type { SeriesStyle } from "./series";
import { Mark } from "./types";

/**
 * Keyed rows drawn as HTML elements cloned from a template. HTML elements are much cheaper to create and to
 * change than SVG ones; the geometry shared by every row lives in CSS custom properties of the rows' container,
 * so a template holds only the cells, and a row only what depends on its data.
 */

/** What a row shows, by slot: the attributes, texts, styles and classes written to it and its cells. */
type Shown = Record<string, string | boolean | null>;

interface HtmlRow extends HTMLElement {
    shadowitRowKey?: string;
    shadowitTemplate?: HTMLElement;
    shadowitShown?: Shown;
}

/**
 * Writes one row at a time, skipping any value the row already shows. A row remembers what was written to it by
 * slot name, so nothing is read back from the DOM; a row fresh from its template (or rebuilt from a new one)
 * starts from the template's state: no attribute, empty texts, no inline style, no optional class or cell.
 */
export class HtmlRowWriter {
    private shown: Shown = {};

    begin(row: HTMLElement, fresh: boolean): void {
        const target = row as HtmlRow;
        if (fresh || target.shadowitShown === undefined) target.shadowitShown = {};
        this.shown = target.shadowitShown;
    }

    attr(element: Element, slot: string, name: string, value: string | null): void {
        if ((this.shown[slot] ?? null) === value) return;
        this.shown[slot] = value;
        if (value === null) element.removeAttribute(name);
        else element.setAttribute(name, value);
    }

    /** Sets the text of an element whose first child is a text node (the templates give every text cell one). */
    text(element: Element, slot: string, value: string): void {
        if ((this.shown[slot] ?? "") === value) return;
        this.shown[slot] = value;
        (element.firstChild as Text).nodeValue = value;
    }

    /** Sets an inline style property, e.g. a width or a custom property (null removes it). */
    style(element: HTMLElement, slot: string, property: string, value: string | null): void {
        if ((this.shown[slot] ?? null) === value) return;
        this.shown[slot] = value;
        if (value === null) element.style.removeProperty(property);
        else element.style.setProperty(property, value);
    }

    toggleClass(element: Element, slot: string, className: string, on: boolean): void {
        if ((this.shown[slot] ?? false) === on) return;
        this.shown[slot] = on;
        element.classList.toggle(className, on);
    }

    /**
     * An optional last child of `parent` (such as the highlighted part of a bar): a clone of `prototype` while
     * `present`, removed when not. Returns it while present.
     */
    optionalChild(parent: Element, slot: string, prototype: HTMLElement, present: boolean): HTMLElement | null {
        const shown = this.shown[slot] === true;
        if (present === shown) return present ? parent.lastElementChild as HTMLElement : null;
        this.shown[slot] = present;
        if (!present) {
            parent.lastElementChild!.remove();
            // Its values go with it: a new clone starts from the prototype's state.
            for (const key of Object.keys(this.shown)) if (key.startsWith(`${slot}.`)) this.shown[key] = null;
            return null;
        }
        return parent.appendChild(prototype.cloneNode(true) as HTMLElement);
    }
}

/** The key of the mark a row drawn by `drawHtmlRows` shows; null for any other element. */
export function markKeyOf(element: Element): string | null {
    return (element as HtmlRow).shadowitRowKey ?? null;
}

/**
 * Draws one row per mark, in mark order, as the children of `list`: a mark's row is kept across renders (found by
 * its key), so focus, tab stop and selection styling survive; entering rows are clones of their template (one for
 * all rows, or one per mark); a kept row built from another template gets the new template's cells while the row
 * element itself stays. Rows of marks that are gone are removed. `draw` writes each row's data.
 */
export function drawHtmlRows<M extends Mark>(
    list: HTMLElement, marks: readonly M[], templateOf: HTMLElement | ((mark: M) => HTMLElement),
    draw: (row: HTMLElement, mark: M, index: number, write: HtmlRowWriter) => void,
): void {
    const wanted = new Set<string>();
    for (const mark of marks) wanted.add(mark.key);
    const kept = new Map<string, HtmlRow>();
    // Rows that leave go first, so that the ones staying need not move past them.
    for (const child of Array.from(list.children) as HtmlRow[]) {
        const key = child.shadowitRowKey;
        if (key !== undefined && wanted.has(key)) kept.set(key, child);
        else child.remove();
    }
    const write = new HtmlRowWriter();
    let next = list.firstElementChild;
    for (let i = 0; i < marks.length; i++) {
        const mark = marks[i];
        const template = typeof templateOf === "function" ? templateOf(mark) : templateOf;
        let row = kept.get(mark.key);
        let fresh = false;
        if (row === undefined) {
            row = template.cloneNode(true) as HtmlRow;
            row.shadowitRowKey = mark.key;
            row.shadowitTemplate = template;
            fresh = true;
        } else {
            kept.delete(mark.key);
            if (row.shadowitTemplate !== template) {
                row.replaceChildren(...Array.from(template.childNodes, node => node.cloneNode(true)));
                row.shadowitTemplate = template;
                // The row's own attributes stay; its cells' values go with the old cells.
                const own = row.shadowitShown ?? {};
                row.shadowitShown = {};
                for (const slot of Object.keys(own)) if (slot.startsWith("row.")) row.shadowitShown[slot] = own[slot];
            }
        }
        // Only a row out of place moves: moving a focused element would blur it.
        if (row !== next) list.insertBefore(row, next);
        else next = next.nextElementSibling;
        write.begin(row, fresh);
        draw(row, mark, i, write);
    }
}

/** Ids of the elements naming list boxes: unique in the page. */
let listBoxCount = 0;

type NamedListBox = HTMLDivElement & { shadowitName?: Text };

/** An empty list box and the hidden text naming it, cloned for each new list. */
let listBoxPrototype: DocumentFragment | null = null;

function newListBox(className: string): [NamedListBox, HTMLSpanElement] {
    if (listBoxPrototype === null) {
        listBoxPrototype = document.createDocumentFragment();
        const list = listBoxPrototype.appendChild(document.createElement("div"));
        list.setAttribute("role", "listbox");
        list.setAttribute("aria-multiselectable", "true");
        const label = listBoxPrototype.appendChild(document.createElement("span"));
        label.hidden = true;
        label.appendChild(document.createTextNode(""));
    }
    const parts = listBoxPrototype.cloneNode(true) as DocumentFragment;
    const list = parts.firstChild as NamedListBox;
    const label = parts.lastChild as HTMLSpanElement;
    list.className = className;
    label.id = `shadowit-list-${++listBoxCount}`;
    list.setAttribute("aria-labelledby", label.id);
    list.shadowitName = label.firstChild as Text;
    return [list, label];
}

/**
 * The multi-select list box of rows with class `className` in `container`, created (at the end) when missing. It
 * is named by reference to a hidden text beside it rather than by aria-label: within a panel, the marks are the
 * only elements with an aria-label.
 */
export function listBox(container: HTMLElement, className: string, name: string): HTMLDivElement {
    let list: NamedListBox | null = null;
    for (let child = container.firstElementChild; child !== null; child = child.nextElementSibling) {
        if (child.className === className) list = child as NamedListBox;
    }
    if (list === null) {
        const [created, label] = newListBox(className);
        container.append(created, label);
        list = created;
    }
    const text = list.shadowitName!;
    if (text.nodeValue !== name) text.nodeValue = name;
    return list;
}

/** CSS border style standing for an SVG dash pattern of `seriesStyle`: solid, dashes, or dots for the finest. */
function borderStyleOf(dash: string | null): string {
    return dash === null ? "solid" : dash.startsWith("1 ") ? "dotted" : "dashed";
}

/**
 * The custom properties that colour a `part`: `--shadowit-<part>-fill`, and in high contrast `-stroke` and `-dash`
 * (a CSS outline style). The style sheet draws the parts from them (and overrides them for dimmed rows).
 */
export function seriesPropertyValues(part: string, style: SeriesStyle, highContrast: boolean): Record<string, string> {
    const values: Record<string, string> = { [`--shadowit-${part}-fill`]: style.fill };
    if (highContrast) {
        values[`--shadowit-${part}-stroke`] = style.stroke;
        values[`--shadowit-${part}-dash`] = borderStyleOf(style.dash);
    }
    return values;
}

/** The properties of `seriesPropertyValues` as a style attribute, for a row that carries its own colours. */
export function seriesProperties(part: string, style: SeriesStyle, highContrast: boolean): string {
    return Object.entries(seriesPropertyValues(part, style, highContrast)).map(([name, value]) => `${name}:${value}`).join(";");
}

/** An element of `tag` with `className` and, when `text` is given, a text node to fill. */
export function htmlElement<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
    const element = document.createElement(tag);
    element.className = className;
    if (text !== undefined) element.appendChild(document.createTextNode(text));
    return element;
}

/**
 * An empty selectable row of a list box: the mark's classes, the option role, not in the tab order until the
 * behaviour gives it the roving tab stop, and unselected as the behaviour shows a mark while nothing is selected
 * (so a first render need not write it).
 */
export function optionRow(rowClass: string): HTMLDivElement {
    const row = htmlElement("div", `${rowClass} shadowit-mark`);
    row.setAttribute("role", "option");
    row.setAttribute("tabindex", "-1");
    row.setAttribute("aria-selected", "false");
    return row;
}

let highlightPrototype: HTMLDivElement | null = null;

/** The highlighted part of a bar, drawn over it while its item is cross-highlighted; its size comes from the style sheet. */
export function highlightPart(): HTMLDivElement {
    if (highlightPrototype === null) {
        highlightPrototype = htmlElement("div", "shadowit-highlight");
        highlightPrototype.setAttribute("aria-hidden", "true");
    }
    return highlightPrototype;
}
