// The semantic model shadowit generates, as plain data: tables, columns, measures, relationships, parameters.
// The TMDL writer renders it; tests read the TMDL back and check it against this and Microsoft's TMDL metadata.
import { mDatetime, mText } from "../m/literals.ts";
import { RANGE_END, RANGE_START, WORKSPACE_PARAMETER } from "../m/parameters.ts";
import {
    alertKql, appDailyKql, appKql, categoryDailyKql, dateTableQuery, GLOBAL_VIEW_STREAM, lookbackQuery, rangeQuery, signinKql, streamKql,
    userAppDailyKql, userDailyKql, userKql, type MColumn,
} from "./queries.ts";
import {
    alertFolder, appDailyFolder, appFolder, categoryDailyFolder, signinFolder, streamFolder, userAppDailyFolder, userFolder, userDailyFolder,
} from "./folder-queries.ts";

export type ColumnDataType = "string" | "int64" | "double" | "dateTime";

export interface ColumnDef {
    readonly name: string;
    readonly dataType: ColumnDataType;
    readonly description: string;
    readonly formatString?: string;
    readonly isHidden?: boolean;
    readonly isKey?: boolean;
    /** Sum for additive numbers; none for keys and attributes. */
    readonly summarizeBy: "none" | "sum";
}

export interface MeasureDef {
    readonly name: string;
    readonly expression: string;
    readonly formatString: string;
    readonly description: string;
    readonly displayFolder?: string;
}

export interface RefreshPolicyDef {
    /** Days kept (the rolling window), partitioned by day so that each refresh query reads one day. */
    readonly rollingWindowDays: number;
    /** Days refreshed on every scheduled refresh, ending today (UTC). */
    readonly incrementalDays: number;
}

export interface TableDef {
    readonly name: string;
    readonly description: string;
    readonly columns: readonly ColumnDef[];
    readonly measures: readonly MeasureDef[];
    /** The partition's M expression. */
    readonly source: string;
    readonly refreshPolicy?: RefreshPolicyDef;
    /** "Time" marks the Date table as the model's date table. */
    readonly dataCategory?: "Time";
    readonly isHidden?: boolean;
}

export interface RelationshipDef {
    readonly id: string;
    readonly fromTable: string;
    readonly fromColumn: string;
    readonly toTable: string;
    readonly toColumn: string;
}

export interface ParameterDef {
    readonly name: string;
    readonly description: string;
    readonly expression: string;
    readonly resultType: "Text" | "DateTime";
}

export interface SemanticModelDef {
    readonly parameters: readonly ParameterDef[];
    readonly tables: readonly TableDef[];
    readonly relationships: readonly RelationshipDef[];
}

export interface ModelOptions {
    readonly workspace: string;
    /** Desktop's RangeStart/RangeEnd (the service replaces them per partition). */
    readonly range: { readonly start: Date; readonly end: Date };
    readonly policy: RefreshPolicyDef;
    /** Read the files of `shadowit export --out <folder>` instead of querying Log Analytics. */
    readonly fromFolder?: string;
}

/** Where the tables come from: Log Analytics, or an export folder. */
type Source = { readonly folder?: string };

function pick(source: Source, logAnalytics: () => string, folder: (dir: string) => string): string {
    return source.folder === undefined ? logAnalytics() : folder(source.folder);
}

export const TABLE = {
    appDaily: "App Daily",
    userDaily: "User Daily",
    userAppDaily: "Risky App Users",
    app: "App",
    user: "User",
    stream: "Stream",
    date: "Date",
    alerts: "SecurityAlert",
    signins: "SigninLogs",
    categoryDaily: "Category Daily",
} as const;

const BYTES = "#,0";
const COUNT = "#,0";

function key(name: string, description: string, dataType: ColumnDataType = "string"): ColumnDef {
    return { name, dataType, description, summarizeBy: "none" };
}

function attribute(name: string, description: string, dataType: ColumnDataType = "string"): ColumnDef {
    return { name, dataType, description, summarizeBy: "none" };
}

function amount(name: string, description: string, hidden = true): ColumnDef {
    return { name, dataType: "int64", description, formatString: COUNT, summarizeBy: "sum", isHidden: hidden };
}

const DAY_COLUMN = (what: string): ColumnDef => ({
    name: "Date", dataType: "dateTime", description: `UTC day of the ${what}.`, formatString: "yyyy-mm-dd", summarizeBy: "none",
});

