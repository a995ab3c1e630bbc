import { max } from "d3-array";
import { scaleLinear } from "d3-scale";
import { StreamBar } from "../model/types";
import { fitText } from "./format";
import { AnySelection, applyMarkAttributes, ensureChild, renderLegend, SeriesStyle, seriesStyle, SVG_NS } from "./shared";
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
            g.append("text").attr("class", "shadowit-label").attr("dy", "0.35em").attr("text-anchor", "end")
                .append("title");
            return g;
        });
    applyMarkAttributes(rows);

    // One pass per row that writes only what changed: with hundreds of streams, an append that moves a few bars
    // should not rewrite every attribute of every row.
    const top = (rowHeight - (barHeight * 2 + 2)) / 2;
    const valueFontSize = `${Math.max(8, Math.min(fontSize, barHeight + 3))}px`;
    const strokeWidth = ctx.colors.highContrast ? 1.5 : 0;
    const highlightFill = ctx.colors.highContrast ? ctx.colors.foregroundSelected : ctx.colors.foreground;
    rows.each(function (d, i) {
        setAttr(this, "transform", `translate(0,${Math.round(i * rowHeight)})`);
        this.classList.toggle("shadowit-upload-heavy", d.uploadHeavy);
        const hit = this.firstElementChild as SVGRectElement;
        setAttr(hit, "width", width);
        setAttr(hit, "height", rowHeight);
        const label = hit.nextElementSibling as SVGTextElement;
        setAttr(label, "x", labelWidth - 6);
        setAttr(label, "y", rowHeight / 2);
        const text = label.firstChild;
        if (text && text.nodeType === Node.TEXT_NODE) {
            if (text.nodeValue !== d.shownLabel) text.nodeValue = d.shownLabel;
        } else {
            label.insertBefore(document.createTextNode(d.shownLabel), label.firstChild);
        }
        // Only shortened names get a native tooltip; the host tooltip shows the full name in any case.
        const title = label.lastElementChild as SVGTitleElement;
        const titleText = d.shownLabel === d.bar.label.text ? "" : d.bar.label.text;
        if (title.textContent !== titleText) title.textContent = titleText;
    });

    const pairs = rows.selectAll<SVGGElement, Pair>("g.shadowit-pair")
        .data(d => [
            pairOf("uploaded", d.bar.label.text, d.bar.uploaded, d.bar.highlightedUploaded, upStyle, ctx),
            pairOf("downloaded", d.bar.label.text, d.bar.downloaded, d.bar.highlightedDownloaded, downStyle, ctx),
        ], p => p.key)
        .join(enter => {
            const g = enter.append("g").attr("class", p => `shadowit-pair shadowit-${p.key}`);
            g.append("rect").attr("class", "shadowit-segment").attr("role", "img");
            g.append("text").attr("class", "shadowit-value").attr("dy", "0.35em");
            return g;
        });
    pairs.each(function (p, i) {
        setAttr(this, "transform", `translate(${labelWidth},${top + i * (barHeight + 2)})`);
        this.classList.toggle("shadowit-has-highlight", p.highlighted !== null);
        // Children as created on enter: the bar, its value, then the highlight bar when there is one.
        const segment = this.firstElementChild as SVGRectElement;
        setAttr(segment, "aria-label", p.ariaLabel);
        setAttr(segment, "width", Math.max(p.value > 0 ? 1 : 0, x(p.value)));
        setAttr(segment, "height", barHeight);
        setAttr(segment, "fill", p.style.fill);
        setAttr(segment, "stroke", p.style.stroke);
        setAttr(segment, "stroke-dasharray", p.style.dash);
        setAttr(segment, "stroke-width", strokeWidth);
        const value = segment.nextElementSibling as SVGTextElement;
        setAttr(value, "x", x(p.value) + 4);
        setAttr(value, "y", barHeight / 2);
        if (value.style.fontSize !== valueFontSize) value.style.fontSize = valueFontSize;
        if (value.textContent !== p.text) value.textContent = p.text;
        let highlight = value.nextElementSibling;
        if (p.highlighted === null) {
            highlight?.remove();
            return;
        }
        if (!highlight) {
            highlight = this.appendChild(document.createElementNS(SVG_NS, "rect"));
            highlight.setAttribute("class", "shadowit-highlight");
            highlight.setAttribute("aria-hidden", "true");
        }
        setAttr(highlight, "y", barHeight * 0.2);
        setAttr(highlight, "height", barHeight * 0.6);
        setAttr(highlight, "width", Math.max(0, x(p.highlighted)));
        setAttr(highlight, "fill", highlightFill);
    });
    return marks;
}

/** The attribute values this panel last wrote to an element it created (it is the only writer of them). */
type WrittenElement = Element & { shadowitWritten?: Record<string, string | null> };

/**
 * Sets (or with null removes) an attribute unless this panel already wrote that value: appends re-render every
 * row, and most values repeat. Remembered on the element, so no attribute is read back from the DOM.
 */
function setAttr(element: Element, name: string, value: string | number | null): void {
    const target = element as WrittenElement;
    const written = target.shadowitWritten ?? (target.shadowitWritten = {});
    const text = value === null ? null : String(value);
    if (written[name] === text) return;
    written[name] = text;
    if (text === null) element.removeAttribute(name);
    else element.setAttribute(name, text);
}

function pairOf(
    key: Pair["key"], name: string, value: number, highlighted: number | null, style: SeriesStyle, ctx: RenderContext,
): Pair {
    const text = ctx.format.bytes(value);
    const direction = ctx.strings.get(key === "uploaded" ? "Visual_Uploaded" : "Visual_Downloaded");
    return { key, value, highlighted, style, text, ariaLabel: `${name}, ${direction}: ${text}` };
}
