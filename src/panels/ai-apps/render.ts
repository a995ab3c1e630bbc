import { usersTexts } from "../../render/distinct-count";
import { BarRowMark, barRowsLayout, renderBarRows } from "../../render/bar-rows";
import { fitText } from "../../render/format";
import { htmlElement, seriesPropertyValues } from "../../render/html-rows";
import { renderLegend, renderNoteLine, seriesStyle } from "../../render/series";
import { appLaunch, writeLaunchButton } from "../../render/launch-button";
import { Box, Mark, RenderContext } from "../../render/types";
import type { CsvCell, CsvTable } from "../../export/csv";
import { AiApp, AiApps } from "./model";

interface AiAppMark extends BarRowMark {
    readonly app: AiApp;
    readonly valueText: string;
}

/**
 * One mark per AI app. Aria-label: `<app> (<category>[, tagged unsanctioned]): <traffic>[, uploaded <bytes>]
 * [, <n> users | at least <n> users][, first seen <date>]`.
 */
export function aiAppMarks(data: AiApps, ctx: RenderContext, labelWidth: number): AiAppMark[] {
    const { strings, format } = ctx;
    return data.apps.map(app => {
        const name = app.label.text;
        const traffic = format.bytes(app.totalBytes);
        const uploaded = app.uploaded === null ? null : format.bytes(app.uploaded);
        const users = usersTexts(app.users, ctx);
        const firstSeen = app.firstDay === null ? null : format.day(app.firstDay);
        const about = [app.category, ...(app.unsanctioned ? [strings.get("Visual_AiApps_Unsanctioned")] : [])];
        const values = [traffic];
        if (uploaded !== null) values.push(strings.format("Visual_AiApps_Uploaded", { value: uploaded }));
        if (users !== null) values.push(users.phrase);
        if (firstSeen !== null) values.push(strings.format("Visual_AiApps_FirstSeen", { date: firstSeen }));
        const shortValues = [traffic, ...(uploaded !== null ? [`↑ ${uploaded}`] : []), ...(users !== null ? [users.phrase] : []), ...(firstSeen !== null ? [firstSeen] : [])];
        return {
            key: `ai-apps:${app.label.key}`,
            panel: "ai-apps" as const,
            ariaLabel: `${name} (${about.join(", ")}): ${values.join(", ")}`,
            selection: app.selection,
            launch: appLaunch(app.appId, name, strings),
            get tooltip() {
                const tooltip = [
                    { displayName: strings.get("Visual_Field_AppName"), value: name },
                    { displayName: strings.get("Visual_Field_AppCategory"), value: app.category },
                    { displayName: strings.get("Visual_Traffic"), value: traffic },
                ];
                if (uploaded !== null) tooltip.push({ displayName: strings.get("Visual_Uploaded"), value: uploaded });
                if (users !== null) tooltip.push({ displayName: users.tooltipName, value: users.value });
                tooltip.push({
                    displayName: strings.get("Visual_AiApps_FirstSeenField"),
                    value: firstSeen ?? (data.withTime ? "–" : strings.get("Visual_AiApps_NoTime")),
                });
                if (app.unsanctioned) tooltip.push({ displayName: strings.get("Visual_TopApps_Status"), value: strings.get("Visual_TopApps_StateUnsanctioned") });
                return tooltip;
            },
            name,
            shownLabel: fitText(name, labelWidth, ctx.fontSize),
            app,
            valueText: shortValues.join(" · "),
        };
    });
}

const SUMMARY_CLASS = "shadowit-ai-apps-summary";

/**
 * One row per AI app, most traffic first: a bar of its traffic with its upload drawn over it from the start, then
 * "traffic · ↑ upload · users · first-seen day". An app tagged unsanctioned has its bar in the unsanctioned colour (in
 * high contrast the solid pattern). A line above names the AI categories, how many apps are in them and, without
 * Time generated, that the first-seen day needs it. Selecting a row filters the report to the app.
 */