function mColumns(columns: readonly ColumnDef[]): MColumn[] {
    const mType = { string: "type text", int64: "Int64.Type", double: "type number", dateTime: "type datetime" } as const;
    return columns.map(c => ({ name: c.name, mType: mType[c.dataType] }));
}

/**
 * A traffic sum. With users selected (a filter on the User table): the sum over Risky App Users, the only traffic
 * kept per user. Otherwise a sum over App Daily that counts the Global view stream once: per day, the Global view
 * rows alone when the filter context holds any, else the sum of the streams in it.
 */
export function trafficSum(column: string): string {
    const t = `'${TABLE.appDaily}'`;
    return [
        `IF(`,
        `    ISFILTERED('${TABLE.user}'),`,
        `    SUM('${TABLE.userAppDaily}'[${column}]),`,
        `    SUMX(`,
        `        VALUES(${t}[Date]),`,
        `        VAR GlobalRows = CALCULATE(SUM(${t}[${column}]), KEEPFILTERS(${t}[StreamName] = "${GLOBAL_VIEW_STREAM}"))`,
        `        RETURN IF(NOT ISBLANK(GlobalRows), GlobalRows, CALCULATE(SUM(${t}[${column}])))`,
        `    )`,
        `)`,
    ].join("\n");
}

/**
 * An app's exact distinct users where App Daily can give them, else BLANK. Users are kept per app, stream and day:
 * on one day the Global view row holds the app's users over every stream (it aggregates them, and any other stream
 * selected beside it adds no one), and without it a single stream's row is exact; over several days, streams or
 * apps (a card, a total row: the apps' users overlap) nothing in the model counts them, so the measure stays blank
 * rather than guess.
 */
export function usersPerAppExpression(): string {
    const t = `'${TABLE.appDaily}'`;
    return [
        `IF(`,
        `    ISFILTERED('${TABLE.user}'),`,
        `    DISTINCTCOUNT('${TABLE.userAppDaily}'[UserKey]),`,
        `    IF(`,
        `        COUNTROWS(VALUES(${t}[Date])) = 1 && COUNTROWS(VALUES(${t}[AppId])) = 1,`,
        `        VAR GlobalUsers = CALCULATE(SUM(${t}[Users]), KEEPFILTERS(${t}[StreamName] = "${GLOBAL_VIEW_STREAM}"))`,
        `        RETURN IF(NOT ISBLANK(GlobalUsers), GlobalUsers, IF(COUNTROWS(VALUES(${t}[StreamName])) = 1, SUM(${t}[Users])))`,
        `    )`,
        `)`,
    ].join("\n");
}

