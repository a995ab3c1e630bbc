import { RiskBand } from "../model/types";
import { fitText } from "./format";
import { drawHtmlRows, highlightPart, htmlElement, listBox, optionRow, seriesProperties } from "./html-rows";
import { bandStyle, RISK_BAND_NAMES } from "./series";
import { usersTexts } from "./distinct-count";
import { localizedPhrase } from "./phrases";
import { Box, Mark, RenderContext } from "./types";

interface BandMark extends Mark {
    readonly bar: RiskBand;
    readonly name: string;
    readonly summary: string;
}

export function bandName(band: RiskBand, ctx: RenderContext): string {
    const name = ctx.strings.get(RISK_BAND_NAMES[band.id]);
    return band.range ? `${name} (${band.range.min}-${band.range.max})` : name;
}

export function appsText(count: number, ctx: RenderContext): string {
    return count === 1 ? ctx.strings.get("Visual_App") : localizedPhrase(ctx.strings, "Visual_Apps")({ count: ctx.format.count(count) });
}

export function riskMarks(bands: readonly RiskBand[], ctx: RenderContext): BandMark[] {
    const { strings, format } = ctx;
    const highlighted = localizedPhrase(strings, "Visual_Highlighted");
    return bands.map(band => {
        const name = bandName(band, ctx);
        // Each value is formatted once, for the summary, the aria-label and the tooltip.
        const traffic = format.bytes(band.totalBytes);
        const users = usersTexts(band.users, ctx);
        const parts = [appsText(band.apps, ctx), traffic];
        if (users !== null) parts.push(users.phrase);
        if (band.highlightedBytes !== null) {
            parts.push(highlighted({ value: format.bytes(band.highlightedBytes) }));
        }
        return {
            key: `risk-bands:${band.id}`,
            panel: "risk-bands" as const,
            ariaLabel: `${name}: ${parts.join(", ")}`,
            selection: band.selection.rows.length > 0 ? { ...band.selection, scoreRange: band.range } : null,
            // Built when the pointer reaches the band.
            get tooltip() {
                const tooltip = [
                    { displayName: strings.get("Visual_Panel_RiskBands"), value: name },
                    { displayName: strings.get("Visual_Traffic"), value: traffic },
                    { displayName: strings.get("Visual_Apps_Tooltip"), value: format.count(band.apps) },
                ];
                if (users !== null) tooltip.push({ displayName: users.tooltipName, value: users.value });
                return tooltip;
            },
            bar: band,
            name,
            summary: parts.join(" · "),
        };
    });
}

/** The row template (one per page: the geometry is the list's). */
let bandTemplate: HTMLDivElement | null = null;

/** One band's row without its data: the mark's class, role and tab stop, its name, bar and summary. */
function rowTemplate(): HTMLDivElement {
    if (bandTemplate === null) {
        const row = optionRow("shadowit-band");
        row.append(htmlElement("span", "shadowit-label", ""), htmlElement("div", "shadowit-band-bar"), htmlElement("span", "shadowit-summary", ""));
        bandTemplate = row;
    }
    return bandTemplate;
}

/** One row per band: its name, a bar of its traffic on a shared scale, and apps · traffic · users. */
export function renderRiskBands(
    body: HTMLDivElement, bands: readonly RiskBand[], box: Box, ctx: RenderContext,
): Mark[] {
    const { fontSize } = ctx;
    const width = Math.max(60, box.width - 16);
    const available = Math.max(fontSize * 3, box.height - fontSize * 3);
    const rowHeight = Math.max(fontSize * 4.4, Math.min(fontSize * 5.4, available / Math.max(1, bands.length)));
    const barHeight = Math.round(fontSize * 0.9);
    const marks = riskMarks(bands, ctx);
    const largest = largestTotal(bands) || 1;
    const x = (v: number): number => (v / largest) * width;
    const highContrast = ctx.colors.highContrast;

    const list = listBox(body, "shadowit-bands", ctx.strings.get("Visual_Panel_RiskBands"));
    // The geometry of every row, as the list's custom properties.
    const style = [
        `width:${width}px`, `--shadowit-row-height:${rowHeight}px`, `--shadowit-bar-height:${barHeight}px`,
        `--shadowit-highlight-fill:${highContrast ? ctx.colors.foregroundSelected : ctx.colors.foreground}`,
    ].join(";");
    if (list.getAttribute("style") !== style) list.setAttribute("style", style);
    const highlight = highlightPart();
    drawHtmlRows(list, marks, rowTemplate(), (row, d, _i, write) => {
        write.attr(row, "row.label", "aria-label", d.ariaLabel);
        // The name, the bar (drawn by the style sheet), the summary.
        const cells = row.children;
        write.text(cells[0], "label", fitText(d.name, width, fontSize));
        write.text(cells[2], "summary", fitText(d.summary, width, fontSize));
        // The band's colours and its bar's and highlight's lengths: the row's one style attribute.
        const highlighted = d.bar.highlightedBytes;
        let rowStyle = `${seriesProperties("band", bandStyle(ctx, d.bar.id), highContrast)}`
            + `;--shadowit-bar-w:${Math.max(d.bar.totalBytes > 0 ? 1 : 0, x(d.bar.totalBytes))}px`;
        if (highlighted !== null) rowStyle += `;--shadowit-highlight-w:${Math.max(0, x(highlighted))}px`;
        write.attr(row, "row.style", "style", rowStyle);
        write.toggleClass(row, "row.hasHighlight", "shadowit-has-highlight", highlighted !== null);
        write.optionalChild(row, "highlight", highlight, highlighted !== null);
    });
    return marks;
}

/** The largest band total, ignoring totals that are not numbers; undefined when there is none. */
function largestTotal(bands: readonly RiskBand[]): number | undefined {
    let largest: number | undefined;
    for (const band of bands) {
        const total = band.totalBytes;
        if (total === total && (largest === undefined || total > largest)) largest = total;
    }
    return largest;
}
