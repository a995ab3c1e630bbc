/*
 * The dashboard's panels as a Deneb user would write them in Vega-Lite: one spec per panel of
 * src/panels/registry.ts, keyed by the panel's id, each from the same raw rows with all aggregation in Vega-Lite's
 * transforms. The render benchmark draws the specs of every registered panel side by side and stops, naming the
 * panel, when one has no spec here (bench/sections/render.ts): adding a panel to the visual means adding its spec.
 */

import { TOP_N_DEFAULT } from "../../src/model/limits";
import { APP_SCORE_MAX, APP_SCORE_MIN, DEFAULT_RISK_THRESHOLDS } from "../../src/schema";

export const VEGA_DATASET = "dataset";

const TAG_CLASS = "indexof(lower(datum.AppTags), '\"unsanctioned\"') >= 0 ? 'unsanctioned'"
    + " : indexof(lower(datum.AppTags), '\"sanctioned\"') >= 0 ? 'sanctioned' : 'other'";

// The visual's default bands (the settings' defaults), so both sides always compare the same bands.
const { highMax, mediumMax } = DEFAULT_RISK_THRESHOLDS;
const RISK_BAND = `!isValid(datum.AppScore) || datum.AppScore < ${APP_SCORE_MIN} || datum.AppScore > ${APP_SCORE_MAX} ? 'Unscored'`
    + ` : datum.AppScore <= ${highMax} ? 'High risk (${APP_SCORE_MIN}-${highMax})'`
    + ` : datum.AppScore <= ${mediumMax} ? 'Medium risk (${highMax + 1}-${mediumMax})' : 'Low risk (${mediumMax + 1}-${APP_SCORE_MAX})'`;

const HIGH_RISK = "isValid(datum.AppScore) && datum.AppScore >= 0 && datum.AppScore <= 3";
const UNSANCTIONED = "indexof(lower(datum.AppTags), '\"unsanctioned\"') >= 0";
const TOP_N = 10;
/** The top-users panel's default daily upload threshold to risky or unsanctioned apps (500 MB). */
const DAILY_UPLOAD_BYTES = 500 * 1024 * 1024;
/** The ai-apps panel's default categories. */
const AI_CATEGORIES = ["Generative AI", "AI model provider", "MCP server"];

/** A ranked list: a bar per item and its value as text beside it. */
function rankedBars(field: string, value: string, tooltip: object[]): object {
    return {
        encoding: {
            y: { field, type: "nominal", sort: "-x", title: null },
            x: { field: value, type: "quantitative", title: value },
            tooltip,
        },
        layer: [{ mark: { type: "bar" } }, { mark: { type: "text", align: "left", dx: 3 }, encoding: { text: { field: value, format: ".3s" } } }],
    };
}

const kpis = {
    title: "Key figures",
    width: 360,
    height: 60,
    transform: [
        {
            aggregate: [
                { op: "sum", field: "TotalBytes", as: "Traffic" },
                { op: "sum", field: "UploadedBytes", as: "Uploaded" },
                { op: "sum", field: "DownloadedBytes", as: "Downloaded" },
                { op: "sum", field: "TotalEvents", as: "Events" },
                { op: "sum", field: "BlockedEvents", as: "Blocked" },
                { op: "distinct", field: "AppName", as: "Apps" },
                { op: "distinct", field: "UserName", as: "Users" },
                { op: "distinct", field: "IpAddress", as: "Addresses" },
            ],
        },
        { fold: ["Traffic", "Uploaded", "Downloaded", "Events", "Blocked", "Apps", "Users", "Addresses"], as: ["Figure", "Value"] },
    ],
    mark: { type: "text", fontSize: 16 },
    encoding: {
        x: { field: "Figure", type: "nominal", title: null, sort: null },
        text: { field: "Value", type: "quantitative", format: ".3s" },
    },
};

const categoryTraffic = {
    title: "Traffic by app category",
    width: 360,
    height: 300,
    transform: [
        { calculate: TAG_CLASS, as: "TagClass" },
        { aggregate: [{ op: "sum", field: "TotalBytes", as: "Bytes" }], groupby: ["AppCategory", "TagClass"] },
        { joinaggregate: [{ op: "sum", field: "Bytes", as: "CategoryBytes" }], groupby: ["AppCategory"] },
        { window: [{ op: "dense_rank", as: "Rank" }], sort: [{ field: "CategoryBytes", order: "descending" }] },
        { calculate: `datum.Rank <= ${TOP_N_DEFAULT} ? datum.AppCategory : 'Other'`, as: "Category" },
    ],
    mark: { type: "bar", tooltip: true },
    encoding: {
        y: { field: "Category", type: "nominal", sort: "-x", title: null },
        x: { aggregate: "sum", field: "Bytes", type: "quantitative", title: "Total bytes" },
        color: {
            field: "TagClass", type: "nominal", title: "Tags",
            scale: { domain: ["sanctioned", "unsanctioned", "other"], range: ["#1AAB40", "#D64550", "#A19F9D"] },
        },
    },
};