function appDailyTable(policy: RefreshPolicyDef, from: Source): TableDef {
    const columns: ColumnDef[] = [
        DAY_COLUMN("traffic"),
        key("StreamName", "Discovery stream (continuous report or uploaded log); \"Global view\" aggregates the others."),
        key("AppId", "Defender for Cloud Apps app ID."),
        amount("TotalEvents", "Events of the app in the stream that day."),
        amount("BlockedEvents", "Blocked events."),
        amount("UploadedBytes", "Bytes uploaded."),
        amount("DownloadedBytes", "Bytes downloaded."),
        amount("TotalBytes", "Bytes uploaded and downloaded."),
        amount("Users", "Exact distinct users of the app in the stream that day (not additive across days, apps or streams)."),
    ];
    const gv = "Counts the \"Global view\" stream once: per day, its rows alone when present, else the sum of the streams. With users selected: their traffic to high-risk or unsanctioned apps (Risky App Users), the only traffic kept per user.";
    const measures: MeasureDef[] = [
        { name: "Traffic", expression: trafficSum("TotalBytes"), formatString: BYTES, description: `Bytes uploaded and downloaded. ${gv}`, displayFolder: "Traffic" },
        { name: "Uploaded", expression: trafficSum("UploadedBytes"), formatString: BYTES, description: `Bytes uploaded. ${gv}`, displayFolder: "Traffic" },
        { name: "Downloaded", expression: trafficSum("DownloadedBytes"), formatString: BYTES, description: `Bytes downloaded. ${gv}`, displayFolder: "Traffic" },
        { name: "Events", expression: trafficSum("TotalEvents"), formatString: COUNT, description: `Discovery events. ${gv}`, displayFolder: "Traffic" },
        { name: "Blocked events", expression: trafficSum("BlockedEvents"), formatString: COUNT, description: `Blocked events. ${gv}`, displayFolder: "Traffic" },
        { name: "Blocked share", expression: "DIVIDE([Blocked events], [Events])", formatString: "0.0%", description: "Blocked events as a share of all events.", displayFolder: "Traffic" },
        { name: "Apps", expression: `DISTINCTCOUNT('${TABLE.appDaily}'[AppId])`, formatString: COUNT, description: "Distinct apps with traffic.", displayFolder: "Apps and users" },
        {
            name: "App users (lower bound)",
            expression: [
                `IF(`,
                `    ISFILTERED('${TABLE.user}'),`,
                `    DISTINCTCOUNT('${TABLE.userAppDaily}'[UserKey]),`,
                `    MAXX(SUMMARIZE('${TABLE.appDaily}', '${TABLE.appDaily}'[Date], '${TABLE.appDaily}'[StreamName], '${TABLE.appDaily}'[AppId]), CALCULATE(SUM('${TABLE.appDaily}'[Users])))`,
                `)`,
            ].join("\n"),
            formatString: COUNT,
            description: "The largest exact distinct-user count of one app in one stream on one day within the filter: exact for one app, stream and day, otherwise a lower bound of the distinct users. With users selected: the exact count of them using high-risk or unsanctioned apps. The visual's Users role takes it.",
            displayFolder: "Apps and users",
        },
        {
            name: "Users per app",
            expression: usersPerAppExpression(),
            formatString: COUNT,
            description: "The app's exact distinct users, blank where the model cannot know them: on one day, the Global view row's count (the Global view holds every stream's users) or, without it, the one stream's; with users selected, those using the app when it is high-risk or unsanctioned. Several days or several apps: blank (users are kept per app and day only). The visual's Users per app role takes it; where it is blank the visual shows App users (lower bound) as \"at least\".",
            displayFolder: "Apps and users",
        },
    ];
    return {
        name: TABLE.appDaily, description: "Defender for Cloud Apps traffic per UTC day, discovery stream and app.", columns, measures,
        source: pick(from, () => rangeQuery("Traffic per day, stream and app", appDailyKql, mColumns(columns)), dir => appDailyFolder(dir, mColumns(columns))), refreshPolicy: policy,
    };
}

/**
 * A category's exact distinct users where Category Daily can give them, else BLANK: on one day, the Global view
 * row's count or, without it, the one stream's, as for apps. The category is the one of the App table's filter
 * (TREATAS), so a visual row grouped by category and app still counts the whole category, the users of all its apps.
 * Category Daily has no user: blank while users are selected.
 */
export function usersPerCategoryExpression(): string {
    const t = `'${TABLE.categoryDaily}'`;
    return [
        `IF(`,
        `    NOT ISFILTERED('${TABLE.user}'),`,
        `    CALCULATE(`,
        `        IF(`,
        `            COUNTROWS(VALUES(${t}[Date])) = 1 && COUNTROWS(VALUES(${t}[AppCategory])) = 1,`,
        `            VAR GlobalUsers = CALCULATE(SUM(${t}[Users]), KEEPFILTERS(${t}[StreamName] = "${GLOBAL_VIEW_STREAM}"))`,
        `            RETURN IF(NOT ISBLANK(GlobalUsers), GlobalUsers, IF(COUNTROWS(VALUES(${t}[StreamName])) = 1, SUM(${t}[Users])))`,
        `        ),`,
        `        TREATAS(VALUES('${TABLE.app}'[AppCategory]), ${t}[AppCategory])`,
        `    )`,
        `)`,
    ].join("\n");
}

function categoryDailyTable(policy: RefreshPolicyDef, from: Source): TableDef {
    const columns: ColumnDef[] = [
        DAY_COLUMN("traffic"),
        key("StreamName", "Discovery stream."),
        key("AppCategory", "App category, as the traffic's rows name it."),
        amount("Users", "Exact distinct users of the category in the stream that day (not additive across days, categories or streams)."),
    ];
    return {
        name: TABLE.categoryDaily,
        description: "Distinct users per UTC day, discovery stream and app category: the exact users of one category on one day.",
        columns,
        measures: [{
            name: "Users per category",
            expression: usersPerCategoryExpression(),
            formatString: COUNT,
            description: "The app category's exact distinct users, blank where the model cannot know them: on one day, the Global view row's count (the Global view holds every stream's users) or, without it, the one stream's. Several days or categories: blank. Blank while users are selected. The visual's Users per category role takes it.",
            displayFolder: "Apps and users",
        }],
        source: pick(from, () => rangeQuery("Distinct users per day, stream and app category", categoryDailyKql, mColumns(columns)), dir => categoryDailyFolder(dir, mColumns(columns))),
        refreshPolicy: policy,
    };
}