export function renderAiApps(body: HTMLDivElement, data: AiApps, box: Box, ctx: RenderContext): Mark[] {
    const { strings, fontSize, colors, format } = ctx;
    const styles = [seriesStyle(ctx, colors.downloaded, 0), seriesStyle(ctx, colors.uploaded, 1), seriesStyle(ctx, colors.unsanctioned, 2)];
    renderLegend(body, [
        { key: "traffic", label: strings.get("Visual_Traffic"), style: styles[0] },
        { key: "uploaded", label: strings.get("Visual_Uploaded"), style: styles[1] },
        { key: "unsanctioned", label: strings.get("Visual_Tag_Unsanctioned"), style: styles[2] },
    ]);
    const categories = data.categories.join(", ");
    let text = data.apps.length < data.count
        ? strings.format("Visual_AiApps_SummaryShown", { shown: format.count(data.apps.length), count: format.count(data.count), categories })
        : strings.format("Visual_AiApps_Summary", { count: format.count(data.count), categories });
    if (!data.withTime) text += ` · ${strings.get("Visual_AiApps_NoTime")}`;
    renderNoteLine(body, SUMMARY_CLASS, text);

    const layout = barRowsLayout({ ...box, height: box.height - fontSize * 1.4 }, fontSize, data.apps.length, 1.5, 2.4);
    const { labelWidth, rowHeight } = layout;
    const barHeight = Math.round(rowHeight * 0.6);
    const marks = aiAppMarks(data, ctx, labelWidth - 6);
    let largest = 0;
    for (const app of data.apps) largest = Math.max(largest, app.totalBytes);
    // The value text is long (up to four figures): the bars take the first half of their room.
    const x = (value: number): number => layout.barWidth * 0.5 * (value / (largest || 1));

    renderBarRows(body, marks, {
        rowClass: "shadowit-ai-app",
        chartLabel: strings.get("Visual_Panel_AiApps"),
        layout,
        properties: {
            "--shadowit-bar-height": barHeight,
            "--shadowit-bar-top": (rowHeight - barHeight) / 2,
            ...seriesPropertyValues("traffic", styles[0], colors.highContrast),
            ...seriesPropertyValues("upload", styles[1], colors.highContrast),
            ...seriesPropertyValues("unsanctioned", styles[2], colors.highContrast),
        },
        buildParts: template => {
            template.appendChild(htmlElement("div", "shadowit-ai-traffic"));
            template.appendChild(htmlElement("div", "shadowit-ai-upload"));
            template.appendChild(htmlElement("span", "shadowit-value", ""));
        },
        geometry: mark => {
            const width = Math.max(mark.app.totalBytes > 0 ? 1 : 0, x(mark.app.totalBytes));
            const up = Math.min(width, x(mark.app.uploaded ?? 0));
            return `--shadowit-ai-w:${width}px;--shadowit-ai-up-w:${up}px;--shadowit-value-x:${labelWidth + width + 4}px`;
        },
        update: (row, mark, write) => {
            write.toggleClass(row, "unsanctioned", "shadowit-unsanctioned", mark.app.unsanctioned);
            write.text(row.querySelector(".shadowit-value")!, "value.text", mark.valueText);
            writeLaunchButton(row, row, mark.launch ?? null, strings, write);
        },
    });
    return marks;
}

/** The AI apps as the panel ranks and words them, for the CSV download (export/csv.ts). */
export function aiAppsTable(data: AiApps, ctx: RenderContext): CsvTable {
    const { strings, format } = ctx;
    const marks = aiAppMarks(data, ctx, Infinity);
    const has = {
        uploaded: data.apps.some(app => app.uploaded !== null),
        users: data.apps.some(app => app.users !== null),
        launch: marks.some(mark => mark.launch != null),
    };
    const columns = [
        strings.get("Visual_Export_Rank"), strings.get("Visual_Field_AppName"), strings.get("Visual_Field_AppCategory"),
        strings.get("Visual_TopApps_Status"), strings.get("Visual_Traffic"),
        strings.format("Visual_Export_Bytes", { field: strings.get("Visual_Traffic") }),
    ];
    if (has.uploaded) columns.push(strings.get("Visual_Uploaded"), strings.format("Visual_Export_Bytes", { field: strings.get("Visual_Uploaded") }));
    if (has.users) columns.push(strings.get("Visual_TopApps_Users"));
    if (data.withTime) columns.push(strings.get("Visual_AiApps_FirstSeenField"));
    if (has.launch) columns.push(strings.get("Visual_Launch_Defender"));
    const rows = marks.map((mark, index) => {
        const app = mark.app;
        const row: CsvCell[] = [
            index + 1, mark.name, app.category, app.unsanctioned ? strings.get("Visual_TopApps_StateUnsanctioned") : null,
            format.bytes(app.totalBytes), app.totalBytes,
        ];
        if (has.uploaded) row.push(app.uploaded === null ? null : format.bytes(app.uploaded), app.uploaded);
        if (has.users) row.push(usersTexts(app.users, ctx)?.cell ?? null);
        if (data.withTime) row.push(app.firstDay === null ? null : format.day(app.firstDay));
        if (has.launch) row.push(mark.launch?.url ?? null);
        return row;
    });
    return { columns, rows };
}
