import powerbi from "powerbi-visuals-api";
import { StreamBar } from "../model/types";
import { BarRowMark, barRowsLayout, renderBarRows } from "./bar-rows";
import { fitText } from "./format";
import { compilePhrase } from "./phrases";
import { usersTexts } from "./distinct-count";
import { highlightPart, htmlElement, seriesPropertyValues } from "./html-rows";
import { renderLegend, renderNoteLine, seriesStyle } from "./series";
import { Box, Mark, RenderContext } from "./types";
import VisualTooltipDataItem = powerbi.extensibility.VisualTooltipDataItem;

const DIRECTIONS = ["uploaded", "downloaded"] as const;

/** Writer slots of each direction's pair, in DIRECTIONS order. */
const PAIR_SLOTS = DIRECTIONS.map(direction => ({
    hasHighlight: `${direction}.hasHighlight`,
    text: `${direction}.text`,
    highlight: `${direction}.highlight`,
}));

interface StreamMark extends BarRowMark {
    readonly bar: StreamBar;
    readonly uploadHeavy: boolean;
    /** The uploaded and downloaded bytes as shown, in DIRECTIONS order. */
    readonly texts: readonly [string, string];
}

/** What every stream's texts are made with in one render. */
interface StreamTextContext {
    readonly ctx: RenderContext;
    readonly labelWidth: number;
    readonly streamName: string;
    readonly uploaded: string;
    readonly downloaded: string;
    readonly streamLabel: (values: { up: string; down: string }) => string;
}

interface StreamTexts {
    readonly ariaLabel: string;
    readonly shownLabel: string;
    readonly texts: readonly [string, string];
    readonly tooltip: readonly VisualTooltipDataItem[];
}

/**
 * A stream's mark. Its texts are made when first read: a panel draws only the rows in view, and a long list of
 * streams would otherwise format every value of the rows it never draws.
 */
class StreamRowMark implements StreamMark {
    readonly panel = "stream-bytes" as const;
    readonly key: string;
    readonly selection: StreamBar["selection"] | null;
    readonly name: string;
    readonly uploadHeavy: boolean;
    private made: StreamTexts | null = null;

    constructor(readonly bar: StreamBar, private readonly textContext: StreamTextContext) {
        this.key = `stream-bytes:${bar.label.key}`;
        this.selection = bar.selection.rows.length > 0 ? bar.selection : null;
        this.name = bar.label.text;
        this.uploadHeavy = bar.uploaded > bar.downloaded;
    }

    get ariaLabel(): string { return this.shown().ariaLabel; }
    get shownLabel(): string { return this.shown().shownLabel; }
    get texts(): readonly [string, string] { return this.shown().texts; }
    get tooltip(): readonly VisualTooltipDataItem[] { return this.shown().tooltip; }

    private shown(): StreamTexts {
        this.made ??= streamTexts(this.bar, this.textContext);
        return this.made;
    }
}

function streamTexts(stream: StreamBar, w: StreamTextContext): StreamTexts {
    const { strings, format } = w.ctx;
    const up = format.bytes(stream.uploaded);
    const down = format.bytes(stream.downloaded);
    const values = w.streamLabel({ up, down });
    const highlighted = stream.highlightedUploaded === null && stream.highlightedDownloaded === null ? "" :
        `, ${strings.format("Visual_Highlighted", {
            value: `${format.bytes(stream.highlightedUploaded ?? 0)} / ${format.bytes(stream.highlightedDownloaded ?? 0)}`,
        })}`;
    const name = stream.label.text;
    const users = usersTexts(stream.users, w.ctx);
    const tooltip = [
        { displayName: w.streamName, value: name },
        { displayName: w.uploaded, value: up },
        { displayName: w.downloaded, value: down },
    ];
    if (users !== null) tooltip.push({ displayName: users.tooltipName, value: users.value });
    return {
        ariaLabel: `${name}: ${values}${users === null ? "" : `, ${users.phrase}`}${highlighted}`,
        shownLabel: fitText(name, w.labelWidth, w.ctx.fontSize),
        texts: [up, down],
        tooltip,
    };
}

export function streamMarks(streams: readonly StreamBar[], ctx: RenderContext, labelWidth: number): StreamMark[] {
    const { strings } = ctx;
    const textContext: StreamTextContext = {
        ctx, labelWidth,
        streamName: strings.get("Visual_Field_StreamName"),
        uploaded: strings.get("Visual_Uploaded"),
        downloaded: strings.get("Visual_Downloaded"),
        streamLabel: compilePhrase(strings.get("Visual_StreamLabel")),
    };
    return streams.map(stream => new StreamRowMark(stream, textContext));
}

/**
 * Uploaded and downloaded bytes per stream as paired bars on one scale: a stream that sends more than it
 * receives (a likely exfiltration path) shows a longer upload bar and is emphasised.
 *
 * A row is `.shadowit-stream` with the label, then one `.shadowit-pair` per direction holding the bar
 * (`.shadowit-segment`), its value right after it, and the highlight bar when the stream is cross-highlighted. The
 * row's aria-label names both values.
 */