function userDailyTable(policy: RefreshPolicyDef, from: Source): TableDef {
    const columns: ColumnDef[] = [
        DAY_COLUMN("traffic"),
        key("StreamName", "Discovery stream."),
        key("UserKey", "User name in lower case."),
        amount("TotalEvents", "Events of the user in the stream that day."),
        amount("TotalBytes", "Bytes of the user in the stream that day."),
        amount("Apps", "Exact distinct apps of the user in the stream that day."),
    ];
    return {
        name: TABLE.userDaily, description: "Defender for Cloud Apps traffic per UTC day, stream and user: the exact distinct users of any day range, stream or user selection.", columns,
        measures: [
            { name: "Users", expression: `DISTINCTCOUNT('${TABLE.userDaily}'[UserKey])`, formatString: COUNT, description: "Exact distinct users with discovered traffic (any days, streams and users; app filters do not apply: see App users (lower bound) and Risky app users).", displayFolder: "Apps and users" },
            {
                name: "Users per stream",
                // User Daily has no app: under an app filter (a selection in another visual) its count would ignore it.
                expression: `IF(NOT ISCROSSFILTERED('${TABLE.app}'), [Users])`,
                formatString: COUNT,
                description: "The stream's exact distinct users; blank while apps are filtered, which User Daily cannot follow. The visual's Users per stream role takes it.",
                displayFolder: "Apps and users",
            },
            {
                name: "Users (total)",
                // ALLSELECTED() drops the visual's own groupings, so every row of the visual carries the same total.
                expression: `CALCULATE(IF(NOT ISCROSSFILTERED('${TABLE.app}'), [Users]), ALLSELECTED())`,
                formatString: COUNT,
                description: "Exact distinct users of everything a visual shows, the same on each of its rows; blank while apps are filtered from outside the visual. The visual's Users (total) role takes it.",
                displayFolder: "Apps and users",
            },
        ],
        source: pick(from, () => rangeQuery("Traffic per day, stream and user", userDailyKql, mColumns(columns)), dir => userDailyFolder(dir, mColumns(columns))), refreshPolicy: policy,
    };
}

function userAppDailyTable(policy: RefreshPolicyDef, from: Source): TableDef {
    const columns: ColumnDef[] = [
        DAY_COLUMN("traffic"),
        key("UserKey", "User name in lower case."),
        key("AppId", "Defender for Cloud Apps app ID."),
        amount("TotalEvents", "Events of the user with the app that day."),
        amount("BlockedEvents", "Blocked events."),
        amount("UploadedBytes", "Bytes the user uploaded to the app that day."),
        amount("DownloadedBytes", "Bytes the user downloaded from the app that day."),
        amount("TotalBytes", "Bytes uploaded and downloaded."),
    ];
    const t = `'${TABLE.userAppDaily}'`;
    const flagged = `CALCULATE(SUM('${TABLE.signins}'[FailedSignIns]) + SUM('${TABLE.signins}'[RiskySignIns]))`;
    return {
        name: TABLE.userAppDaily,
        description: "Per UTC day, user and app: only high-risk (score 0-3) or unsanctioned apps; the Global view stream alone when the day has it, else the sum of the streams.",
        columns,
        measures: [
            { name: "Risky app users", expression: `DISTINCTCOUNT(${t}[UserKey])`, formatString: COUNT, description: "Exact distinct users of high-risk or unsanctioned apps.", displayFolder: "Apps and users" },
            { name: "Risky app traffic", expression: `SUM(${t}[TotalBytes])`, formatString: BYTES, description: "Bytes to and from high-risk or unsanctioned apps.", displayFolder: "Traffic" },
            { name: "Risky app uploads", expression: `SUM(${t}[UploadedBytes])`, formatString: BYTES, description: "Bytes uploaded to high-risk or unsanctioned apps.", displayFolder: "Traffic" },
            {
                name: "Flagged user risky app traffic",
                expression: `IF(${flagged} > 0, [Risky app traffic])`,
                formatString: BYTES,
                description: "Traffic to high-risk or unsanctioned apps, shown only for users with failed or risky sign-ins in the same period.",
                displayFolder: "Identity",
            },
        ],
        source: pick(from, () => rangeQuery("High-risk or unsanctioned app traffic per day, user and app", userAppDailyKql, mColumns(columns)), dir => userAppDailyFolder(dir, mColumns(columns))), refreshPolicy: policy,
    };
}

