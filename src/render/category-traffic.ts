import { max } from "d3-array";
import { scaleLinear } from "d3-scale";
import { CategoryBar } from "../model/types";
import { TagClass } from "../schema";
import { fitText } from "./format";
import { AnySelection, applyMarkAttributes, ensureChild, renderLegend, SeriesStyle, seriesStyle } from "./shared";
import { StringKey } from "./strings";
import { Box, Mark, RenderContext } from "./types";

const TAGS: readonly { tag: TagClass; label: StringKey }[] = [
    { tag: "sanctioned", label: "Visual_Tag_Sanctioned" },
    { tag: "unsanctioned", label: "Visual_Tag_Unsanctioned" },
    { tag: "other", label: "Visual_Tag_Other" },
];

interface Segment {
    readonly key: string;
    readonly tag: TagClass;
    readonly x0: number;
    readonly x1: number;
    readonly ariaLabel: string;
    readonly style: SeriesStyle;
}

interface BarMark extends Mark {
    readonly bar: CategoryBar;
    readonly shownLabel: string;
    readonly valueText: string;
}

function tagColor(ctx: RenderContext, tag: TagClass): string {
    return tag === "sanctioned" ? ctx.colors.sanctioned : tag === "unsanctioned" ? ctx.colors.unsanctioned : ctx.colors.otherTag;
}

export function categoryMarks(bars: readonly CategoryBar[], ctx: RenderContext, labelWidth: number): BarMark[] {
    const { strings, format } = ctx;
    return bars.map(bar => {
        const valueText = format.bytes(bar.totalBytes);
        const highlighted = bar.highlightedBytes === null
            ? "" : `, ${strings.format("Visual_Highlighted", { value: format.bytes(bar.highlightedBytes) })}`;
        const tooltip = [
            { displayName: strings.get("Visual_Field_AppCategory"), value: bar.label.text },
            { displayName: strings.get("Visual_Traffic"), value: valueText },
            ...TAGS.map(t => ({ displayName: strings.get(t.label), value: format.bytes(bar.byTag[t.tag]) })),
        ];
        if (bar.highlightedBytes !== null) {
            tooltip.push({ displayName: strings.format("Visual_Highlighted", { value: "" }).trim(), value: format.bytes(bar.highlightedBytes) });
        }
        return {
            key: `category-traffic:${bar.label.key}`,
            panel: "category-traffic" as const,
            ariaLabel: `${bar.label.text}: ${valueText}${highlighted}`,
            selection: bar.selection.rows.length > 0 ? bar.selection : null,
            tooltip,
            bar,
            shownLabel: fitText(bar.label.text, labelWidth, ctx.fontSize),
            valueText,
        };
    });
}

