// The visual's style sheet, compiled from its Less sources in the browser, for specs that check what the page
// shows (computed colours, outlines, rendered sizes) rather than what the renderer wrote.
import less from "less";
import visual from "../../../style/visual.less";
import bars from "../../../style/bars.less";
import topApps from "../../../style/top-apps.less";
import riskBands from "../../../style/risk-bands.less";

const IMPORTED: Readonly<Record<string, string>> = {
    "bars.less": bars, "top-apps.less": topApps, "risk-bands.less": riskBands,
};

let compiled: Promise<string> | null = null;

function compile(): Promise<string> {
    // The browser build of Less cannot read the files an @import names: they are inlined here.
    const source = visual.replace(/@import "([^"]+)";/g, (_line, file: string) => {
        const imported = IMPORTED[file];
        if (imported === undefined) throw new Error(`style/visual.less imports ${file}: add it to test/visual/helpers/stylesheet.ts`);
        return imported;
    });
    compiled ??= less.render(source).then(output => output.css);
    return compiled;
}

/** Adds the visual's style sheet to the page; returns what removes it. */
export async function addVisualStyleSheet(): Promise<() => void> {
    const style = document.createElement("style");
    style.textContent = await compile();
    document.head.appendChild(style);
    return () => style.remove();
}

/** A "#rrggbb" colour as getComputedStyle gives it. */
export function computedColor(hex: string): string {
    const [r, g, b] = [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16));
    return `rgb(${r}, ${g}, ${b})`;
}