function seen(from: Source, what: string, days: number): string {
    return from.folder === undefined ? `${what} seen in the last ${days} days` : `${what} in the export folder`;
}

function appTable(days: number, from: Source): TableDef {
    const columns: ColumnDef[] = [
        { ...key("AppId", "Defender for Cloud Apps app ID."), isKey: true },
        attribute("AppName", "App name."),
        attribute("AppCategory", "App category."),
        { ...attribute("AppScore", "Defender for Cloud Apps risk score, 0 (riskiest) to 10.", "int64"), formatString: "0" },
        attribute("AppTags", "App tags as Defender wrote them (a JSON array)."),
        attribute("Sanction", "Sanctioned, Unsanctioned or None, from the app's tags."),
        attribute("CustomTags", "The app's tags other than sanctioned and unsanctioned, comma-separated."),
        attribute("RiskBand", "High (score 0-3), Medium (4-7), Low (8-10) or Unscored."),
    ];
    return {
        name: TABLE.app, description: `${seen(from, "Apps", days)}, with their latest name, category, score and tags.`, columns, measures: [],
        source: pick(from, () => lookbackQuery(`Apps seen in the last ${days} days`, appKql(days), days, mColumns(columns)), dir => appFolder(dir, mColumns(columns))),
    };
}

function userTable(days: number, from: Source): TableDef {
    const columns: ColumnDef[] = [
        { ...key("UserKey", "User name in lower case: the key shared with SigninLogs and SecurityAlert."), isKey: true },
        attribute("DisplayName", "The user's enriched name (Entra ID) when Defender has one, else the user name."),
    ];
    return {
        name: TABLE.user, description: `${seen(from, "Users", days)}.`, columns, measures: [],
        source: pick(from, () => lookbackQuery(`Users seen in the last ${days} days`, userKql(days), days, mColumns(columns)), dir => userFolder(dir, mColumns(columns))),
    };
}

function streamTable(days: number, from: Source): TableDef {
    const columns: ColumnDef[] = [{ ...key("StreamName", "Discovery stream name."), isKey: true }];
    return {
        name: TABLE.stream, description: `${seen(from, "Discovery streams", days)}.`, columns, measures: [],
        source: pick(from, () => lookbackQuery(`Streams seen in the last ${days} days`, streamKql(days), days, mColumns(columns)), dir => streamFolder(dir, mColumns(columns))),
    };
}

function dateTable(days: number): TableDef {
    return {
        name: TABLE.date, description: "One row per UTC day: the model's date table.", dataCategory: "Time", measures: [],
        columns: [
            { ...DAY_COLUMN("calendar"), isKey: true },
            attribute("Month", "yyyy-MM."),
            attribute("Weekday", "Mon to Sun."),
        ],
        source: dateTableQuery(days),
    };
}

function alertTable(policy: RefreshPolicyDef, from: Source): TableDef {
    const columns: ColumnDef[] = [
        DAY_COLUMN("alert"),
        { name: "TimeGenerated", dataType: "dateTime", description: "When the alert was generated (UTC).", formatString: "yyyy-mm-dd hh:nn", summarizeBy: "none" },
        key("SystemAlertId", "Alert ID."),
        attribute("AlertName", "Alert name."),
        attribute("AlertSeverity", "High, Medium, Low or Informational."),
        attribute("Status", "Alert status."),
        key("UserKey", "The compromised entity in lower case (a user principal name for discovery alerts)."),
    ];
    return {
        name: TABLE.alerts, description: "Defender for Cloud Apps alerts (ProductName Microsoft Cloud App Security), latest version of each.", columns,
        measures: [{ name: "Alerts", expression: `DISTINCTCOUNT('${TABLE.alerts}'[SystemAlertId])`, formatString: COUNT, description: "Distinct Defender for Cloud Apps alerts.", displayFolder: "Identity" }],
        source: pick(from, () => rangeQuery("Defender for Cloud Apps alerts", alertKql, mColumns(columns)), dir => alertFolder(dir, mColumns(columns))), refreshPolicy: policy,
    };
}