const riskBands = {
    title: "Risk bands",
    width: 240,
    height: 300,
    transform: [
        { calculate: RISK_BAND, as: "Band" },
        {
            aggregate: [
                { op: "sum", field: "TotalBytes", as: "Bytes" },
                { op: "distinct", field: "AppName", as: "Apps" },
            ],
            groupby: ["Band"],
        },
    ],
    mark: { type: "bar", tooltip: true },
    encoding: {
        x: { field: "Band", type: "nominal", title: null,
            sort: ["High risk (0-3)", "Medium risk (4-7)", "Low risk (8-10)", "Unscored"] },
        y: { field: "Bytes", type: "quantitative", title: "Total bytes" },
        color: { field: "Band", type: "nominal", legend: null },
        tooltip: [{ field: "Band" }, { field: "Bytes", type: "quantitative" }, { field: "Apps", type: "quantitative" }],
    },
};

const streamBytes = {
    title: "Uploaded and downloaded bytes per stream",
    width: 360,
    height: 300,
    transform: [
        {
            aggregate: [
                { op: "sum", field: "UploadedBytes", as: "Uploaded" },
                { op: "sum", field: "DownloadedBytes", as: "Downloaded" },
            ],
            groupby: ["StreamName"],
        },
        { fold: ["Uploaded", "Downloaded"], as: ["Direction", "Bytes"] },
    ],
    mark: { type: "bar", tooltip: true },
    encoding: {
        y: { field: "StreamName", type: "nominal", title: null },
        yOffset: { field: "Direction" },
        x: { field: "Bytes", type: "quantitative", title: "Bytes" },
        color: { field: "Direction", type: "nominal" },
    },
};

const topApps = {
    title: "Top apps",
    width: 360,
    height: 300,
    transform: [
        { calculate: TAG_CLASS, as: "TagClass" },
        {
            aggregate: [
                { op: "sum", field: "TotalBytes", as: "Traffic" },
                { op: "sum", field: "UploadedBytes", as: "Uploaded" },
                { op: "sum", field: "BlockedEvents", as: "Blocked" },
                { op: "distinct", field: "UserName", as: "Users" },
                { op: "max", field: "AppScore", as: "Score" },
                { op: "max", field: "AppCategory", as: "Category" },
                { op: "max", field: "TagClass", as: "Tags" },
            ],
            groupby: ["AppName"],
        },
        { window: [{ op: "row_number", as: "Rank" }], sort: [{ field: "Traffic", order: "descending" }] },
        { filter: `datum.Rank <= ${TOP_N}` },
    ],
    ...rankedBars("AppName", "Traffic", [{ field: "AppName" }, { field: "Category" }, { field: "Score" }, { field: "Tags" },
        { field: "Traffic" }, { field: "Uploaded" }, { field: "Users" }, { field: "Blocked" }]),
};

const freshness = {
    title: "Data freshness",
    width: 360,
    height: 300,
    transform: [
        { aggregate: [{ op: "max", field: "TimeGenerated", as: "LastDay" }], groupby: ["StreamName"] },
        { calculate: "floor((now() - datum.LastDay) / 86400000)", as: "DaysSince" },
    ],
    mark: { type: "bar", tooltip: true },
    encoding: {
        y: { field: "StreamName", type: "nominal", sort: "-x", title: null },
        x: { field: "DaysSince", type: "quantitative", title: "Days since the last data" },
    },
};

const timeline = {
    title: "Traffic per day",
    width: 360,
    height: 300,
    transform: [
        { timeUnit: "yearmonthdate", field: "TimeGenerated", as: "Day" },
        {
            aggregate: [
                { op: "sum", field: "UploadedBytes", as: "Uploaded" },
                { op: "sum", field: "DownloadedBytes", as: "Downloaded" },
                { op: "distinct", field: "UserName", as: "Users" },
            ],
            groupby: ["Day"],
        },
    ],
    encoding: { x: { field: "Day", type: "temporal", timeUnit: "yearmonthdate", title: null } },
    layer: [
        {
            transform: [{ fold: ["Uploaded", "Downloaded"], as: ["Direction", "Bytes"] }],
            mark: { type: "bar", tooltip: true },
            encoding: { y: { field: "Bytes", type: "quantitative", stack: true }, color: { field: "Direction", type: "nominal" } },
        },
        { mark: { type: "line" }, encoding: { y: { field: "Users", type: "quantitative" } } },
    ],
    resolve: { scale: { y: "independent" } },
};

