/*
 * The dashboard's three charts as a Deneb user would write them in Vega-Lite: from the same raw rows, with the
 * aggregation in Vega-Lite's transforms (top 10 categories plus "Other" split by sanctioned / unsanctioned /
 * other; high / medium / low / unscored bands by AppScore with traffic and distinct apps; uploaded and
 * downloaded bytes per stream on one scale).
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

export const MISSION_CHARTS_SPEC = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    data: { name: VEGA_DATASET },
    hconcat: [categoryTraffic, riskBands, streamBytes],
    resolve: { scale: { color: "independent" } },
};
