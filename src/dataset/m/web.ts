// The main query when Power BI reads Log Analytics itself: Web.Contents on the static API host, the
// workspace in RelativePath, the KQL and timespan in Query (GET .../query?query=&timespan=), so the
// dataset refreshes in the Power BI service.
import type { TableSchema } from "../../schema.ts";
import { aggregateQuery, rawQuery, type AggregateGrain, type WindowExpressions } from "../kql/index.ts";
import type { MQuery } from "./document.ts";
import { mIdentifier, mText } from "./literals.ts";
import { RANGE_END, RANGE_START, rangeFilterSteps, WORKSPACE_PARAMETER } from "./parameters.ts";
import { typedResultSteps } from "./types.ts";

export const LOG_ANALYTICS_BASE_URL = "https://api.loganalytics.io";

export type MGrain = AggregateGrain | "raw";
export const M_GRAINS: readonly MGrain[] = ["day", "hour", "none", "raw"];

const START_MARKER = "\u0000RangeStart\u0000";
const END_MARKER = "\u0000RangeEnd\u0000";

/** The KQL the query sends, for a grain, with the window bounds left as expressions. */
export function kqlFor(table: TableSchema, grain: MGrain, window: WindowExpressions): string {
    return grain === "raw" ? rawQuery(table, window) : aggregateQuery(table, grain, window);
}

/** Window bounds to build a KQL template with: `kqlTemplateAsM` turns them into the M steps StartText/EndText. */
export const M_WINDOW: WindowExpressions = { startExpr: `datetime(${START_MARKER})`, endExpr: `datetime(${END_MARKER})` };

/**
 * A KQL template built with M_WINDOW as an M text expression: the literal parts as M text, the bounds spliced in
 * from the M steps that format RangeStart and RangeEnd.
 */
export function kqlTemplateAsM(kql: string): string {
    const parts: string[] = [];
    let rest = kql;
    for (;;) {
        const s = rest.indexOf(START_MARKER);
        const e = rest.indexOf(END_MARKER);
        const next = [s, e].filter(i => i >= 0).sort((a, b) => a - b)[0];
        if (next === undefined) break;
        if (next > 0) parts.push(mText(rest.slice(0, next)));
        parts.push(next === s ? "StartText" : "EndText");
        rest = rest.slice(next + (next === s ? START_MARKER.length : END_MARKER.length));
    }
    if (rest.length > 0) parts.push(mText(rest));
    return parts.join(" & ");
}

function kqlAsMExpression(table: TableSchema, grain: MGrain): string {
    return kqlTemplateAsM(kqlFor(table, grain, M_WINDOW));
}

export function logAnalyticsQuery(table: TableSchema, grain: MGrain): MQuery {
    const i = "    ";
    const grainNote = grain === "raw"
        ? "every row as stored (no aggregation)"
        : grain === "none"
            ? "one row per group over the whole range (TimeGenerated = first seen, LastSeen = last seen)"
            : `aggregated in Log Analytics by ${grain}`;
    const lines = [
        "let",
        `${i}// ${table.name}, ${grainNote}, for [RangeStart, RangeEnd) in UTC.`,
        `${i}StartText = DateTime.ToText(${RANGE_START}, [Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", Culture = "en-US"]),`,
        `${i}EndText = DateTime.ToText(${RANGE_END}, [Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", Culture = "en-US"]),`,
        `${i}// The KQL filters the exact half-open range; the timespan lets the service skip data outside it.`,
        `${i}Kql = ${kqlAsMExpression(table, grain)},`,
        `${i}// A literal base URL: the Power BI service refreshes only URLs whose host is not computed.`,
        `${i}Response = Json.Document(Web.Contents(${mText(LOG_ANALYTICS_BASE_URL)}, [`,
        `${i}    RelativePath = "v1/workspaces/" & ${WORKSPACE_PARAMETER} & "/query",`,
        `${i}    Query = [query = Kql, timespan = StartText & "/" & EndText],`,
        `${i}    Headers = [#"Prefer" = "wait=600"],`,
        `${i}    Timeout = #duration(0, 0, 10, 0)`,
        `${i}])),`,
        `${i}// A partial result (over 500,000 rows or about 100 MB) must fail the refresh, never load truncated.`,
        `${i}Checked = if Record.HasFields(Response, "error") then`,
        `${i}        error Error.Record("Log Analytics: " & Response[error][code], Response[error][message], Response[error])`,
        `${i}    else Response,`,
        ...typedResultSteps(i),
        ...rangeFilterSteps(i, "Typed"),
    ];
    return {
        name: table.name,
        description: `The ${table.name} table (${grainNote}). Create it as a Blank Query, paste this into the Advanced Editor\nand name it ${mIdentifier(table.name)}. Data source credentials: Organizational account.`,
        expression: lines.join("\n"),
    };
}
