// The KQL of every table of the generated semantic model, and the M that sends it to Log Analytics.
//
// Sizing (docs/report.md has the arithmetic): every fact table is summarized per UTC day in Log Analytics, and the
// incremental refresh policy partitions by day, so each query of a refresh reads one day. No fact keeps the
// user × app × stream grain of the raw table: only the user × app pairs of high-risk or unsanctioned apps do.
import { kqlDatetime, kqlString, type QueryWindow } from "../kql/index.ts";
import { kqlTemplateAsM, LOG_ANALYTICS_BASE_URL, M_WINDOW } from "../m/web.ts";
import { mText } from "../m/literals.ts";
import { RANGE_END, RANGE_START, WORKSPACE_PARAMETER } from "../m/parameters.ts";
import { typedResultSteps } from "../m/types.ts";

/** Defender for Cloud Apps' aggregate stream: its rows repeat the traffic of the other streams. */
export const GLOBAL_VIEW_STREAM = "Global view";
/** App scores at or below this are high risk (the visual's default band, 0-3). */
export const HIGH_RISK_MAX_SCORE = 3;

const MCAS = "McasShadowItReporting";
const DAY = "Date = bin(TimeGenerated, 1d)";
/** Defender writes these two tags in lower case; every other tag is a custom one. */
const SANCTION_TAGS = ["sanctioned", "unsanctioned"];

function where(window: QueryWindow): string {
    const start = "startExpr" in window ? window.startExpr : kqlDatetime(window.start);
    const end = "endExpr" in window ? window.endExpr : kqlDatetime(window.end);
    return `| where TimeGenerated >= ${start} and TimeGenerated < ${end}`;
}

function lookback(days: number): string {
    return `| where TimeGenerated >= ago(${days}d)`;
}

const TRAFFIC = [
    "TotalEvents = sum(TotalEvents)", "BlockedEvents = sum(BlockedEvents)", "UploadedBytes = sum(UploadedBytes)",
    "DownloadedBytes = sum(DownloadedBytes)", "TotalBytes = sum(TotalBytes)",
];

/** Day × stream × app: traffic, and the exact distinct users of that one cell. */
export function appDailyKql(window: QueryWindow): string {
    return [
        MCAS,
        where(window),
        `| summarize ${[...TRAFFIC, "Users = count_distinct(UserName)"].join(", ")} by ${DAY}, StreamName, AppId = tostring(AppId)`,
    ].join("\n");
}

/** Day × stream × user (user names in lower case, the key shared with SigninLogs and SecurityAlert). */
export function userDailyKql(window: QueryWindow): string {
    return [
        MCAS,
        where(window),
        `| summarize TotalEvents = sum(TotalEvents), TotalBytes = sum(TotalBytes), Apps = count_distinct(AppId) by ${DAY}, StreamName, UserKey = tolower(UserName)`,
    ].join("\n");
}

/**
 * Day × user × app, for high-risk or unsanctioned apps only. Streams are not kept: for each day, the Global view
 * rows alone when the day has any, else the sum of the other streams, so that no traffic is counted twice.
 */
export function userAppDailyKql(window: QueryWindow): string {
    return [
        `let Rows = ${MCAS}`,
        `    ${where(window)};`,
        `let GlobalViewDays = Rows | where StreamName == ${kqlString(GLOBAL_VIEW_STREAM)} | distinct Day = bin(TimeGenerated, 1d);`,
        "Rows",
        `| where AppScore <= ${HIGH_RISK_MAX_SCORE} or array_index_of(AppTags, ${kqlString("unsanctioned")}) >= 0`,
        `| where StreamName == ${kqlString(GLOBAL_VIEW_STREAM)} or bin(TimeGenerated, 1d) !in (GlobalViewDays)`,
        `| summarize ${TRAFFIC.join(", ")} by ${DAY}, UserKey = tolower(UserName), AppId = tostring(AppId)`,
    ].join("\n");
}

/** One row per app seen in the last `days` days, with its latest name, category, score and tags. */
export function appKql(days: number): string {
    const tag = (name: string) => `array_index_of(AppTags, ${kqlString(name)}) >= 0`;
    return [
        MCAS,
        lookback(days),
        "| summarize arg_max(TimeGenerated, AppName, AppCategory, AppScore, AppTags) by AppId = tostring(AppId)",
        `| extend Sanction = case(${tag("unsanctioned")}, "Unsanctioned", ${tag("sanctioned")}, "Sanctioned", "None")`,
        `| extend CustomTags = strcat_array(set_difference(AppTags, dynamic(${JSON.stringify(SANCTION_TAGS)})), ", ")`,
        `| extend RiskBand = case(isnull(AppScore) or AppScore < 0 or AppScore > 10, "Unscored", AppScore <= ${HIGH_RISK_MAX_SCORE}, "High", AppScore <= 7, "Medium", "Low")`,
        "| project AppId, AppName, AppCategory, AppScore, AppTags = tostring(AppTags), Sanction, CustomTags, RiskBand",
    ].join("\n");
}

