import { max } from "d3-array";
import { scaleLinear } from "d3-scale";
import { RiskBand } from "../model/types";
import { RiskBandId } from "../schema";
import { renderHighlights } from "./category-traffic";
import { fitText } from "./format";
import { AnySelection, applyMarkAttributes, ensureChild, seriesStyle } from "./shared";
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
        const parts = [appsText(band.apps, ctx), format.bytes(band.totalBytes)];
        if (band.usersAtLeast !== null) {
            parts.push(strings.format("Visual_UsersAtLeast", { count: format.count(band.usersAtLeast) }));
        }
        if (band.highlightedBytes !== null) {
            parts.push(strings.format("Visual_Highlighted", { value: format.bytes(band.highlightedBytes) }));
        }
        const tooltip = [
            { displayName: strings.get("Visual_Panel_RiskBands"), value: name },
            { displayName: strings.get("Visual_Traffic"), value: format.bytes(band.totalBytes) },
            { displayName: strings.get("Visual_Apps_Tooltip"), value: format.count(band.apps) },
        ];
        if (band.usersAtLeast !== null) {
            tooltip.push({ displayName: strings.get("Visual_Users_Tooltip"), value: format.count(band.usersAtLeast) });
        }
        return {
            key: `risk-bands:${band.id}`,
            panel: "risk-bands" as const,
            ariaLabel: `${name}: ${parts.join(", ")}`,
            selection: band.selection.rows.length > 0 ? band.selection : null,
            tooltip,
            bar: band,
            name,
            summary: parts.join(" · "),
        };
    });
}

function bandColor(ctx: RenderContext, id: RiskBandId): string {
    return ctx.colors[id];
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
    const x = scaleLinear().domain([0, max(bands, b => b.totalBytes) || 1]).range([0, width]);

    const svg = ensureChild<SVGSVGElement, HTMLDivElement>(body, "svg", "shadowit-chart")
        .attr("width", width)
        .attr("height", Math.ceil(rowHeight * bands.length))
        .attr("role", "listbox")
        .attr("aria-multiselectable", "true")
        .attr("aria-label", ctx.strings.get("Visual_Panel_RiskBands"));

    const rows = svg.selectAll<SVGGElement, BandMark>("g.shadowit-band")
        .data(marks, d => d.key)
        .join(enter => {
            const g = enter.append("g").attr("class", "shadowit-band").attr("role", "option");
            g.append("rect").attr("class", "shadowit-row-hit");
            g.append("text").attr("class", "shadowit-label");
            g.append("text").attr("class", "shadowit-summary");
            g.append("rect").attr("class", "shadowit-band-bar");
            return g;
        })
        .attr("transform", (_d, i) => `translate(0,${Math.round(i * rowHeight)})`);
    applyMarkAttributes(rows);

    rows.select(".shadowit-row-hit").attr("width", width).attr("height", rowHeight);
    rows.select(".shadowit-label").attr("x", 0).attr("y", fontSize * 1.1).text(d => fitText(d.name, width, fontSize));
    const barTop = fontSize * 1.5;
    rows.select(".shadowit-summary")
        .attr("x", 0).attr("y", barTop + barHeight + fontSize * 1.15)
        .text(d => fitText(d.summary, width, fontSize));
    rows.select<SVGRectElement>(".shadowit-band-bar")
        .attr("x", 0).attr("y", barTop)
        .attr("width", d => Math.max(d.bar.totalBytes > 0 ? 1 : 0, x(d.bar.totalBytes))).attr("height", barHeight)
        .each(function (d) {
            const style = seriesStyle(ctx, bandColor(ctx, d.bar.id), BAND_ORDER.indexOf(d.bar.id));
            this.setAttribute("fill", style.fill);
            this.setAttribute("stroke", style.stroke);
            this.setAttribute("stroke-width", ctx.colors.highContrast ? "1.5" : "0");
            if (style.dash) this.setAttribute("stroke-dasharray", style.dash);
            else this.removeAttribute("stroke-dasharray");
        });
    renderHighlights(rows, ctx, x, 0, barTop, barHeight);
    return marks;
}
