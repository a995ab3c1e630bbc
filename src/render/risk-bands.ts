import { max } from "d3-array";
import { RiskBand } from "../model/types";
import { RiskBandId } from "../schema";
import { fitText } from "./format";
import { drawHighlight, drawTemplateRows, HighlightBox, paint, paintSlots, setMarkAttributes } from "./rows";
import { AnySelection, ensureChild, seriesStyle, setAttributeIfChanged, svgElement } from "./shared";
import { StringKey } from "./strings";
import { Box, Mark, RenderContext } from "./types";

const BAND_NAMES: Readonly<Record<RiskBandId, StringKey>> = {
    high: "Visual_Risk_High",
    medium: "Visual_Risk_Medium",
    low: "Visual_Risk_Low",
    unscored: "Visual_Risk_Unscored",
};
const BAND_ORDER: readonly RiskBandId[] = ["high", "medium", "low", "unscored"];

interface BandMark extends Mark {
    readonly bar: RiskBand;
    readonly name: string;
    readonly summary: string;
}

export function bandName(band: RiskBand, ctx: RenderContext): string {
    const name = ctx.strings.get(BAND_NAMES[band.id]);
    return band.range ? `${name} (${band.range.min}-${band.range.max})` : name;
}

export function appsText(count: number, ctx: RenderContext): string {
    return count === 1 ? ctx.strings.get("Visual_App") : ctx.strings.format("Visual_Apps", { count: ctx.format.count(count) });
}

export function riskMarks(bands: readonly RiskBand[], ctx: RenderContext): BandMark[] {
    const { strings, format } = ctx;
    return bands.map(band => {
        const name = bandName(band, ctx);
        // Each value is formatted once, for the summary, the aria-label and the tooltip.
        const traffic = format.bytes(band.totalBytes);
        const users = band.usersAtLeast === null ? null : format.count(band.usersAtLeast);
        const parts = [appsText(band.apps, ctx), traffic];
        if (users !== null) parts.push(strings.format("Visual_UsersAtLeast", { count: users }));
        if (band.highlightedBytes !== null) {
            parts.push(strings.format("Visual_Highlighted", { value: format.bytes(band.highlightedBytes) }));
        }
        return {
            key: `risk-bands:${band.id}`,
            panel: "risk-bands" as const,
            ariaLabel: `${name}: ${parts.join(", ")}`,
            selection: band.selection.rows.length > 0 ? band.selection : null,
            // Built when the pointer reaches the band.
            get tooltip() {
                const tooltip = [
                    { displayName: strings.get("Visual_Panel_RiskBands"), value: name },
                    { displayName: strings.get("Visual_Traffic"), value: traffic },
                    { displayName: strings.get("Visual_Apps_Tooltip"), value: format.count(band.apps) },
                ];
                if (users !== null) tooltip.push({ displayName: strings.get("Visual_Users_Tooltip"), value: users });
                return tooltip;
            },
            bar: band,
            name,
            summary: parts.join(" · "),
        };
    });
}

/** Where a band's row draws its parts: the same for all bands of a render. */
interface BandGeometry {
    readonly width: number;
    readonly rowHeight: number;
    readonly fontSize: number;
    readonly barHeight: number;
    readonly highContrast: boolean;
}

const BAR_PAINT = paintSlots("bar");

/** Row templates by geometry, shared by every visual of the page; a few sizes are ever in use. */
const bandTemplates = new Map<string, SVGGElement>();

/** One band's row without its data: the mark's class, role and tab stop, its name, bar and summary in place. */
function bandTemplate(g: BandGeometry): SVGGElement {
    const key = `${g.width}|${g.rowHeight}|${g.fontSize}|${g.barHeight}|${g.highContrast}`;
    let row = bandTemplates.get(key);
    if (row === undefined) {
        const f = g.fontSize;
        const barTop = f * 1.5;
        row = svgElement("g", { "class": "shadowit-band shadowit-mark", "role": "option", "tabindex": "-1" });
        row.appendChild(svgElement("rect", { "class": "shadowit-row-hit", "width": g.width, "height": g.rowHeight }));
        row.appendChild(svgElement("text", { "class": "shadowit-label", "x": 0, "y": f * 1.1 }, ""));
        row.appendChild(svgElement("text", { "class": "shadowit-summary", "x": 0, "y": barTop + g.barHeight + f * 1.15 }, ""));
        const outline: Record<string, string> = g.highContrast ? { "stroke-width": "1.5" } : {};
        row.appendChild(svgElement("rect", { "class": "shadowit-band-bar", "x": 0, "y": barTop, "height": g.barHeight, ...outline }));
        if (bandTemplates.size >= 8) bandTemplates.clear();
        bandTemplates.set(key, row);
    }
    return row;
}

/** One row per band: its name, a bar of its traffic on a shared scale, and apps · traffic · users. */
export function renderRiskBands(
    body: AnySelection<HTMLDivElement, unknown>, bands: readonly RiskBand[], box: Box, ctx: RenderContext,
): Mark[] {
    const { fontSize } = ctx;
    const width = Math.max(60, box.width - 16);
    const available = Math.max(fontSize * 3, box.height - fontSize * 3);
    const rowHeight = Math.max(fontSize * 4.4, Math.min(fontSize * 5.4, available / Math.max(1, bands.length)));
    const barHeight = Math.round(fontSize * 0.9);
    const marks = riskMarks(bands, ctx);
    const largest = max(bands, b => b.totalBytes) || 1;
    const x = (v: number): number => (v / largest) * width;
    const highContrast = ctx.colors.highContrast;

    const svgSel = ensureChild<SVGSVGElement, HTMLDivElement>(body, "svg", "shadowit-chart");
    const svg = svgSel.node()!;
    setAttributeIfChanged(svg, "width", width);
    setAttributeIfChanged(svg, "height", Math.ceil(rowHeight * bands.length));
    setAttributeIfChanged(svg, "role", "listbox");
    setAttributeIfChanged(svg, "aria-multiselectable", "true");
    setAttributeIfChanged(svg, "aria-label", ctx.strings.get("Visual_Panel_RiskBands"));

    const template = bandTemplate({ width, rowHeight, fontSize, barHeight, highContrast });
    const highlight: HighlightBox = {
        x: 0, y: fontSize * 1.5, height: barHeight, fill: highContrast ? ctx.colors.foregroundSelected : ctx.colors.foreground,
    };
    drawTemplateRows(svgSel, "g.shadowit-band", marks, template, (row, d, i, write) => {
        setMarkAttributes(row, d, write);
        write.attr(row, "row.y", "transform", `translate(0,${Math.round(i * rowHeight)})`);
        const [, label, summary, bar] = Array.from(row.children);
        write.text(label, "label", fitText(d.name, width, fontSize));
        write.text(summary, "summary", fitText(d.summary, width, fontSize));
        write.attr(bar, "bar.width", "width", Math.max(d.bar.totalBytes > 0 ? 1 : 0, x(d.bar.totalBytes)));
        paint(bar, BAR_PAINT, seriesStyle(ctx, ctx.colors[d.bar.id], BAND_ORDER.indexOf(d.bar.id)), highContrast, write);
        drawHighlight(row, d.bar.highlightedBytes === null ? null : x(d.bar.highlightedBytes), highlight, write);
    });
    return marks;
}