/** One row per user seen in the last `days` days. */
export function userKql(days: number): string {
    return [
        MCAS,
        lookback(days),
        "| summarize arg_max(TimeGenerated, EnrichedUserName) by UserKey = tolower(UserName)",
        "| project UserKey, DisplayName = iff(isempty(EnrichedUserName), UserKey, EnrichedUserName)",
    ].join("\n");
}

export function streamKql(days: number): string {
    return [MCAS, lookback(days), "| summarize by StreamName"].join("\n");
}

/** Defender for Cloud Apps' alerts, one row each, keyed to the user they name. */
export function alertKql(window: QueryWindow): string {
    return [
        "SecurityAlert",
        where(window),
        `| where ProductName == ${kqlString("Microsoft Cloud App Security")} or ProviderName == ${kqlString("MCAS")}`,
        `| summarize arg_max(TimeGenerated, AlertName, AlertSeverity, Status, CompromisedEntity) by SystemAlertId`,
        `| project ${DAY}, TimeGenerated, SystemAlertId, AlertName, AlertSeverity, Status, UserKey = tolower(CompromisedEntity)`,
    ].join("\n");
}

/** Day × user: sign-ins, failed ones (ResultType other than "0") and risky ones (a risk level low or above). */
export function signinKql(window: QueryWindow): string {
    return [
        "SigninLogs",
        where(window),
        "| summarize SignIns = count(), FailedSignIns = countif(ResultType != \"0\"), RiskySignIns = countif(RiskLevelDuringSignIn in (\"low\", \"medium\", \"high\")) " +
            `by ${DAY}, UserKey = tolower(UserPrincipalName)`,
    ].join("\n");
}

export interface MColumn {
    readonly name: string;
    /** The M type the column ends as: fixed, so that the model's column types hold whatever the response says. */
    readonly mType: "type text" | "Int64.Type" | "type datetime" | "type number";
}

function webSteps(i: string, kqlExpression: string, timespan: string): string[] {
    return [
        `${i}Kql = ${kqlExpression},`,
        `${i}// A literal base URL: the Power BI service refreshes only URLs whose host is not computed.`,
        `${i}Raw = Web.Contents(${mText(LOG_ANALYTICS_BASE_URL)}, [`,
        `${i}    RelativePath = "v1/workspaces/" & ${WORKSPACE_PARAMETER} & "/query",`,
        `${i}    Query = [query = Kql, timespan = ${timespan}],`,
        `${i}    Headers = [#"Prefer" = "wait=600"],`,
        `${i}    Timeout = #duration(0, 0, 10, 0),`,
        `${i}    // A bad request (for example a KQL error) is read here, so that its message reaches the user.`,
        `${i}    ManualStatusHandling = {400}`,
        `${i}]),`,
        `${i}Status = Value.Metadata(Raw)[Response.Status],`,
        `${i}Response = Json.Document(Raw),`,
        `${i}ErrorOf = (r as record) as record => if Record.HasFields(r, "error") then r[error] else [code = "HTTP " & Text.From(Status), message = "the request was refused"],`,
        `${i}// The API's error says what went wrong in its inner errors and details (the outer message is generic, such as`,
        `${i}// "The request had some invalid properties"): every message of the error, outermost first.`,
        `${i}MessagesOf = (e as any) as list => if not Value.Is(e, type record) then {} else`,
        `${i}    (if Record.HasFields(e, "message") then {Text.TrimEnd(Text.From(e[message]), ".")} else {})`,
        `${i}    & (if Record.HasFields(e, "innererror") then @MessagesOf(e[innererror]) else {})`,
        `${i}    & (if Record.HasFields(e, "details") and Value.Is(e[details], type list) then List.Combine(List.Transform(e[details], @MessagesOf)) else {}),`,
        `${i}// A 400 fails with the API's own message; a partial result (over 500,000 rows or about 100 MB) also fails`,
        `${i}// the refresh, never loading truncated rows.`,
        `${i}Checked = if Status = 400 or Record.HasFields(Response, "error") then`,
        `${i}        error Error.Record("Log Analytics: " & ErrorOf(Response)[code], Text.Combine(List.Distinct(MessagesOf(ErrorOf(Response))), ": "), ErrorOf(Response))`,
        `${i}    else Response,`,
        ...typedResultSteps(i),
    ];
}