/** Horizontal bars of TotalBytes per category, each split into sanctioned / unsanctioned / other tags. */
export function renderCategoryTraffic(
    body: AnySelection<HTMLDivElement, unknown>, bars: readonly CategoryBar[], box: Box, ctx: RenderContext,
): Mark[] {
    const { strings, fontSize } = ctx;
    renderLegend(body, TAGS.map((t, i) => ({
        key: t.tag, label: strings.get(t.label), style: seriesStyle(ctx, tagColor(ctx, t.tag), i),
    })));
    const width = Math.max(60, box.width - 16);
    const labelWidth = Math.min(Math.round(width * 0.38), fontSize * 16);
    const valueWidth = Math.round(fontSize * 5.2);
    const barWidth = Math.max(10, width - labelWidth - valueWidth - 12);
    const available = Math.max(fontSize * 2, box.height - fontSize * 5);
    const rowHeight = Math.max(fontSize * 1.5, Math.min(fontSize * 2.6, available / Math.max(1, bars.length)));
    const barHeight = Math.round(rowHeight * 0.68);

    const marks = categoryMarks(bars, ctx, labelWidth - 6);
    const x = scaleLinear().domain([0, max(bars, b => b.totalBytes) || 1]).range([0, barWidth]);

    const svg = ensureChild<SVGSVGElement, HTMLDivElement>(body, "svg", "shadowit-chart")
        .attr("width", width)
        .attr("height", Math.ceil(rowHeight * bars.length))
        .attr("role", "listbox")
        .attr("aria-multiselectable", "true")
        .attr("aria-label", strings.get("Visual_Panel_CategoryTraffic"));

    const rows = svg.selectAll<SVGGElement, BarMark>("g.shadowit-bar")
        .data(marks, d => d.key)
        .join(enter => {
            const g = enter.append("g").attr("class", "shadowit-bar").attr("role", "option");
            g.append("rect").attr("class", "shadowit-row-hit");
            g.append("text").attr("class", "shadowit-label").append("title");
            g.append("g").attr("class", "shadowit-segments");
            g.append("text").attr("class", "shadowit-value");
            return g;
        })
        .attr("transform", (_d, i) => `translate(0,${Math.round(i * rowHeight)})`)
        .classed("shadowit-other", d => d.bar.isOther);
    applyMarkAttributes(rows);

    rows.select(".shadowit-row-hit")
        .attr("width", width).attr("height", rowHeight);
    rows.select<SVGTextElement>(".shadowit-label")
        .attr("x", labelWidth - 6).attr("y", rowHeight / 2).attr("dy", "0.35em").attr("text-anchor", "end")
        .each(function (d) {
            // The <title> child keeps the full name for the native tooltip; the text node shows the fitted one.
            const text = this.firstChild;
            if (text && text.nodeType === Node.TEXT_NODE) text.nodeValue = d.shownLabel;
            else this.insertBefore(document.createTextNode(d.shownLabel), this.firstChild);
        })
        // Only shortened names get a native tooltip; the host tooltip shows the full name in any case.
        .select("title").text(d => d.shownLabel === d.bar.label.text ? "" : d.bar.label.text);
    rows.select(".shadowit-value")
        .attr("x", d => labelWidth + x(d.bar.totalBytes) + 4).attr("y", rowHeight / 2).attr("dy", "0.35em")
        .text(d => d.valueText);

    const barTop = (rowHeight - barHeight) / 2;
    rows.select<SVGGElement>(".shadowit-segments")
        .attr("transform", `translate(${labelWidth},${barTop})`)
        .selectAll<SVGRectElement, Segment>("rect.shadowit-segment")
        .data(d => segmentsOf(d, ctx, x), s => s.key)
        .join("rect")
        .attr("class", s => `shadowit-segment shadowit-tag-${s.tag}`)
        .attr("role", "img")
        .attr("aria-label", s => s.ariaLabel)
        .attr("x", s => s.x0).attr("width", s => Math.max(0, s.x1 - s.x0))
        .attr("height", barHeight)
        .attr("fill", s => s.style.fill).attr("stroke", s => s.style.stroke)
        .attr("stroke-dasharray", s => s.style.dash)
        .attr("stroke-width", ctx.colors.highContrast ? 1.5 : 0);

    renderHighlights(rows, ctx, x, labelWidth, barTop, barHeight);
    return marks;
}

function segmentsOf(d: BarMark, ctx: RenderContext, x: (v: number) => number): Segment[] {
    let start = 0;
    return TAGS.filter(t => d.bar.byTag[t.tag] > 0).map(t => {
        const value = d.bar.byTag[t.tag];
        const segment: Segment = {
            key: t.tag,
            tag: t.tag,
            x0: x(start),
            x1: x(start + value),
            ariaLabel: `${d.bar.label.text}, ${ctx.strings.get(t.label)}: ${ctx.format.bytes(value)}`,
            style: seriesStyle(ctx, tagColor(ctx, t.tag), TAGS.indexOf(t)),
        };
        start += value;
        return segment;
    });
}

/** The highlighted part is drawn over the full bar, which is dimmed (or outlined in high contrast). */
export function renderHighlights<M extends Mark>(
    rows: AnySelection<SVGGElement, M & { readonly bar: { readonly highlightedBytes: number | null } }>,
    ctx: RenderContext, x: (v: number) => number, left: number, top: number, height: number,
): void {
    rows.classed("shadowit-has-highlight", d => d.bar.highlightedBytes !== null);
    rows.selectAll<SVGRectElement, number>("rect.shadowit-highlight")
        .data(d => d.bar.highlightedBytes === null ? [] : [d.bar.highlightedBytes])
        .join("rect")
        .attr("class", "shadowit-highlight")
        .attr("aria-hidden", "true")
        .attr("x", left).attr("y", top + height * 0.2)
        .attr("width", v => Math.max(0, x(v))).attr("height", height * 0.6)
        .attr("fill", ctx.colors.highContrast ? ctx.colors.foregroundSelected : ctx.colors.foreground);
}
