import { BarRowMark, barRowsLayout, renderBarRows } from "../../render/bar-rows";
import { htmlElement, seriesPropertyValues } from "../../render/html-rows";
import { renderLegend, RISK_BAND_NAMES, seriesStyle, TAG_CLASS_NAMES } from "../../render/series";
import { StringKey } from "../../render/strings";
import { Box, Mark, RenderContext } from "../../render/types";
import { Timeline, TimelineDay, TimelineSeries } from "./model";

const SERIES_NAMES: Readonly<Record<TimelineSeries, StringKey>> = {
    uploaded: "Visual_Uploaded", downloaded: "Visual_Downloaded", traffic: "Visual_Traffic",
    ...RISK_BAND_NAMES, ...TAG_CLASS_NAMES,
};

function seriesColor(ctx: RenderContext, series: TimelineSeries): string {
    const c = ctx.colors;
    switch (series) {
        case "uploaded": return c.uploaded;
        case "downloaded": case "traffic": return c.downloaded;
        case "other": return c.otherTag;
        default: return c[series];
    }
}

interface DayMark extends BarRowMark {
    readonly day: TimelineDay;
    readonly valueText: string;
}

function usersText(day: TimelineDay, ctx: RenderContext): string | null {
    const users = day.users;
    if (users === null) return null;
    const count = ctx.format.count(users.value);
    if (!users.exact) return ctx.strings.format("Visual_UsersAtLeast", { count });
    return users.value === 1 ? ctx.strings.get("Visual_Timeline_UsersOne") : ctx.strings.format("Visual_Timeline_Users", { count });
}

export function timelineMarks(data: Timeline, ctx: RenderContext): DayMark[] {
    const { strings, format } = ctx;
    const names = data.series.map(s => strings.get(SERIES_NAMES[s]));
    const noData = strings.get("Visual_Timeline_NoData");
    return data.days.map(day => {
        const name = format.day(day.day);
        if (!day.hasData) {
            return {
                key: `timeline:${day.day}`, panel: "timeline" as const, ariaLabel: `${name}: ${noData}`, selection: null,
                tooltip: [{ displayName: strings.get("Visual_Timeline_Day"), value: name }, { displayName: strings.get("Visual_Traffic"), value: noData }],
                name, shownLabel: name, day, valueText: noData,
            };
        }
        const bar = day.parts.reduce((sum, part) => sum + part, 0);
        const valueText = format.bytes(bar);
        const partTexts = day.parts.map(part => format.bytes(part));
        const split = data.series.length > 1
            ? ` (${data.series.flatMap((_s, i) => (day.parts[i] > 0 ? [`${names[i]}: ${partTexts[i]}`] : [])).join(", ")})` : "";
        const users = usersText(day, ctx);
        return {
            key: `timeline:${day.day}`,
            panel: "timeline" as const,
            ariaLabel: `${name}: ${valueText}${split}${users === null ? "" : `, ${users}`}`,
            selection: day.selection,
            get tooltip() {
                const tooltip = [
                    { displayName: strings.get("Visual_Timeline_Day"), value: name },
                    { displayName: strings.get("Visual_Traffic"), value: valueText },
                    ...(data.series.length > 1 ? data.series.map((_s, i) => ({ displayName: names[i], value: partTexts[i] })) : []),
                ];
                if (users !== null) tooltip.push({ displayName: strings.get("Visual_Field_UserName"), value: users });
                return tooltip;
            },
            name, shownLabel: name, day, valueText,
        };
    });
}

/**
 * One row per day, oldest first: a bar of the day's traffic split by the chosen series (stacked, on one scale for all
 * days), then its value. A day between the first and the last without any row is a gap: its row says "no data" and
 * has no bar, so a broken feed is never drawn as a day of zero traffic. Selecting a day filters the report to it.
 */
export function renderTimeline(body: HTMLDivElement, data: Timeline, box: Box, ctx: RenderContext): Mark[] {
    const { strings, fontSize, colors } = ctx;
    const styles = data.series.map((s, i) => seriesStyle(ctx, seriesColor(ctx, s), i));
    renderLegend(body, data.series.map((s, i) => ({ key: s, label: strings.get(SERIES_NAMES[s]), style: styles[i] })));
    const layout = barRowsLayout(box, fontSize, data.days.length, 1.5, 2.2);
    const { labelWidth, rowHeight } = layout;
    const barHeight = Math.round(rowHeight * 0.66);
    const marks = timelineMarks(data, ctx);
    const x = (value: number): number => layout.barWidth * (value / (data.largest || 1));
    const properties: Record<string, number | string> = { "--shadowit-bar-height": barHeight, "--shadowit-bar-top": (rowHeight - barHeight) / 2 };
    styles.forEach((style, i) => Object.assign(properties, seriesPropertyValues(`part${i}`, style, colors.highContrast)));

    renderBarRows(body, marks, {
        rowClass: `shadowit-day shadowit-parts-${data.series.length}`,
        chartLabel: strings.get("Visual_Panel_Timeline"),
        layout,
        properties,
        buildParts: template => {
            const parts = template.appendChild(htmlElement("div", "shadowit-day-parts"));
            for (let i = 0; i < data.series.length; i++) parts.appendChild(htmlElement("div", `shadowit-day-part shadowit-part${i}`));
            template.appendChild(htmlElement("span", "shadowit-value", ""));
        },
        geometry: mark => {
            let geometry = "";
            let start = 0;
            mark.day.parts.forEach((part, i) => {
                const x0 = x(start);
                start += part;
                geometry += `--shadowit-part${i}-w:${Math.max(0, x(start) - x0)}px;`;
            });
            return `${geometry}--shadowit-value-x:${labelWidth + (mark.day.hasData ? x(start) : 0) + 4}px`;
        },
        update: (row, mark, write) => {
            write.toggleClass(row, "gap", "shadowit-gap", !mark.day.hasData);
            write.text(row.lastElementChild!, "value.text", mark.valueText);
        },
    });
    return marks;
}
