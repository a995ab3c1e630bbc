// Shared by the visual and the companion: no DOM, no Node.

export type LogAnalyticsType =
    | "string" | "int" | "long" | "real" | "datetime" | "bool" | "guid" | "timespan" | "dynamic" | "decimal";

export interface ColumnSchema {
    readonly name: string;
    readonly type: LogAnalyticsType;
}

export interface TableSchema {
    readonly name: string;
    readonly columns: readonly ColumnSchema[];
}

export const MCAS_SHADOW_IT_REPORTING: TableSchema = {
    name: "McasShadowItReporting",
    columns: [
        { name: "TenantId", type: "string" },
        { name: "SourceSystem", type: "string" },
        { name: "TimeGenerated", type: "datetime" },
        { name: "StreamName", type: "string" },
        { name: "TotalEvents", type: "long" },
        { name: "BlockedEvents", type: "long" },
        { name: "UploadedBytes", type: "long" },
        { name: "TotalBytes", type: "long" },
        { name: "DownloadedBytes", type: "long" },
        { name: "IpAddress", type: "string" },
        { name: "UserName", type: "string" },
        { name: "EnrichedUserName", type: "string" },
        { name: "AppName", type: "string" },
        { name: "AppId", type: "int" },
        { name: "AppCategory", type: "string" },
        { name: "AppTags", type: "dynamic" },
        { name: "AppScore", type: "int" },
        { name: "Type", type: "string" },
    ],
};

/**
 * McasShadowItReporting as the Azure Monitor Logs table reference lists it ("Azure Monitor Logs reference -
 * McasShadowItReporting", https://learn.microsoft.com/azure/azure-monitor/reference/tables/mcasshadowitreporting,
 * ms.date 3/23/2023): AppId is a string there (the Defender for Cloud Apps doc says integer), the counters and byte
 * columns are int, and it adds AadTenantId, AppInstance, Date, MachineId, MachineName, RawUserName and RichUserName.
 * The reference lists the columns alphabetically, which is the order kept here; a workspace may return another
 * order, and the companion keeps whatever order it gets. The emulator serves this variant on request.
 */
export const MCAS_SHADOW_IT_REPORTING_AZURE_MONITOR: TableSchema = {
    name: "McasShadowItReporting",
    columns: [
        { name: "AadTenantId", type: "string" },
        { name: "AppCategory", type: "string" },
        { name: "AppId", type: "string" },
        { name: "AppInstance", type: "string" },
        { name: "AppName", type: "string" },
        { name: "AppScore", type: "int" },
        { name: "AppTags", type: "dynamic" },
        { name: "BlockedEvents", type: "int" },
        { name: "Date", type: "datetime" },
        { name: "DownloadedBytes", type: "int" },
        { name: "EnrichedUserName", type: "string" },
        { name: "IpAddress", type: "string" },
        { name: "MachineId", type: "string" },
        { name: "MachineName", type: "string" },
        { name: "RawUserName", type: "string" },
        { name: "RichUserName", type: "string" },
        { name: "SourceSystem", type: "string" },
        { name: "StreamName", type: "string" },
        { name: "TenantId", type: "string" },
        { name: "TimeGenerated", type: "datetime" },
        { name: "TotalBytes", type: "int" },
        { name: "TotalEvents", type: "int" },
        { name: "Type", type: "string" },
        { name: "UploadedBytes", type: "int" },
        { name: "UserName", type: "string" },
    ],
};

/**
 * Which published schema of McasShadowItReporting a table set follows: "defender" (the Defender for Cloud Apps
 * doc, the companion's expected schema) or "azure-monitor" (the Azure Monitor table reference).
 */
export type SchemaVariant = "defender" | "azure-monitor";
export const SCHEMA_VARIANTS: readonly SchemaVariant[] = ["defender", "azure-monitor"];

