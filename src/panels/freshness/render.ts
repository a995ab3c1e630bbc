import { BarRowMark, barRowsLayout, renderBarRows } from "../../render/bar-rows";
import { fitText } from "../../render/format";
import { htmlElement, seriesPropertyValues } from "../../render/html-rows";
import { renderLegend, renderNoteLine, seriesStyle } from "../../render/series";
import { Box, Mark, RenderContext } from "../../render/types";
import { Freshness, StreamFreshness } from "./model";

interface AgeMark extends BarRowMark {
    readonly stream: StreamFreshness;
    readonly valueText: string;
}

/** "last data 9 days ago (21 Feb 2026)", "data up to 2 Mar 2026", or "no rows with a date". */
function ageText(stream: StreamFreshness, ctx: RenderContext): string {
    const { strings, format } = ctx;
    if (stream.lastDay === null || stream.daysSince === null) return strings.get("Visual_Freshness_NoDates");
    const date = format.day(stream.lastDay);
    if (stream.daysSince === 0) return strings.format("Visual_Freshness_Current", { date });
    if (stream.daysSince === 1) return strings.format("Visual_Freshness_OneDayAgo", { date });
    return strings.format("Visual_Freshness_DaysAgo", { days: format.count(stream.daysSince), date });
}

export function freshnessMarks(data: Freshness, ctx: RenderContext, labelWidth: number): AgeMark[] {
    const { strings, format } = ctx;
    const streamName = strings.get("Visual_Field_StreamName");
    const stale = strings.get("Visual_Freshness_Stale");
    return data.streams.map(stream => {
        const name = stream.label.text;
        const valueText = ageText(stream, ctx);
        return {
            key: `freshness:${stream.label.key}`,
            panel: "freshness" as const,
            ariaLabel: `${name}: ${valueText}${stream.stale ? `, ${stale}` : ""}`,
            selection: stream.selection,
            get tooltip() {
                return [
                    { displayName: streamName, value: name },
                    { displayName: strings.get("Visual_Freshness_LastDay"), value: stream.lastDay === null ? "–" : format.day(stream.lastDay) },
                    { displayName: strings.get("Visual_Freshness_DaysSince"), value: stream.daysSince === null ? "–" : format.count(stream.daysSince) },
                    { displayName: strings.get("Visual_Freshness_DaysWithData"), value: format.count(stream.daysWithData) },
                ];
            },
            name,
            shownLabel: fitText(name, labelWidth, ctx.fontSize),
            stream,
            valueText,
        };
    });
}

const REFERENCE_CLASS = "shadowit-freshness-reference";

/**
 * One row per stream, the longest silent first: a bar as long as the days since its last data (on one scale for all
 * streams), and the text "last data 9 days ago (21 Feb 2026)". A stale stream's bar has the high-risk colour (in high
 * contrast the solid pattern), a current one the low-risk colour (an outline). A line above the rows says which day
 * the days count from. Selecting a row filters its stream.
 */
export function renderFreshness(body: HTMLDivElement, data: Freshness, box: Box, ctx: RenderContext): Mark[] {
    const { strings, fontSize, colors, format } = ctx;
    const styles = [seriesStyle(ctx, colors.high, 0), seriesStyle(ctx, colors.low, 1)];
    renderLegend(body, [
        { key: "stale", label: strings.format("Visual_Freshness_StaleLegend", { days: format.count(data.staleAfterDays) }), style: styles[0] },
        { key: "fresh", label: strings.get("Visual_Freshness_FreshLegend"), style: styles[1] },
    ]);
    const reference = data.referenceDay === null ? "" : strings.format(
        data.reference === "today" ? "Visual_Freshness_ReferenceToday" : "Visual_Freshness_ReferenceData", { date: format.day(data.referenceDay) });
    const hasReference = renderReferenceLine(body, reference);

    const layout = barRowsLayout(hasReference ? { ...box, height: box.height - fontSize * 1.4 } : box, fontSize, data.streams.length, 1.5, 2.4);
    const { labelWidth, rowHeight } = layout;
    const barHeight = Math.round(rowHeight * 0.6);
    const marks = freshnessMarks(data, ctx, labelWidth - 6);
    let longest = 0;
    for (const stream of data.streams) longest = Math.max(longest, stream.daysSince ?? 0);
    // Value text needs room after the longest bar: the bars take at most two thirds of the width.
    const scale = (layout.barWidth * 0.66) / Math.max(1, longest);

    renderBarRows(body, marks, {
        rowClass: "shadowit-age",
        chartLabel: strings.get("Visual_Panel_Freshness"),
        layout,
        properties: {
            "--shadowit-bar-height": barHeight,
            "--shadowit-bar-top": (rowHeight - barHeight) / 2,
            ...seriesPropertyValues("stale", styles[0], colors.highContrast),
            ...seriesPropertyValues("fresh", styles[1], colors.highContrast),
        },
        buildParts: template => {
            template.appendChild(htmlElement("div", "shadowit-age-bar"));
            template.appendChild(htmlElement("span", "shadowit-value", ""));
        },
        geometry: mark => {
            const days = mark.stream.daysSince;
            // A stream with data on the reference day still shows a sliver, so that its colour can be seen.
            const width = days === null ? 0 : Math.max(3, days * scale);
            return `--shadowit-age-w:${width}px;--shadowit-value-x:${labelWidth + width + 4}px`;
        },
        update: (row, mark, write) => {
            write.toggleClass(row, "stale", "shadowit-stale", mark.stream.stale);
            write.text(row.lastElementChild!, "value.text", mark.valueText);
        },
    });
    return marks;
}

/** The line naming the day the days count from, after the legend; returns whether it is drawn. */
function renderReferenceLine(body: HTMLDivElement, text: string): boolean {
    return renderNoteLine(body, REFERENCE_CLASS, text) !== null;
}
