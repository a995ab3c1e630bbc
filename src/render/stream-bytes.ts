import { StreamBar } from "../model/types";
import {
    applySeriesStyle, BarRowMark, barRowsLayout, highlightElement, placeHighlight, renderBarRows, setClass, setText,
    svgElement, writeAttribute,
} from "./bar-rows";
import { fitText } from "./format";
import { AnySelection, renderLegend, SeriesStyle, seriesStyle } from "./shared";
import { Box, Mark, RenderContext } from "./types";

const DIRECTIONS = ["uploaded", "downloaded"] as const;

interface StreamMark extends BarRowMark {
    readonly bar: StreamBar;
    readonly uploadHeavy: boolean;
    /** The uploaded and downloaded bytes as shown, in DIRECTIONS order. */
    readonly texts: readonly [string, string];
}

export function streamMarks(streams: readonly StreamBar[], ctx: RenderContext, labelWidth: number): StreamMark[] {
    const { strings, format } = ctx;
    const streamName = strings.get("Visual_Field_StreamName");
    const uploaded = strings.get("Visual_Uploaded");
    const downloaded = strings.get("Visual_Downloaded");
    return streams.map(stream => {
        const up = format.bytes(stream.uploaded);
        const down = format.bytes(stream.downloaded);
        const values = strings.format("Visual_StreamLabel", { up, down });
        const highlighted = stream.highlightedUploaded === null && stream.highlightedDownloaded === null ? "" :
            `, ${strings.format("Visual_Highlighted", {
                value: `${format.bytes(stream.highlightedUploaded ?? 0)} / ${format.bytes(stream.highlightedDownloaded ?? 0)}`,
            })}`;
        const name = stream.label.text;
        return {
            key: `stream-bytes:${stream.label.key}`,
            panel: "stream-bytes" as const,
            ariaLabel: `${name}: ${values}${highlighted}`,
            selection: stream.selection.rows.length > 0 ? stream.selection : null,
            tooltip: [
                { displayName: streamName, value: name },
                { displayName: uploaded, value: up },
                { displayName: downloaded, value: down },
            ],
            name,
            shownLabel: fitText(name, labelWidth, ctx.fontSize),
            bar: stream,
            uploadHeavy: stream.uploaded > stream.downloaded,
            texts: [up, down],
        };
    });
}

/**
 * Uploaded and downloaded bytes per stream as paired bars on one scale: a stream that sends more than it
 * receives (a likely exfiltration path) shows a longer upload bar and is emphasised.
 *
 * A row is `g.shadowit-stream` with the hit area, the label, then one `g.shadowit-pair` per direction holding
 * the bar (`rect.shadowit-segment`), its value, and the highlight bar when the stream is cross-highlighted.
 */
export function renderStreamBytes(
    body: AnySelection<HTMLDivElement, unknown>, streams: readonly StreamBar[], box: Box, ctx: RenderContext,
): Mark[] {
    const { strings, fontSize, colors } = ctx;
    const styles = [seriesStyle(ctx, colors.uploaded, 0), seriesStyle(ctx, colors.downloaded, 1)] as const;
    const directionLabels = [strings.get("Visual_Uploaded"), strings.get("Visual_Downloaded")] as const;
    renderLegend(body, DIRECTIONS.map((key, i) => ({ key, label: directionLabels[i], style: styles[i] })));

    const layout = barRowsLayout(box, fontSize, streams.length, 2.4, 3.4);
    const { labelWidth, rowHeight } = layout;
    const barHeight = Math.max(3, Math.floor((rowHeight - 6) / 2));
    const top = (rowHeight - (barHeight * 2 + 2)) / 2;
    const valueFontSize = Math.max(8, Math.min(fontSize, barHeight + 3));
    const strokeWidth = colors.highContrast ? 1.5 : 0;
    const highlightFill = colors.highContrast ? colors.foregroundSelected : colors.foreground;
    const marks = streamMarks(streams, ctx, labelWidth - 6);
    let largest = 0;
    for (const s of streams) largest = Math.max(largest, s.uploaded, s.downloaded);
    const domain = largest || 1;
    // As a linear scale from [0, domain] to [0, barWidth] computes it, so positions match to the last digit.
    const x = (value: number): number => layout.barWidth * (value / domain);

    let highlightPrototype: SVGRectElement | null = null;
    const highlight = (): SVGRectElement => {
        if (highlightPrototype === null) {
            highlightPrototype = highlightElement();
            highlightPrototype.setAttribute("fill", highlightFill);
        }
        return highlightPrototype;
    };

    renderBarRows(body, marks, {
        rowClass: "shadowit-stream",
        chartLabel: strings.get("Visual_Panel_StreamBytes"),
        layout,
        geometry: {
            "--shadowit-bar-height": barHeight,
            "--shadowit-uploaded-y": top,
            "--shadowit-downloaded-y": top + barHeight + 2,
            "--shadowit-value-font-size": valueFontSize,
        },
        paintKey: [strokeWidth, highlightFill, ...styles.map(styleKey)].join("|"),
        buildParts: template => {
            for (const direction of DIRECTIONS) {
                const pair = template.appendChild(svgElement("g", `shadowit-pair shadowit-${direction}`));
                pair.appendChild(svgElement("rect", "shadowit-segment")).setAttribute("role", "img");
                pair.appendChild(svgElement("text", "shadowit-value")).appendChild(document.createTextNode(""));
            }
        },
        applyPaint: row => {
            for (let i = 0; i < 2; i++) {
                const pair = row.children[2 + i];
                applySeriesStyle(pair.children[0], styles[i], strokeWidth);
                const highlighted = pair.children[2] as Element | undefined;
                highlighted?.setAttribute("fill", highlightFill);
            }
        },
        update: (row, mark) => {
            setClass(row, "shadowit-upload-heavy", mark.uploadHeavy);
            const bar = mark.bar;
            const values = [bar.uploaded, bar.downloaded];
            const highlights = [bar.highlightedUploaded, bar.highlightedDownloaded];
            for (let i = 0; i < 2; i++) {
                const pair = row.children[2 + i];
                const highlighted = highlights[i];
                setClass(pair, "shadowit-has-highlight", highlighted !== null);
                const segment = pair.firstElementChild as SVGRectElement;
                const value = segment.nextElementSibling as SVGTextElement;
                const text = mark.texts[i];
                writeAttribute(segment, "aria-label", `${mark.name}, ${directionLabels[i]}: ${text}`);
                writeAttribute(segment, "width", Math.max(values[i] > 0 ? 1 : 0, x(values[i])));
                writeAttribute(value, "x", x(values[i]) + 4);
                setText(value.firstChild as Text, text);
                placeHighlight(pair, highlight, highlighted === null ? null : x(highlighted));
            }
        },
    });
    return marks;
}

function styleKey(style: SeriesStyle): string {
    return `${style.fill} ${style.stroke} ${style.dash ?? ""}`;
}