/** The Defender for Cloud Apps alert columns the companion reads and the sample tenant writes. */
export const SECURITY_ALERT: TableSchema = {
    name: "SecurityAlert",
    columns: [
        { name: "TenantId", type: "string" },
        { name: "TimeGenerated", type: "datetime" },
        { name: "DisplayName", type: "string" },
        { name: "AlertName", type: "string" },
        { name: "AlertSeverity", type: "string" },
        { name: "Description", type: "string" },
        { name: "ProviderName", type: "string" },
        { name: "VendorName", type: "string" },
        { name: "VendorOriginalId", type: "string" },
        { name: "SystemAlertId", type: "string" },
        { name: "ProductName", type: "string" },
        { name: "AlertType", type: "string" },
        { name: "ConfidenceLevel", type: "string" },
        { name: "Status", type: "string" },
        { name: "CompromisedEntity", type: "string" },
        { name: "StartTime", type: "datetime" },
        { name: "EndTime", type: "datetime" },
        { name: "Entities", type: "string" },
        { name: "ExtendedProperties", type: "string" },
        { name: "Tactics", type: "string" },
        { name: "SourceSystem", type: "string" },
        { name: "Type", type: "string" },
    ],
};

/** The Entra ID interactive sign-in columns the companion reads and the sample tenant writes. */
export const SIGNIN_LOGS: TableSchema = {
    name: "SigninLogs",
    columns: [
        { name: "TenantId", type: "string" },
        { name: "TimeGenerated", type: "datetime" },
        { name: "OperationName", type: "string" },
        { name: "ResultType", type: "string" },
        { name: "ResultDescription", type: "string" },
        { name: "UserPrincipalName", type: "string" },
        { name: "UserDisplayName", type: "string" },
        { name: "UserId", type: "string" },
        { name: "AppDisplayName", type: "string" },
        { name: "AppId", type: "string" },
        { name: "IPAddress", type: "string" },
        { name: "Location", type: "string" },
        { name: "ClientAppUsed", type: "string" },
        { name: "ConditionalAccessStatus", type: "string" },
        { name: "IsInteractive", type: "bool" },
        { name: "RiskLevelDuringSignIn", type: "string" },
        { name: "RiskState", type: "string" },
        { name: "DeviceDetail", type: "dynamic" },
        { name: "LocationDetails", type: "dynamic" },
        { name: "CorrelationId", type: "string" },
        { name: "SourceSystem", type: "string" },
        { name: "Type", type: "string" },
    ],
};

/** The Entra connector's other tables: named so that messages can tell them apart from typos. */
export const ENTRA_TABLE_NAMES = [
    "SigninLogs", "AuditLogs", "AADNonInteractiveUserSignInLogs", "AADServicePrincipalSignInLogs",
    "AADManagedIdentitySignInLogs", "AADProvisioningLogs",
] as const;

/** How a table a workspace returns differs from the schema the companion expects. */
export interface SchemaDifference {
    /** Columns the workspace has that the expected schema does not list, in the workspace's order. */
    readonly extra: readonly ColumnSchema[];
    /** Expected columns the workspace lacks. */
    readonly missing: readonly ColumnSchema[];
    /** Columns of both whose types differ. */
    readonly retyped: readonly { readonly name: string; readonly expected: LogAnalyticsType; readonly actual: string }[];
}

/** Compares a workspace's columns (name and type as the service reports them) with the expected schema. */
export function compareSchema(expected: TableSchema, actual: readonly { readonly name: string; readonly type: string }[]): SchemaDifference {
    const expectedByName = new Map(expected.columns.map(c => [c.name, c]));
    const actualNames = new Set(actual.map(c => c.name));
    const extra: ColumnSchema[] = [];
    const retyped: { name: string; expected: LogAnalyticsType; actual: string }[] = [];
    for (const column of actual) {
        const known = expectedByName.get(column.name);
        if (!known) extra.push({ name: column.name, type: asLogAnalyticsType(column.type) });
        else if (known.type !== column.type) retyped.push({ name: column.name, expected: known.type, actual: column.type });
    }
    return { extra, missing: expected.columns.filter(c => !actualNames.has(c.name)), retyped };
}

const LOG_ANALYTICS_TYPES: readonly LogAnalyticsType[] = ["string", "int", "long", "real", "datetime", "bool", "guid", "timespan", "dynamic", "decimal"];

/**
 * A type name as the query API reports it, as a LogAnalyticsType. The API names types in lower case; Kusto's own
 * aliases (boolean, double, integer, uniqueidentifier, time) are mapped, and anything else is kept as text (string).
 */
