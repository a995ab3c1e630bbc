import { BarRowMark, barRowsLayout, renderBarRows } from "../../render/bar-rows";
import { fitText } from "../../render/format";
import { htmlElement, seriesPropertyValues } from "../../render/html-rows";
import { renderLegend, renderNoteLine, seriesStyle } from "../../render/series";
import { Box, Mark, RenderContext } from "../../render/types";
import { TopUser, TopUsers } from "./model";

interface UserMark extends BarRowMark {
    readonly person: TopUser;
    readonly valueText: string;
    readonly flagged: boolean;
}

export function topUserMarks(data: TopUsers, ctx: RenderContext, labelWidth: number): UserMark[] {
    const { strings, format } = ctx;
    const limit = format.bytes(data.thresholdBytes);
    const field = strings.get(data.kind === "user" ? "Visual_Field_UserName" : "Visual_Field_IpAddress");
    return data.people.map(person => {
        const name = person.label.text;
        const uploaded = format.bytes(person.uploaded);
        const parts = [strings.format("Visual_TopUsers_Uploaded", { value: uploaded }), `${strings.get("Visual_Downloaded").toLowerCase()} ${format.bytes(person.downloaded)}`];
        if (person.toHighRisk !== null) parts.push(strings.format("Visual_TopUsers_HighRisk", { value: format.bytes(person.toHighRisk) }));
        if (person.toUnsanctioned !== null) parts.push(strings.format("Visual_TopUsers_Unsanctioned", { value: format.bytes(person.toUnsanctioned) }));
        if (person.blocked !== null) {
            parts.push(person.blocked === 1 ? strings.get("Visual_TopApps_BlockedOne") : strings.format("Visual_TopApps_BlockedValue", { count: format.count(person.blocked) }));
        }
        const daily = (person.flaggedDays ?? 0) > 0;
        const flags: string[] = [];
        if (daily) {
            flags.push(person.flaggedDays === 1 ? strings.format("Visual_TopUsers_FlaggedOne", { limit })
                : strings.format("Visual_TopUsers_Flagged", { limit, days: format.count(person.flaggedDays!) }));
        }
        if (person.aboveMedian) {
            flags.push(strings.format("Visual_TopUsers_AboveMedian", { factor: format.count(data.medianFactor), median: format.bytes(data.medianUpload) }));
        }
        const flagged = flags.length > 0;
        const flag = flagged ? flags.join("; ") : null;
        parts.push(...flags);
        return {
            key: `top-users:${person.label.key}`,
            panel: "top-users" as const,
            ariaLabel: `${name}: ${parts.join(", ")}`,
            selection: person.selection,
            get tooltip() {
                const tooltip = [
                    { displayName: field, value: name },
                    { displayName: strings.get("Visual_Uploaded"), value: uploaded },
                    { displayName: strings.get("Visual_Downloaded"), value: format.bytes(person.downloaded) },
                ];
                if (person.toHighRisk !== null) tooltip.push({ displayName: strings.get("Visual_Risk_High"), value: format.bytes(person.toHighRisk) });
                if (person.toUnsanctioned !== null) tooltip.push({ displayName: strings.get("Visual_Tag_Unsanctioned"), value: format.bytes(person.toUnsanctioned) });
                if (person.blocked !== null) tooltip.push({ displayName: strings.get("Visual_Field_BlockedEvents"), value: format.count(person.blocked) });
                if (person.largestRiskyDay !== null) tooltip.push({ displayName: strings.get("Visual_TopUsers_LargestDay"), value: format.bytes(person.largestRiskyDay) });
                if (flag !== null) tooltip.push({ displayName: strings.get("Visual_TopUsers_Flag"), value: flag });
                return tooltip;
            },
            name,
            shownLabel: fitText(name, labelWidth, ctx.fontSize),
            person,
            valueText: flagged ? `⚑ ${uploaded}` : uploaded,
            flagged,
        };
    });
}

const SHOWN_CLASS = "shadowit-top-users-shown";

/**
 * One row per person, most upload first: a bar of the upload on one scale, then its value; a person over the daily
 * upload threshold has a bar in the unsanctioned colour (in high contrast the solid pattern), a flag before the value
 * and the flag in the row's label. A line above says how many of how many are shown. Selecting a row filters the
 * report to the person.
 */
export function renderTopUsers(body: HTMLDivElement, data: TopUsers, box: Box, ctx: RenderContext): Mark[] {
    const { strings, fontSize, colors, format } = ctx;
    const styles = [seriesStyle(ctx, colors.uploaded, 1), seriesStyle(ctx, colors.unsanctioned, 0)];
    renderLegend(body, [
        { key: "uploaded", label: strings.get("Visual_Uploaded"), style: styles[0] },
        { key: "flagged", label: strings.get("Visual_TopUsers_Flag"), style: styles[1] },
    ]);
    renderNoteLine(body, SHOWN_CLASS, strings.format("Visual_TopUsers_Shown", { shown: format.count(data.people.length), count: format.count(data.count) }));

    const layout = barRowsLayout({ ...box, height: box.height - fontSize * 1.4 }, fontSize, data.people.length, 1.5, 2.4);
    const { labelWidth, rowHeight } = layout;
    const barHeight = Math.round(rowHeight * 0.6);
    const marks = topUserMarks(data, ctx, labelWidth - 6);
    let largest = 0;
    for (const person of data.people) largest = Math.max(largest, person.uploaded);
    const x = (value: number): number => layout.barWidth * 0.8 * (value / (largest || 1));

    renderBarRows(body, marks, {
        rowClass: "shadowit-person",
        chartLabel: strings.get("Visual_Panel_TopUsers"),
        layout,
        properties: {
            "--shadowit-bar-height": barHeight,
            "--shadowit-bar-top": (rowHeight - barHeight) / 2,
            ...seriesPropertyValues("upload", styles[0], colors.highContrast),
            ...seriesPropertyValues("flagged", styles[1], colors.highContrast),
        },
        buildParts: template => {
            template.appendChild(htmlElement("div", "shadowit-person-bar"));
            template.appendChild(htmlElement("span", "shadowit-value", ""));
        },
        geometry: mark => {
            const width = Math.max(mark.person.uploaded > 0 ? 1 : 0, x(mark.person.uploaded));
            return `--shadowit-person-w:${width}px;--shadowit-value-x:${labelWidth + width + 4}px`;
        },
        update: (row, mark, write) => {
            write.toggleClass(row, "flagged", "shadowit-flagged", mark.flagged);
            write.text(row.lastElementChild!, "value.text", mark.valueText);
        },
    });
    return marks;
}
