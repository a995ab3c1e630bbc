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
    Visual_Note_Stalled: "Power BI stopped sending rows: the charts show the first {rows}. To load the rest, refresh the visual (reopen the page or change a filter)",
    Visual_Note_Refused: "Power BI declined to send more rows: the charts show the first {rows}. To load the rest, refresh the visual (reopen the page or change a filter)",
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
    Visual_Users: "{count} users",
    Visual_User: "1 user",
    Visual_Field_UsersTotal: "Users (total)",
    Visual_Field_UsersPerApp: "Users per app",
    Visual_Field_UsersPerCategory: "Users per category",
    Visual_Field_UsersPerStream: "Users per stream",
    Visual_Field_IpAddressesTotal: "IP addresses (total)",
    Visual_Warning_LowerBounds: "Some user counts are lower bounds (\"at least\")",
    Visual_Warning_Fields: "Some count fields do not give distinct counts",
    Visual_Warning_LowerBound_Total: "{field} in the key figures is a lower bound: distinct counts do not add up across the rows Power BI sends, so the figure is the largest row's. Bind a measure that counts them over the whole visual to {exactField}, e.g. CALCULATE(DISTINCTCOUNT(McasShadowItReporting[{column}]), ALLSELECTED(McasShadowItReporting)).",
    Visual_Warning_LowerBound_App: "Users of the top apps are lower bounds (the largest of each app's rows). Bind a measure that counts each app's users to Users per app, e.g. CALCULATE(DISTINCTCOUNT(McasShadowItReporting[UserName]), ALLSELECTED(McasShadowItReporting), VALUES(McasShadowItReporting[AppName])).",
    Visual_Warning_LowerBound_Band: "Users of the risk bands are lower bounds (the largest app of the band): the users of a band's apps overlap, and its score thresholds are set in this visual, where no measure can read them.",
    Visual_Warning_Inconsistent: "{field} has different values on rows of the same item, so it is not that item's count and is not used: its measure must ignore the other fields of the visual (ALLSELECTED) and keep only its own.",
    Visual_Warning_NotDistinct: "{field} is summarized as {aggregation}, which counts rows rather than distinct values, so its figures are not shown: choose Count (Distinct) in the field's menu in the field well.",
    Visual_Summarization_Count: "Count",
    Visual_Summarization_First: "First",
    Visual_Summarization_Last: "Last",
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