export function asLogAnalyticsType(type: string): LogAnalyticsType {
    const lower = type.toLowerCase();
    if ((LOG_ANALYTICS_TYPES as readonly string[]).includes(lower)) return lower as LogAnalyticsType;
    switch (lower) {
        case "boolean": return "bool";
        case "double": return "real";
        case "integer": return "int";
        case "uniqueidentifier": return "guid";
        case "time": return "timespan";
        case "date": return "datetime";
        default: return "string";
    }
}

// Risk bands follow Defender for Cloud Apps: 10 is not risky.
export const APP_SCORE_MIN = 0;
export const APP_SCORE_MAX = 10;

export interface RiskThresholds {
    /** Highest score that is still high risk (default 3). */
    readonly highMax: number;
    /** Highest score that is still medium risk (default 7); above it is low risk. */
    readonly mediumMax: number;
}

export const DEFAULT_RISK_THRESHOLDS: RiskThresholds = { highMax: 3, mediumMax: 7 };

/** The risk bands, riskiest first: the order of the bands panel, the top apps' colours and the timeline's split. */
export const RISK_BAND_IDS = ["high", "medium", "low", "unscored"] as const;
export type RiskBandId = (typeof RISK_BAND_IDS)[number];

export function riskBandOf(score: number | null | undefined, t: RiskThresholds = DEFAULT_RISK_THRESHOLDS): RiskBandId {
    if (score === null || score === undefined || !Number.isFinite(score)) return "unscored";
    if (score < APP_SCORE_MIN || score > APP_SCORE_MAX) return "unscored";
    if (score <= t.highMax) return "high";
    if (score <= t.mediumMax) return "medium";
    return "low";
}

export type ByteUnits = "si" | "binary";

const SI_UNITS = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
const BINARY_UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

/** 4067785 → "4.07 MB" (SI) or "3.88 MiB" (binary): three significant digits, as analysts read them. */
export function formatBytes(bytes: number, units: ByteUnits = "si"): string {
    if (!Number.isFinite(bytes)) return "–";
    const base = units === "si" ? 1000 : 1024;
    const names = units === "si" ? SI_UNITS : BINARY_UNITS;
    const sign = bytes < 0 ? "-" : "";
    let value = Math.abs(bytes);
    let unit = 0;
    while (value >= base && unit < names.length - 1) {
        value /= base;
        unit++;
    }
    if (unit === 0) return `${sign}${Math.round(value)} B`;
    let digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
    let text = value.toFixed(digits);
    // 999.6 kB rounds to "1000": carry into the next unit instead.
    if (Number(text) >= base && unit < names.length - 1) {
        value /= base;
        unit++;
        digits = 2;
        text = value.toFixed(digits);
    }
    return `${sign}${text} ${names[unit]}`;
}

/** What an app's tags say of its state, in the order panels show them. */
export const TAG_CLASSES = ["sanctioned", "unsanctioned", "other"] as const;
export type TagClass = (typeof TAG_CLASSES)[number];

/** AppTags arrives as a JSON array string like `["sanctioned"]` (or, from some exports, a bare tag). */

export function parseAppTags(raw: unknown): string[] {
    if (raw === null || raw === undefined) return [];
    if (Array.isArray(raw)) return raw.filter((t): t is string => typeof t === "string");
    if (typeof raw !== "string") return [];
    const text = raw.trim();
    if (text === "") return [];
    if (text.startsWith("[")) {
        try {
            const parsed: unknown = JSON.parse(text);
            return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === "string") : [];
        } catch {
            return [];
        }
    }
    return [text];
}

/**
 * Unsanctioned wins over sanctioned when an app carries both: it is the state that needs action.
 *
 * A plain loop over the tags: the visual's fold inlines this, and array methods on a list that is sometimes empty
 * (a different array kind to the engine) would throw the whole fold out of its optimized code on every change.
 */
export function tagClassOf(tags: readonly string[]): TagClass {
    let sanctioned = false;
    for (let i = 0; i < tags.length; i++) {
        const tag = tags[i].trim().toLowerCase();
        if (tag === "unsanctioned") return "unsanctioned";
        if (tag === "sanctioned") sanctioned = true;
    }
    return sanctioned ? "sanctioned" : "other";
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(text: string): boolean {
    return GUID.test(text);
}
