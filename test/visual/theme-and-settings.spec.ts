// Notes, captions and rules take the report theme's colours; formatting values the visual corrects are said on
// the canvas.
import { generateDiscoveryRows } from "./helpers/discovery-data";
import { buildDataView } from "./helpers/data-view";
import { computedColor } from "./helpers/stylesheet";
import { HIGH_CONTRAST, ShadowItBuilder } from "./helpers/visual-builder";

/** `share` of the foreground over the background, channel by channel, as "#rrggbb". */
function blend(foreground: string, share: number, background: string): string {
    const channel = (hex: string, i: number) => parseInt(hex.slice(i, i + 2), 16);
    return "#" + [1, 3, 5].map(i => Math.round(share * channel(foreground, i) + (1 - share) * channel(background, i))
        .toString(16).padStart(2, "0")).join("");
}

describe("Shadow IT Discovery theme colours and corrected settings", () => {
    const rows = generateDiscoveryRows();
    let builder: ShadowItBuilder;

    afterEach(() => builder.remove());

    it("says on the canvas that a row limit below one data window loads a whole window", () => {
        builder = new ShadowItBuilder();
        builder.render(buildDataView(rows, { objects: { format: { rowCap: 12000 } } }));
        expect(builder.note()).toContain("Row limit 12,000 is below one data window: 30,000 rows are loaded " +
            "(set 0 for no limit, or 30,000 to 1,048,576)");
        for (const rowCap of [0, 30000, 250000]) {
            builder.render(buildDataView(rows, { objects: { format: { rowCap } } }));
            expect(builder.note()).withContext(`row cap ${rowCap}`).not.toContain("Row limit");
        }
    });

    it("draws notes, captions and rules in the theme's foreground over its background, on a dark theme", () => {
        const theme = { foreground: "#f3f2f1", background: "#1b1a19" };
        builder = new ShadowItBuilder({ theme });
        builder.render(buildDataView(rows, { objects: { format: { rowCap: 1 } } }));
        const note = builder.root.querySelector<HTMLElement>(".shadowit-note")!;
        expect(getComputedStyle(builder.root).color).toBe(computedColor(theme.foreground));
        expect(getComputedStyle(note).color).toBe(computedColor(blend(theme.foreground, 0.72, theme.background)));
        const panel = builder.panel("category-traffic")!;
        expect(getComputedStyle(panel).borderTopColor).toBe(computedColor(blend(theme.foreground, 0.14, theme.background)));
    });

    it("keeps the default theme's greys on the default theme, and the foreground alone in high contrast", () => {
        builder = new ShadowItBuilder({ theme: { foreground: "#252423", background: "#ffffff" } });
        builder.render(buildDataView(rows, { objects: { format: { rowCap: 1 } } }));
        const note = () => builder.root.querySelector<HTMLElement>(".shadowit-note")!;
        expect(getComputedStyle(note()).color).toBe(computedColor(blend("#252423", 0.72, "#ffffff")));
        builder.remove();
        builder = new ShadowItBuilder({ highContrast: true });
        builder.render(buildDataView(rows, { objects: { format: { rowCap: 1 } } }));
        expect(getComputedStyle(note()).color).toBe(computedColor(HIGH_CONTRAST.foreground));
    });
});