function signinTable(policy: RefreshPolicyDef, from: Source): TableDef {
    const columns: ColumnDef[] = [
        DAY_COLUMN("sign-ins"),
        key("UserKey", "User principal name in lower case."),
        amount("SignIns", "Interactive sign-ins."),
        amount("FailedSignIns", "Sign-ins with a ResultType other than 0."),
        amount("RiskySignIns", "Sign-ins with a risk level during sign-in of low, medium or high."),
    ];
    const t = `'${TABLE.signins}'`;
    return {
        name: TABLE.signins, description: "Entra ID interactive sign-ins per UTC day and user.", columns,
        measures: [
            { name: "Sign-ins", expression: `SUM(${t}[SignIns])`, formatString: COUNT, description: "Interactive sign-ins.", displayFolder: "Identity" },
            { name: "Failed sign-ins", expression: `SUM(${t}[FailedSignIns])`, formatString: COUNT, description: "Sign-ins that failed (ResultType other than 0).", displayFolder: "Identity" },
            { name: "Risky sign-ins", expression: `SUM(${t}[RiskySignIns])`, formatString: COUNT, description: "Sign-ins Entra ID rated low, medium or high risk.", displayFolder: "Identity" },
        ],
        source: pick(from, () => rangeQuery("Interactive sign-ins per day and user", signinKql, mColumns(columns)), dir => signinFolder(dir, mColumns(columns))), refreshPolicy: policy,
    };
}

/** Relationship IDs are fixed, so that the same options give byte-identical projects. */
function relationships(): RelationshipDef[] {
    const rel = (n: number, fromTable: string, fromColumn: string, toTable: string, toColumn: string): RelationshipDef => ({
        id: `5d1e7a20-0000-4000-8000-${String(n).padStart(12, "0")}`, fromTable, fromColumn, toTable, toColumn,
    });
    return [
        rel(1, TABLE.appDaily, "Date", TABLE.date, "Date"),
        rel(2, TABLE.appDaily, "AppId", TABLE.app, "AppId"),
        rel(3, TABLE.appDaily, "StreamName", TABLE.stream, "StreamName"),
        rel(4, TABLE.userDaily, "Date", TABLE.date, "Date"),
        rel(5, TABLE.userDaily, "UserKey", TABLE.user, "UserKey"),
        rel(6, TABLE.userDaily, "StreamName", TABLE.stream, "StreamName"),
        rel(7, TABLE.userAppDaily, "Date", TABLE.date, "Date"),
        rel(8, TABLE.userAppDaily, "UserKey", TABLE.user, "UserKey"),
        rel(9, TABLE.userAppDaily, "AppId", TABLE.app, "AppId"),
        rel(10, TABLE.alerts, "Date", TABLE.date, "Date"),
        rel(11, TABLE.alerts, "UserKey", TABLE.user, "UserKey"),
        rel(12, TABLE.signins, "Date", TABLE.date, "Date"),
        rel(13, TABLE.signins, "UserKey", TABLE.user, "UserKey"),
        rel(14, TABLE.categoryDaily, "Date", TABLE.date, "Date"),
        rel(15, TABLE.categoryDaily, "StreamName", TABLE.stream, "StreamName"),
    ];
}

export function buildSemanticModel(options: ModelOptions): SemanticModelDef {
    const dimensionDays = options.policy.rollingWindowDays + 1;
    const from: Source = { folder: options.fromFolder };
    const meta = (type: string) => `meta [IsParameterQuery = true, Type = "${type}", IsParameterQueryRequired = true]`;
    return {
        parameters: [
            {
                name: WORKSPACE_PARAMETER, resultType: "Text",
                description: options.fromFolder === undefined
                    ? "The Log Analytics workspace ID of your Microsoft Sentinel workspace (a GUID): Azure portal > Log Analytics workspaces > your workspace > Overview > Workspace ID. The only value to change."
                    : "The Log Analytics workspace ID (a GUID): the export folder's subfolder of that name is read.",
                expression: `${mText(options.workspace)} ${meta("Text")}`,
            },
            {
                name: RANGE_START, resultType: "DateTime",
                description: "First instant loaded, UTC (inclusive). Incremental refresh sets it per partition in the service.",
                expression: `${mDatetime(options.range.start)} ${meta("DateTime")}`,
            },
            {
                name: RANGE_END, resultType: "DateTime",
                description: "End of the data loaded, UTC (exclusive). Incremental refresh sets it per partition in the service.",
                expression: `${mDatetime(options.range.end)} ${meta("DateTime")}`,
            },
        ],
        tables: [
            appDailyTable(options.policy, from),
            userDailyTable(options.policy, from),
            userAppDailyTable(options.policy, from),
            appTable(dimensionDays, from),
            userTable(dimensionDays, from),
            streamTable(dimensionDays, from),
            dateTable(dimensionDays),
            alertTable(options.policy, from),
            signinTable(options.policy, from),
            categoryDailyTable(options.policy, from),
        ],
        relationships: relationships(),
    };
}