const topUsers = {
    title: "Top users",
    width: 360,
    height: 300,
    transform: [
        { timeUnit: "yearmonthdate", field: "TimeGenerated", as: "Day" },
        { calculate: `${HIGH_RISK} ? datum.TotalBytes : 0`, as: "ToHighRisk" },
        { calculate: `${UNSANCTIONED} ? datum.TotalBytes : 0`, as: "ToUnsanctioned" },
        { calculate: `${HIGH_RISK} || ${UNSANCTIONED} ? datum.UploadedBytes : 0`, as: "RiskyUpload" },
        {
            aggregate: [
                { op: "sum", field: "UploadedBytes", as: "Uploaded" },
                { op: "sum", field: "DownloadedBytes", as: "Downloaded" },
                { op: "sum", field: "BlockedEvents", as: "Blocked" },
                { op: "sum", field: "ToHighRisk", as: "ToHighRisk" },
                { op: "sum", field: "ToUnsanctioned", as: "ToUnsanctioned" },
                { op: "sum", field: "RiskyUpload", as: "RiskyUpload" },
            ],
            groupby: ["UserName", "Day"],
        },
        { calculate: `datum.RiskyUpload > ${DAILY_UPLOAD_BYTES} ? 1 : 0`, as: "Flagged" },
        {
            aggregate: [
                { op: "sum", field: "Uploaded", as: "Uploaded" },
                { op: "sum", field: "Downloaded", as: "Downloaded" },
                { op: "sum", field: "Blocked", as: "Blocked" },
                { op: "sum", field: "ToHighRisk", as: "ToHighRisk" },
                { op: "sum", field: "ToUnsanctioned", as: "ToUnsanctioned" },
                { op: "sum", field: "Flagged", as: "FlaggedDays" },
                { op: "max", field: "RiskyUpload", as: "LargestRiskyDay" },
            ],
            groupby: ["UserName"],
        },
        { window: [{ op: "row_number", as: "Rank" }], sort: [{ field: "Uploaded", order: "descending" }] },
        { filter: `datum.Rank <= ${TOP_N}` },
    ],
    ...rankedBars("UserName", "Uploaded", [{ field: "UserName" }, { field: "Uploaded" }, { field: "ToHighRisk" },
        { field: "ToUnsanctioned" }, { field: "Blocked" }, { field: "FlaggedDays" }, { field: "LargestRiskyDay" }]),
};

/** Apps of the AI categories with their users, traffic, upload and first day (the ai-apps panel). */
const aiApps = {
    title: "AI apps",
    width: 360,
    height: 300,
    transform: [
        { filter: { field: "AppCategory", oneOf: AI_CATEGORIES } },
        {
            aggregate: [
                { op: "distinct", field: "UserName", as: "Users" },
                { op: "sum", field: "TotalBytes", as: "Traffic" },
                { op: "sum", field: "UploadedBytes", as: "Uploaded" },
                { op: "min", field: "TimeGenerated", as: "FirstSeen" },
            ],
            groupby: ["AppName", "AppCategory"],
        },
        { window: [{ op: "row_number", as: "Rank" }], sort: [{ field: "Traffic", order: "descending" }] },
        { filter: `datum.Rank <= ${TOP_N}` },
    ],
    ...rankedBars("AppName", "Traffic", [{ field: "AppName" }, { field: "AppCategory" }, { field: "Users" },
        { field: "Traffic" }, { field: "Uploaded" }, { field: "FirstSeen", type: "temporal" }]),
};

/** The spec of each panel, by the panel's id in src/panels/registry.ts. */
export const PANEL_SPECS: Readonly<Record<string, object>> = {
    "kpis": kpis,
    "category-traffic": categoryTraffic,
    "risk-bands": riskBands,
    "stream-bytes": streamBytes,
    "top-apps": topApps,
    "freshness": freshness,
    "timeline": timeline,
    "top-users": topUsers,
    "ai-apps": aiApps,
};

/** The registered panels without a spec here. */
export function panelsWithoutSpec(panelIds: readonly string[]): string[] {
    return panelIds.filter(id => !Object.prototype.hasOwnProperty.call(PANEL_SPECS, id));
}

/** One Vega-Lite spec drawing the given panels side by side, three to a row. */
export function dashboardSpec(panelIds: readonly string[]): object {
    const missing = panelsWithoutSpec(panelIds);
    if (missing.length > 0) {
        throw new Error(`no Vega-Lite spec for the panel(s) ${missing.join(", ")}: add one to PANEL_SPECS in bench/page/vegaCharts.ts`);
    }
    return {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json",
        data: { name: VEGA_DATASET },
        concat: panelIds.map(id => PANEL_SPECS[id]),
        columns: 3,
        resolve: { scale: { color: "independent" } },
    };
}
