// The same tables as queries.ts, read from the files `shadowit export` writes instead of Log Analytics: the rows
// are read with the companion's folder query (src/dataset/m/folder.ts) and summarized in Power Query the way the
// KQL summarizes them, so that the model, its measures and the report are the same.
import { MCAS_SHADOW_IT_REPORTING, SECURITY_ALERT, SIGNIN_LOGS, type TableSchema } from "../../schema.ts";
import { folderQuery, pathSeparatorOf } from "../m/folder.ts";
import { WORKSPACE_PARAMETER } from "../m/parameters.ts";
import { mText } from "../m/literals.ts";
import { finalSteps, GLOBAL_VIEW_STREAM, HIGH_RISK_MAX_SCORE, type MColumn } from "./queries.ts";

const I = "    ";
const TRAFFIC_COLUMNS = ["TotalEvents", "BlockedEvents", "UploadedBytes", "DownloadedBytes", "TotalBytes"];

/**
 * The folder query as a nested `let` expression, one level deeper. An `optional` table (alerts, sign-ins) that the
 * export did not include loads empty: its subfolder is missing from the workspace folder. A missing export or
 * workspace folder still fails the refresh.
 */
function rowsStep(table: TableSchema, folder: string, whole: boolean, optional = false): string[] {
    const expression = folderQuery(table, folder, { whole }).expression.split("\n").map(line => `${I}${I}${optional ? I : ""}${line}`);
    if (!optional) return [`${I}Rows =`, ...expression.slice(0, -1), `${expression[expression.length - 1] as string},`];
    const sep = pathSeparatorOf(folder);
    const root = folder.endsWith(sep) && folder.length > 1 ? folder.slice(0, -1) : folder;
    const empty = `#table({${table.columns.map(c => mText(c.name)).join(", ")}}, {})`;
    return [
        `${I}// ${table.name} loads empty when the export did not include it (no ${table.name} subfolder).`,
        `${I}WorkspaceFolder = Folder.Contents(${mText(root)} & ${mText(sep)} & ${WORKSPACE_PARAMETER}),`,
        `${I}Exported = List.Contains(Table.SelectRows(WorkspaceFolder, each [Attributes]?[Kind]? = "Folder")[Name], ${mText(table.name)}),`,
        `${I}Rows = if not Exported then ${empty} else`,
        ...expression.slice(0, -1),
        `${expression[expression.length - 1] as string},`,
    ];
}

const DAY_STEP = `${I}WithDate = Table.AddColumn(Rows, "Date", each DateTime.AddZone(DateTime.From(DateTime.Date([TimeGenerated])), 0), type datetimezone),`;
const APP_ID_TEXT = (from: string, to: string) => `${I}${to} = Table.TransformColumns(${from}, {{"AppId", each if _ = null then null else Text.From(_, "en-US"), type nullable text}}),`;
const USER_KEY = (from: string, to: string, column: string) => `${I}${to} = Table.AddColumn(${from}, "UserKey", each if [${column}] = null then null else Text.Lower([${column}]), type nullable text),`;
const TAGS_OF = `${I}TagsOf = (tags as nullable text) as list => if tags = null or tags = "" then {} else try List.Transform(Json.Document(tags), Text.From) otherwise {},`;
const SUM = (name: string) => `{${mText(name)}, each List.Sum([${name}]), type nullable number}`;
const DISTINCT = (name: string, column: string) => `{${mText(name)}, each List.Count(List.Distinct(List.RemoveNulls([${column}]))), Int64.Type}`;

function query(comment: string, steps: string[], last: string, columns: readonly MColumn[]): string {
    return ["let", `${I}// ${comment}`, ...steps, ...finalSteps(I, last, columns)].join("\n");
}

export function appDailyFolder(folder: string, columns: readonly MColumn[]): string {
    return query("Traffic per day, stream and app, summarized from the export", [
        ...rowsStep(MCAS_SHADOW_IT_REPORTING, folder, false),
        DAY_STEP,
        APP_ID_TEXT("WithDate", "Keyed"),
        `${I}Grouped = Table.Group(Keyed, {"Date", "StreamName", "AppId"}, {${TRAFFIC_COLUMNS.map(SUM).join(", ")}, ${DISTINCT("Users", "UserName")}}),`,
    ], "Grouped", columns);
}

export function userDailyFolder(folder: string, columns: readonly MColumn[]): string {
    return query("Traffic per day, stream and user, summarized from the export", [
        ...rowsStep(MCAS_SHADOW_IT_REPORTING, folder, false),
        DAY_STEP,
        USER_KEY("WithDate", "Keyed", "UserName"),
        `${I}Grouped = Table.Group(Keyed, {"Date", "StreamName", "UserKey"}, {${SUM("TotalEvents")}, ${SUM("TotalBytes")}, ${DISTINCT("Apps", "AppId")}}),`,
    ], "Grouped", columns);
}

