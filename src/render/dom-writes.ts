// Writes to the DOM that skip unchanged values: a re-render after an append rewrites little.

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
 * Sets an attribute only when its text differs (null removes it): re-renders on appends keep most values, and
 * skipping unchanged writes saves style invalidation on every element.
 */
export function setAttributeIfChanged(element: Element, name: string, value: string | number | null): void {
    if (value === null) {
        if (element.hasAttribute(name)) element.removeAttribute(name);
        return;
    }
    const text = String(value);
    if (element.getAttribute(name) !== text) element.setAttribute(name, text);
}

/** Sets an inline style property only when its value differs. */
export function setStyleIfChanged(element: HTMLElement, property: string, value: string): void {
    if (element.style.getPropertyValue(property) !== value) element.style.setProperty(property, value);
}