export function renderStreamBytes(
    body: HTMLDivElement, streams: readonly StreamBar[], globalView: StreamBar | null, box: Box, ctx: RenderContext,
): Mark[] {
    const { strings, fontSize, colors } = ctx;
    const styles = [seriesStyle(ctx, colors.uploaded, 0), seriesStyle(ctx, colors.downloaded, 1)] as const;
    const directionLabels = [strings.get("Visual_Uploaded"), strings.get("Visual_Downloaded")] as const;
    renderLegend(body, DIRECTIONS.map((key, i) => ({ key, label: directionLabels[i], style: styles[i] })));
    const totalLine = renderGlobalViewTotal(body, globalView, ctx);

    const layout = barRowsLayout(totalLine ? { ...box, height: box.height - fontSize * 1.4 } : box, fontSize, streams.length, 2.4, 3.4);
    const { labelWidth, rowHeight } = layout;
    const barHeight = Math.max(3, Math.floor((rowHeight - 6) / 2));
    const top = (rowHeight - (barHeight * 2 + 2)) / 2;
    const valueFontSize = Math.max(8, Math.min(fontSize, barHeight + 3));
    const highlightFill = colors.highContrast ? colors.foregroundSelected : colors.foreground;
    const marks = streamMarks(streams, ctx, labelWidth - 6);
    let largest = 0;
    for (const s of streams) largest = Math.max(largest, s.uploaded, s.downloaded);
    const domain = largest || 1;
    // value / domain first, then times the width: the pixel positions the bars had since the first version,
    // to the last digit.
    const x = (value: number): number => layout.barWidth * (value / domain);

    renderBarRows(body, marks, {
        rowClass: "shadowit-stream",
        chartLabel: strings.get("Visual_Panel_StreamBytes"),
        layout,
        properties: {
            "--shadowit-bar-height": barHeight,
            "--shadowit-uploaded-y": top,
            "--shadowit-downloaded-y": top + barHeight + 2,
            "--shadowit-value-font-size": valueFontSize,
            "--shadowit-highlight-fill": highlightFill,
            ...seriesPropertyValues("uploaded", styles[0], colors.highContrast),
            ...seriesPropertyValues("downloaded", styles[1], colors.highContrast),
        },
        buildParts: template => {
            for (const direction of DIRECTIONS) {
                const pair = template.appendChild(htmlElement("div", `shadowit-pair shadowit-${direction}`));
                pair.appendChild(htmlElement("div", "shadowit-segment"));
                pair.appendChild(htmlElement("span", "shadowit-value", ""));
            }
        },
        geometry: mark => {
            const bar = mark.bar;
            let geometry = "";
            for (let i = 0; i < 2; i++) {
                const direction = DIRECTIONS[i];
                const value = i === 0 ? bar.uploaded : bar.downloaded;
                const highlighted = i === 0 ? bar.highlightedUploaded : bar.highlightedDownloaded;
                geometry += `--shadowit-${direction}-w:${Math.max(value > 0 ? 1 : 0, x(value))}px;`;
                if (highlighted !== null) geometry += `--shadowit-${direction}-highlight-w:${Math.max(0, x(highlighted))}px;`;
            }
            return geometry;
        },
        update: (row, mark, write) => {
            write.toggleClass(row, "heavy", "shadowit-upload-heavy", mark.uploadHeavy);
            const bar = mark.bar;
            // After the label: the uploaded pair, then the downloaded one.
            let pair = row.firstElementChild!.nextElementSibling!;
            for (let i = 0; i < 2; i++) {
                const slots = PAIR_SLOTS[i];
                const highlighted = i === 0 ? bar.highlightedUploaded : bar.highlightedDownloaded;
                const text = mark.texts[i];
                write.toggleClass(pair, slots.hasHighlight, "shadowit-has-highlight", highlighted !== null);
                const segment = pair.firstElementChild!;
                write.text(segment.nextElementSibling!, slots.text, text);
                write.optionalChild(pair, slots.highlight, highlightPart(), highlighted !== null);
                pair = pair.nextElementSibling!;
            }
        },
    });
    return marks;
}

const GLOBAL_VIEW_CLASS = "shadowit-global-view";

/**
 * The Global view's traffic as a labelled total line after the legend, above the streams it sums (it is not drawn
 * as one more bar: it would be the longest, and it is no department or device). Returns whether it is drawn.
 */
function renderGlobalViewTotal(body: HTMLDivElement, globalView: StreamBar | null, ctx: RenderContext): boolean {
    const text = globalView === null ? "" : ctx.strings.format("Visual_Stream_GlobalView", {
        name: globalView.label.text, up: ctx.format.bytes(globalView.uploaded), down: ctx.format.bytes(globalView.downloaded),
    });
    const line = renderNoteLine(body, GLOBAL_VIEW_CLASS, text);
    if (line === null) return false;
    if (line.getAttribute("aria-label") !== text) line.setAttribute("aria-label", text);
    if (line.getAttribute("title") !== text) line.setAttribute("title", text);
    return true;
}