export function finalSteps(i: string, from: string, columns: readonly MColumn[]): string[] {
    const hasDate = columns.some(c => c.name === "Date");
    const datetimeColumns = columns.filter(c => c.mType === "type datetime").map(c => c.name);
    const types = columns.map(c => `{${mText(c.name)}, ${c.mType}}`).join(", ");
    const steps = [
        `${i}// Date/time columns in UTC without a zone, to relate to the Date table and compare with RangeStart.`,
        `${i}Utc = Table.TransformColumns(${from}, List.Transform(${datetimeColumnsList(datetimeColumns)}, each {_, (v) => if v = null then null else DateTimeZone.RemoveZone(DateTimeZone.ToUtc(v))})),`,
        `${i}Selected = Table.SelectColumns(Utc, {${columns.map(c => mText(c.name)).join(", ")}}),`,
        `${i}Final = Table.TransformColumnTypes(Selected, {${types}}, "en-US")`,
    ];
    if (hasDate) {
        steps[steps.length - 1] += ",";
        steps.push(
            `${i}// Incremental refresh: days at RangeStart or later and before RangeEnd, no duplicate at the boundary.`,
            `${i}Filtered = Table.SelectRows(Final, each [Date] >= ${RANGE_START} and [Date] < ${RANGE_END})`,
            "in",
            `${i}Filtered`,
        );
    } else {
        steps.push("in", `${i}Final`);
    }
    return steps;
}

function datetimeColumnsList(names: readonly string[]): string {
    return `{${names.map(mText).join(", ")}}`;
}

/** M for a table of days in [RangeStart, RangeEnd): the partition source incremental refresh drives. */
export function rangeQuery(comment: string, kqlOf: (window: QueryWindow) => string, columns: readonly MColumn[]): string {
    const i = "    ";
    return [
        "let",
        `${i}// ${comment}, for [RangeStart, RangeEnd) in UTC.`,
        `${i}StartText = DateTime.ToText(${RANGE_START}, [Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", Culture = "en-US"]),`,
        `${i}EndText = DateTime.ToText(${RANGE_END}, [Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", Culture = "en-US"]),`,
        ...webSteps(i, kqlTemplateAsM(kqlOf(M_WINDOW)), "StartText & \"/\" & EndText"),
        ...finalSteps(i, "Typed", columns),
    ].join("\n");
}

/** M for a dimension read over the last `days` days (no incremental refresh: it is small and read whole). */
export function lookbackQuery(comment: string, kql: string, days: number, columns: readonly MColumn[]): string {
    const i = "    ";
    return [
        "let",
        `${i}// ${comment}.`,
        ...webSteps(i, mText(kql), mText(`P${days}D`)),
        ...finalSteps(i, "Typed", columns),
    ].join("\n");
}

/** Every day from the earlier of RangeStart and `days` before today (UTC) to the later of RangeEnd and tomorrow. */
export function dateTableQuery(days: number): string {
    const i = "    ";
    return [
        "let",
        `${i}Today = DateTime.Date(DateTimeZone.RemoveZone(DateTimeZone.UtcNow())),`,
        `${i}First = List.Min({DateTime.Date(${RANGE_START}), Date.AddDays(Today, -${days})}),`,
        `${i}Last = List.Max({DateTime.Date(${RANGE_END}), Date.AddDays(Today, 1)}),`,
        `${i}Days = List.Dates(First, Duration.Days(Last - First) + 1, #duration(1, 0, 0, 0)),`,
        `${i}Dates = Table.FromColumns({List.Transform(Days, DateTime.From)}, type table [Date = datetime]),`,
        `${i}WithMonth = Table.AddColumn(Dates, "Month", each Date.ToText(DateTime.Date([Date]), [Format = "yyyy-MM", Culture = "en-US"]), type text),`,
        `${i}WithWeekday = Table.AddColumn(WithMonth, "Weekday", each Date.ToText(DateTime.Date([Date]), [Format = "ddd", Culture = "en-US"]), type text)`,
        "in",
        `${i}WithWeekday`,
    ].join("\n");
}

/** Day × stream × app category: the exact distinct users of that one cell (categories are few: no limit is near). */
export function categoryDailyKql(window: QueryWindow): string {
    return [
        MCAS,
        where(window),
        `| summarize Users = count_distinct(UserName) by ${DAY}, StreamName, AppCategory`,
    ].join("\n");
}
