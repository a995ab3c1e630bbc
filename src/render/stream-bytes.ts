import { max } from "d3-array";
import { scaleLinear } from "d3-scale";
import { StreamBar } from "../model/types";
import { fitText } from "./format";
import { AnySelection, applyMarkAttributes, ensureChild, renderLegend, SeriesStyle, seriesStyle } from "./shared";
import { Box, Mark, RenderContext } from "./types";

interface StreamMark extends Mark {
    readonly bar: StreamBar;
    readonly shownLabel: string;
    readonly uploadHeavy: boolean;
}

interface Pair {
    readonly key: "uploaded" | "downloaded";
    readonly value: number;
    readonly highlighted: number | null;
    readonly style: SeriesStyle;
    readonly text: string;
    readonly ariaLabel: string;
}

export function streamMarks(streams: readonly StreamBar[], ctx: RenderContext, labelWidth: number): StreamMark[] {
    const { strings, format } = ctx;
    return streams.map(stream => {
        const values = strings.format("Visual_StreamLabel", {
            up: format.bytes(stream.uploaded), down: format.bytes(stream.downloaded),
        });
        const highlighted = stream.highlightedUploaded === null && stream.highlightedDownloaded === null ? "" :
            `, ${strings.format("Visual_Highlighted", {
                value: `${format.bytes(stream.highlightedUploaded ?? 0)} / ${format.bytes(stream.highlightedDownloaded ?? 0)}`,
            })}`;
        return {
            key: `stream-bytes:${stream.label.key}`,
            panel: "stream-bytes" as const,
            ariaLabel: `${stream.label.text}: ${values}${highlighted}`,
            selection: stream.selection.rows.length > 0 ? stream.selection : null,
            tooltip: [
                { displayName: strings.get("Visual_Field_StreamName"), value: stream.label.text },
                { displayName: strings.get("Visual_Uploaded"), value: format.bytes(stream.uploaded) },
                { displayName: strings.get("Visual_Downloaded"), value: format.bytes(stream.downloaded) },
            ],
            bar: stream,
            shownLabel: fitText(stream.label.text, labelWidth, ctx.fontSize),
            uploadHeavy: stream.uploaded > stream.downloaded,
        };
    });
}

/**
 * Uploaded and downloaded bytes per stream as paired bars on one scale: a stream that sends more than it
 * receives (a likely exfiltration path) shows a longer upload bar and is emphasised.
 */
