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

export const TABLES: readonly TableSchema[] = [MCAS_SHADOW_IT_REPORTING, SECURITY_ALERT, SIGNIN_LOGS];

/** The Entra connector's other tables: named so that messages can tell them apart from typos. */
export const ENTRA_TABLE_NAMES = [
    "SigninLogs", "AuditLogs", "AADNonInteractiveUserSignInLogs", "AADServicePrincipalSignInLogs",
    "AADManagedIdentitySignInLogs", "AADProvisioningLogs",
] as const;

export function findTable(name: string): TableSchema | undefined {
    return TABLES.find(t => t.name === name);
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

export type RiskBandId = "high" | "medium" | "low" | "unscored";

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

/** AppTags arrives as a JSON array string like `["sanctioned"]` (or, from some exports, a bare tag). */
export type TagClass = "sanctioned" | "unsanctioned" | "other";

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
