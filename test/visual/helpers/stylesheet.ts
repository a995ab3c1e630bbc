// The visual's style sheet in the karma page, as the host adds it: specs check what the page shows (layout,
// scrolling, computed colours and outlines, rendered sizes) with the rules users get.
import visualStylesheet from "../../../style/visual.less";

/** Adds the visual's style sheet (style/visual.less and its imports, compiled by the suite's webpack) once. */
export function addVisualStyleSheet(): void {
    if (document.getElementById("shadowit-stylesheet") !== null) return;
    const style = document.head.appendChild(document.createElement("style"));
    style.id = "shadowit-stylesheet";
    style.textContent = visualStylesheet;
}

/** A "#rrggbb" colour as getComputedStyle gives it. */
export function computedColor(hex: string): string {
    const [r, g, b] = [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16));
    return `rgb(${r}, ${g}, ${b})`;
}