export function userAppDailyFolder(folder: string, columns: readonly MColumn[]): string {
    const gv = mText(GLOBAL_VIEW_STREAM);
    return query("High-risk or unsanctioned app traffic per day, user and app, summarized from the export", [
        ...rowsStep(MCAS_SHADOW_IT_REPORTING, folder, false),
        DAY_STEP,
        TAGS_OF,
        `${I}GlobalViewDays = List.Buffer(List.Distinct(Table.SelectRows(WithDate, each [StreamName] = ${gv})[Date])),`,
        `${I}Risky = Table.SelectRows(WithDate, each (([AppScore] <> null and [AppScore] <= ${HIGH_RISK_MAX_SCORE}) or List.Contains(TagsOf([AppTags]), "unsanctioned")) and ([StreamName] = ${gv} or not List.Contains(GlobalViewDays, [Date]))),`,
        APP_ID_TEXT("Risky", "Keyed"),
        USER_KEY("Keyed", "WithUser", "UserName"),
        `${I}Grouped = Table.Group(WithUser, {"Date", "UserKey", "AppId"}, {${TRAFFIC_COLUMNS.map(SUM).join(", ")}}),`,
    ], "Grouped", columns);
}

export function appFolder(folder: string, columns: readonly MColumn[]): string {
    return query("Apps in the export, with their latest name, category, score and tags", [
        ...rowsStep(MCAS_SHADOW_IT_REPORTING, folder, true),
        TAGS_OF,
        APP_ID_TEXT("Rows", "Keyed"),
        `${I}Latest = Table.Group(Keyed, {"AppId"}, {{"Row", each Table.Max(_, "TimeGenerated"), type record}}),`,
        `${I}Expanded = Table.ExpandRecordColumn(Latest, "Row", {"AppName", "AppCategory", "AppScore", "AppTags"}),`,
        `${I}WithSanction = Table.AddColumn(Expanded, "Sanction", each if List.Contains(TagsOf([AppTags]), "unsanctioned") then "Unsanctioned" else if List.Contains(TagsOf([AppTags]), "sanctioned") then "Sanctioned" else "None", type text),`,
        `${I}WithCustom = Table.AddColumn(WithSanction, "CustomTags", each Text.Combine(List.Distinct(List.Difference(TagsOf([AppTags]), {"sanctioned", "unsanctioned"})), ", "), type text),`,
        `${I}WithBand = Table.AddColumn(WithCustom, "RiskBand", each if [AppScore] = null or [AppScore] < 0 or [AppScore] > 10 then "Unscored" else if [AppScore] <= ${HIGH_RISK_MAX_SCORE} then "High" else if [AppScore] <= 7 then "Medium" else "Low", type text),`,
    ], "WithBand", columns);
}

export function userFolder(folder: string, columns: readonly MColumn[]): string {
    return query("Users in the export", [
        ...rowsStep(MCAS_SHADOW_IT_REPORTING, folder, true),
        USER_KEY("Rows", "Keyed", "UserName"),
        `${I}Latest = Table.Group(Keyed, {"UserKey"}, {{"Row", each Table.Max(_, "TimeGenerated"), type record}}),`,
        `${I}WithName = Table.AddColumn(Latest, "DisplayName", each if [Row][EnrichedUserName] = null or [Row][EnrichedUserName] = "" then [UserKey] else [Row][EnrichedUserName], type text),`,
    ], "WithName", columns);
}

export function streamFolder(folder: string, columns: readonly MColumn[]): string {
    return query("Streams in the export", [
        ...rowsStep(MCAS_SHADOW_IT_REPORTING, folder, true),
        `${I}Streams = Table.Distinct(Table.SelectColumns(Rows, {"StreamName"})),`,
    ], "Streams", columns);
}

export function alertFolder(folder: string, columns: readonly MColumn[]): string {
    return query("Defender for Cloud Apps alerts in the export, latest version of each", [
        ...rowsStep(SECURITY_ALERT, folder, false, true),
        `${I}Mcas = Table.SelectRows(Rows, each [ProductName] = "Microsoft Cloud App Security" or [ProviderName] = "MCAS"),`,
        `${I}Latest = Table.Group(Mcas, {"SystemAlertId"}, {{"Row", each Table.Max(_, "TimeGenerated"), type record}}),`,
        `${I}Expanded = Table.ExpandRecordColumn(Latest, "Row", {"TimeGenerated", "AlertName", "AlertSeverity", "Status", "CompromisedEntity"}),`,
        `${I}WithDate = Table.AddColumn(Expanded, "Date", each DateTime.AddZone(DateTime.From(DateTime.Date([TimeGenerated])), 0), type datetimezone),`,
        USER_KEY("WithDate", "Keyed", "CompromisedEntity"),
    ], "Keyed", columns);
}

export function signinFolder(folder: string, columns: readonly MColumn[]): string {
    return query("Interactive sign-ins per day and user, summarized from the export", [
        ...rowsStep(SIGNIN_LOGS, folder, false, true),
        DAY_STEP,
        USER_KEY("WithDate", "Keyed", "UserPrincipalName"),
        `${I}Grouped = Table.Group(Keyed, {"Date", "UserKey"}, {{"SignIns", each Table.RowCount(_), Int64.Type}, {"FailedSignIns", each List.Count(List.Select([ResultType], each _ <> "0")), Int64.Type}, {"RiskySignIns", each List.Count(List.Select([RiskLevelDuringSignIn], each List.Contains({"low", "medium", "high"}, _))), Int64.Type}}),`,
    ], "Grouped", columns);
}

export function categoryDailyFolder(folder: string, columns: readonly MColumn[]): string {
    return query("Distinct users per day, stream and app category, summarized from the export", [
        ...rowsStep(MCAS_SHADOW_IT_REPORTING, folder, false),
        DAY_STEP,
        `${I}Grouped = Table.Group(WithDate, {"Date", "StreamName", "AppCategory"}, {${DISTINCT("Users", "UserName")}}),`,
    ], "Grouped", columns);
}