export function renderStreamBytes(
    body: AnySelection<HTMLDivElement, unknown>, streams: readonly StreamBar[], box: Box, ctx: RenderContext,
): Mark[] {
    const { strings, fontSize } = ctx;
    const upStyle = seriesStyle(ctx, ctx.colors.uploaded, 0);
    const downStyle = seriesStyle(ctx, ctx.colors.downloaded, 1);
    renderLegend(body, [
        { key: "uploaded", label: strings.get("Visual_Uploaded"), style: upStyle },
        { key: "downloaded", label: strings.get("Visual_Downloaded"), style: downStyle },
    ]);
    const width = Math.max(60, box.width - 16);
    const labelWidth = Math.min(Math.round(width * 0.38), fontSize * 16);
    const valueWidth = Math.round(fontSize * 5.2);
    const barWidth = Math.max(10, width - labelWidth - valueWidth - 12);
    const available = Math.max(fontSize * 2, box.height - fontSize * 5);
    const rowHeight = Math.max(fontSize * 2.4, Math.min(fontSize * 3.4, available / Math.max(1, streams.length)));
    const barHeight = Math.max(3, Math.floor((rowHeight - 6) / 2));
    const marks = streamMarks(streams, ctx, labelWidth - 6);
    const x = scaleLinear()
        .domain([0, max(streams, s => Math.max(s.uploaded, s.downloaded)) || 1])
        .range([0, barWidth]);

    const svg = ensureChild<SVGSVGElement, HTMLDivElement>(body, "svg", "shadowit-chart")
        .attr("width", width)
        .attr("height", Math.ceil(rowHeight * streams.length))
        .attr("role", "listbox")
        .attr("aria-multiselectable", "true")
        .attr("aria-label", strings.get("Visual_Panel_StreamBytes"));

    const rows = svg.selectAll<SVGGElement, StreamMark>("g.shadowit-stream")
        .data(marks, d => d.key)
        .join(enter => {
            const g = enter.append("g").attr("class", "shadowit-stream").attr("role", "option");
            g.append("rect").attr("class", "shadowit-row-hit");
            g.append("text").attr("class", "shadowit-label").append("title");
            return g;
        })
        .attr("transform", (_d, i) => `translate(0,${Math.round(i * rowHeight)})`)
        .classed("shadowit-upload-heavy", d => d.uploadHeavy);
    applyMarkAttributes(rows);

    rows.select(".shadowit-row-hit").attr("width", width).attr("height", rowHeight);
    rows.select<SVGTextElement>(".shadowit-label")
        .attr("x", labelWidth - 6).attr("y", rowHeight / 2).attr("dy", "0.35em").attr("text-anchor", "end")
        .each(function (d) {
            const text = this.firstChild;
            if (text && text.nodeType === Node.TEXT_NODE) text.nodeValue = d.shownLabel;
            else this.insertBefore(document.createTextNode(d.shownLabel), this.firstChild);
        })
        // Only shortened names get a native tooltip; the host tooltip shows the full name in any case.
        .select("title").text(d => d.shownLabel === d.bar.label.text ? "" : d.bar.label.text);

    const top = (rowHeight - (barHeight * 2 + 2)) / 2;
    const pairs = rows.selectAll<SVGGElement, Pair>("g.shadowit-pair")
        .data(d => [
            pairOf("uploaded", d.bar.label.text, d.bar.uploaded, d.bar.highlightedUploaded, upStyle, ctx),
            pairOf("downloaded", d.bar.label.text, d.bar.downloaded, d.bar.highlightedDownloaded, downStyle, ctx),
        ], p => p.key)
        .join(enter => {
            const g = enter.append("g").attr("class", p => `shadowit-pair shadowit-${p.key}`);
            g.append("rect").attr("class", "shadowit-segment");
            g.append("text").attr("class", "shadowit-value");
            return g;
        })
        .attr("transform", (_p, i) => `translate(${labelWidth},${top + i * (barHeight + 2)})`)
        .classed("shadowit-has-highlight", p => p.highlighted !== null);
    pairs.select(".shadowit-segment")
        .attr("role", "img").attr("aria-label", p => p.ariaLabel)
        .attr("width", p => Math.max(p.value > 0 ? 1 : 0, x(p.value))).attr("height", barHeight)
        .attr("fill", p => p.style.fill).attr("stroke", p => p.style.stroke)
        .attr("stroke-dasharray", p => p.style.dash)
        .attr("stroke-width", ctx.colors.highContrast ? 1.5 : 0);
    pairs.select(".shadowit-value")
        .attr("x", p => x(p.value) + 4).attr("y", barHeight / 2).attr("dy", "0.35em")
        .style("font-size", `${Math.max(8, Math.min(fontSize, barHeight + 3))}px`)
        .text(p => p.text);
    pairs.selectAll<SVGRectElement, number>("rect.shadowit-highlight")
        .data(p => p.highlighted === null ? [] : [p.highlighted])
        .join("rect")
        .attr("class", "shadowit-highlight")
        .attr("aria-hidden", "true")
        .attr("y", barHeight * 0.2).attr("height", barHeight * 0.6)
        .attr("width", v => Math.max(0, x(v)))
        .attr("fill", ctx.colors.highContrast ? ctx.colors.foregroundSelected : ctx.colors.foreground);
    return marks;
}

function pairOf(
    key: Pair["key"], name: string, value: number, highlighted: number | null, style: SeriesStyle, ctx: RenderContext,
): Pair {
    const text = ctx.format.bytes(value);
    const direction = ctx.strings.get(key === "uploaded" ? "Visual_Uploaded" : "Visual_Downloaded");
    return { key, value, highlighted, style, text, ariaLabel: `${name}, ${direction}: ${text}` };
}
