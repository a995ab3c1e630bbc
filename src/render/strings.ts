import powerbi from "powerbi-visuals-api";
import ILocalizationManager = powerbi.extensibility.ILocalizationManager;

/**
 * On-canvas text, keyed as in stringResources/<locale>/resources.resjson. The English text here is the fallback
 * when the host has no translation (it returns the key itself or an empty string).
 * Placeholders are written {name} and filled by `Strings.format`.
 */
export const ENGLISH = {
    Visual_Title: "Shadow IT Discovery",
    Visual_Dashboard: "Shadow IT Discovery dashboard",
    Visual_Panel_Kpis: "Key figures",
    Visual_Panel_CategoryTraffic: "Traffic by app category",
    Visual_Panel_RiskBands: "Risk bands",
    Visual_Panel_StreamBytes: "Upload and download by stream",
    Visual_Kpi_Apps: "Discovered apps",
    Visual_Kpi_Users: "Users",
    Visual_Kpi_IpAddresses: "IP addresses",
    Visual_Kpi_Traffic: "Traffic",
    Visual_Kpi_TrafficDetail: "uploaded {up}, downloaded {down}",
    Visual_Kpi_BlockedEvents: "Blocked events",
    Visual_Kpi_BlockedDetail: "{share} of {total} events",
    Visual_Kpi_BlockedShare: "Share of events blocked",
    Visual_AtLeast: "at least {value}",
    Visual_Tag_Sanctioned: "Sanctioned",
    Visual_Tag_Unsanctioned: "Unsanctioned",
    Visual_Tag_Other: "Other tags",
    Visual_Other: "Other",
    Visual_Blank: "(Blank)",
    Visual_Risk_High: "High risk",
    Visual_Risk_Medium: "Medium risk",
    Visual_Risk_Low: "Low risk",
    Visual_Risk_Unscored: "Unscored",
    Visual_Apps: "{count} apps",
    Visual_App: "1 app",
    Visual_UsersAtLeast: "at least {count} users",
    Visual_Uploaded: "Uploaded",
    Visual_Downloaded: "Downloaded",
    Visual_StreamLabel: "uploaded {up}, downloaded {down}",
    Visual_Highlighted: "highlighted {value}",
    Visual_Traffic: "Traffic",
    Visual_Apps_Tooltip: "Apps",
    Visual_Users_Tooltip: "Users (at least)",
    Visual_Missing: "Add {fields} to show this panel.",
    Visual_PanelsHidden: "{count} panels hidden: enlarge the visual",
    Visual_PanelHidden: "1 panel hidden: enlarge the visual",
    Visual_NoData: "No data to show for the current filters.",
    Visual_Note_Invalid: "{count} invalid values left out ({detail})",
    Visual_Note_InvalidOne: "1 invalid value left out ({detail})",
    Visual_Note_Negative: "{count} negative values left out, not netted ({detail})",
    Visual_Note_NegativeOne: "1 negative value left out, not netted ({detail})",
    Visual_Note_ChangingApps: "{count} apps changed score, category or tags: each is shown with those of most of its traffic",
    Visual_Note_ChangingApp: "1 app changed score, category or tags: it is shown with those of most of its traffic",
    Visual_Note_GlobalView: "Totals from the Global view stream alone; the streams panel shows its sources",
    Visual_Stream_GlobalView: "{name}, total of all streams: uploaded {up}, downloaded {down}",
    Visual_Note_Truncated: "{count} long names shortened",
    Visual_Note_TruncatedOne: "1 long name shortened",
    Visual_Note_RowCap: "Row limit reached: showing the first {rows} rows",
    Visual_Note_Loading: "Loading more data ({rows} rows so far)…",
    Visual_Note_LoadingShown: "Loading more data ({rows} rows so far; the charts show the first {shown})…",
    Visual_Note_RowCapBelowWindow: "Row limit {requested} is below one data window: {window} rows are loaded (set 0 for no limit, or {window} to {ceiling})",
    Visual_Tooltip_Varies: "varies by row",
    Visual_Landing_Title: "Shadow IT Discovery",
    Visual_Landing_Intro: "Drag columns of the McasShadowItReporting table into the field wells:",
    Visual_Landing_Category: "App category and Total bytes (App tags for sanctioned share) for traffic by category",
    Visual_Landing_Risk: "App score and App name for the risk bands",
    Visual_Landing_Stream: "Stream name with Uploaded bytes and Downloaded bytes for streams",
    Visual_Landing_TopApps: "App name with Total bytes for the top apps (App score, App tags, Users and Blocked events add columns)",
    Visual_Landing_Kpis: "Users, IP addresses, Total events and Blocked events for the key figures",
    Visual_Error: "This visual could not be drawn: {reason}",
    Visual_Panel_TopApps: "Top apps by traffic",
    Visual_TopApps_App: "App",
    Visual_TopApps_Category: "Category",
    Visual_TopApps_Score: "Score",
    Visual_TopApps_Status: "Status",
    Visual_TopApps_Users: "Users",
    Visual_TopApps_Blocked: "Blocked",
    Visual_TopApps_ScoreValue: "score {score}",
    Visual_TopApps_Unscored: "unscored",
    Visual_TopApps_StateSanctioned: "sanctioned",
    Visual_TopApps_StateUnsanctioned: "unsanctioned",
    Visual_TopApps_StateOther: "other tags",
    Visual_TopApps_BlockedValue: "{count} blocked events",
    Visual_TopApps_BlockedOne: "1 blocked event",
    Visual_TopApps_Share: "Share of traffic",
    Visual_TopApps_Shown: "Top {shown} of {count} apps",
    Visual_Field_AppCategory: "App category",
    Visual_Field_AppName: "App name",
    Visual_Field_StreamName: "Stream name",
    Visual_Field_AppScore: "App score",
    Visual_Field_AppTags: "App tags",
    Visual_Field_UploadedBytes: "Uploaded bytes",
    Visual_Field_DownloadedBytes: "Downloaded bytes",
    Visual_Field_TotalBytes: "Total bytes",
    Visual_Field_TotalEvents: "Total events",
    Visual_Field_BlockedEvents: "Blocked events",
    Visual_Field_Users: "Users",
    Visual_Field_IpAddresses: "IP addresses",
    Visual_Field_TimeGenerated: "Time generated",
    Visual_Field_UserName: "User name",
    Visual_Field_IpAddress: "IP address",
    Visual_Field_AppId: "App ID",
    Visual_Panel_Freshness: "Data freshness by stream",
    Visual_Landing_Freshness: "Stream name with Time generated for the last day with data of each stream",
    Visual_Freshness_DaysAgo: "last data {days} days ago ({date})",
    Visual_Freshness_OneDayAgo: "last data 1 day ago ({date})",
    Visual_Freshness_Current: "data up to {date}",
    Visual_Freshness_NoDates: "no rows with a date",
    Visual_Freshness_Stale: "stale",
    Visual_Freshness_StaleLegend: "No data for {days} days or more",
    Visual_Freshness_FreshLegend: "Sending data",
    Visual_Freshness_LastDay: "Last day with data",
    Visual_Freshness_DaysSince: "Days since",
    Visual_Freshness_DaysWithData: "Days with data",
    Visual_Freshness_ReferenceData: "Days counted from the latest day in the data, {date}",
    Visual_Freshness_ReferenceToday: "Days counted from today, {date}",
    Visual_Note_Dates: "{count} Time generated values left out of the time panels ({detail})",
    Visual_Note_DatesOne: "1 Time generated value left out of the time panels ({detail})",
    Visual_Dates_Blank: "blank",
    Visual_Dates_Number: "numbers, a date hierarchy level: bind Time generated itself, not its Date Hierarchy",
    Visual_Dates_Invalid: "not dates",
    Visual_Dates_Early: "before 2000",
    Visual_Dates_Future: "after today",
    Visual_Note_ChangingAppsLatest: "{count} apps changed score, category or tags: each is shown with those of its latest day",
    Visual_Note_ChangingAppLatest: "1 app changed score, category or tags: it is shown with those of its latest day",
    Visual_Panel_Timeline: "Traffic per day",
    Visual_Landing_Timeline: "Time generated with Total bytes (or Uploaded and Downloaded bytes) for the traffic per day",
    Visual_Timeline_NoData: "no data",
    Visual_Timeline_Users: "{count} users",
    Visual_Timeline_UsersOne: "1 user",
    Visual_Timeline_Day: "Day",
    Visual_Panel_TopUsers: "Top users by upload",
    Visual_Landing_TopUsers: "User name (or IP address) with Uploaded bytes for the top users and the daily upload flag (with Time generated, App name and App score or App tags)",
    Visual_TopUsers_Uploaded: "uploaded {value}",
    Visual_TopUsers_HighRisk: "{value} with high-risk apps",
    Visual_TopUsers_Unsanctioned: "{value} with unsanctioned apps",
    Visual_TopUsers_Flagged: "uploaded over {limit} a day to risky or unsanctioned apps on {days} days",
    Visual_TopUsers_FlaggedOne: "uploaded over {limit} a day to risky or unsanctioned apps on 1 day",
    Visual_TopUsers_Flag: "Daily upload flag",
    Visual_TopUsers_LargestDay: "Largest daily upload to risky or unsanctioned apps",
    Visual_TopUsers_Shown: "Top {shown} of {count}",
    Visual_TopUsers_AboveMedian: "uploaded {factor} times the median user's {median} or more",
} as const;

export type StringKey = keyof typeof ENGLISH;

export class Strings {
    private readonly cache = new Map<StringKey, string>();

    constructor(private readonly manager: ILocalizationManager | null, readonly locale: string) { }

    get(key: StringKey): string {
        const cached = this.cache.get(key);
        if (cached !== undefined) return cached;
        let text: string = ENGLISH[key];
        if (this.manager) {
            const localized = this.manager.getDisplayName(key);
            if (typeof localized === "string" && localized !== "" && localized !== key) text = localized;
        }
        this.cache.set(key, text);
        return text;
    }

    format(key: StringKey, values: Readonly<Record<string, string | number>>): string {
        return this.get(key).replace(/\{(\w+)\}/g, (whole, name: string) =>
            Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole);
    }
}
