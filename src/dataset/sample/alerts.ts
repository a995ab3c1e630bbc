// SecurityAlert rows: Defender for Cloud Apps alerts about the sample tenant's users.
import { alertCount, resolveSampleOptions, type SampleOptions } from "./options.ts";
import { Rng, WeightedPicker } from "./prng.ts";
import type { CatalogueApp } from "./catalogue.ts";
import { buildTenant } from "./mcas.ts";
import { timestamps } from "./timeline.ts";

export interface SecurityAlertRow {
    TenantId: string;
    TimeGenerated: Date;
    DisplayName: string;
    AlertName: string;
    AlertSeverity: "High" | "Medium" | "Low" | "Informational";
    Description: string;
    ProviderName: string;
    VendorName: string;
    VendorOriginalId: string;
    SystemAlertId: string;
    ProductName: string;
    AlertType: string;
    ConfidenceLevel: string;
    Status: "New" | "InProgress" | "Resolved";
    CompromisedEntity: string;
    StartTime: Date;
    EndTime: Date;
    Entities: string;
    ExtendedProperties: string;
    Tactics: string;
    SourceSystem: string;
    Type: "SecurityAlert";
}

interface AlertKind {
    readonly name: string;
    readonly type: string;
    readonly severity: SecurityAlertRow["AlertSeverity"];
    readonly tactics: string;
    readonly weight: number;
    readonly describe: (user: string, app: string) => string;
}

const ALERT_KINDS: readonly AlertKind[] = [
    { name: "Data exfiltration to unsanctioned apps", type: "MCAS_ALERT_CABINET_EVENT_MATCH_AUDIT", severity: "Medium", tactics: "Exfiltration", weight: 18,
        describe: (u, a) => `The user ${u} uploaded data to the unsanctioned app ${a}.` },
    { name: "Mass download by a single user", type: "MCAS_ALERT_ANUBIS_DETECTION_MASS_DOWNLOAD", severity: "Medium", tactics: "Collection", weight: 14,
        describe: (u, a) => `The user ${u} downloaded an unusual number of files from ${a} in a single session.` },
    { name: "Impossible travel activity", type: "MCAS_ALERT_ANUBIS_DETECTION_IMPOSSIBLE_TRAVEL", severity: "Medium", tactics: "InitialAccess", weight: 12,
        describe: u => `The user ${u} signed in from two distant locations within a time shorter than the travel time between them.` },
    { name: "Activity from infrequent country", type: "MCAS_ALERT_ANUBIS_DETECTION_INFREQUENT_COUNTRY", severity: "Low", tactics: "InitialAccess", weight: 16,
        describe: u => `The user ${u} performed an activity from a country not recently visited by any user in the organization.` },
    { name: "Activity from anonymous IP addresses", type: "MCAS_ALERT_ANUBIS_DETECTION_ANONYMOUS_IP", severity: "Low", tactics: "InitialAccess", weight: 10,
        describe: u => `The user ${u} performed an activity from an IP address identified as an anonymous proxy.` },
    { name: "Unusual file share activity", type: "MCAS_ALERT_ANUBIS_DETECTION_UNUSUAL_SHARE", severity: "Medium", tactics: "Exfiltration", weight: 8,
        describe: (u, a) => `The user ${u} shared an unusual number of files in ${a}.` },
    { name: "Ransomware activity", type: "MCAS_ALERT_ANUBIS_DETECTION_RANSOMWARE", severity: "High", tactics: "Impact", weight: 2,
        describe: (u, a) => `Files uploaded by ${u} to ${a} match patterns of ransomware encryption.` },
    { name: "Multiple failed login attempts", type: "MCAS_ALERT_ANUBIS_DETECTION_BRUTE_FORCE", severity: "Low", tactics: "CredentialAccess", weight: 12,
        describe: u => `The user ${u} failed to sign in several times in a single session.` },
    { name: "Suspicious inbox forwarding", type: "MCAS_ALERT_ANUBIS_DETECTION_INBOX_FORWARDING", severity: "High", tactics: "Collection", weight: 3,
        describe: u => `A rule forwarding the mailbox of ${u} to an external address was created.` },
    { name: "New risky app discovered", type: "MCAS_ALERT_DISCOVERY_NEW_RISKY_APP", severity: "Informational", tactics: "", weight: 10,
        describe: (u, a) => `The risky app ${a} was used for the first time in the organization, by ${u}.` },
];

/** A few hundred alerts (1.5 % of the discovery row count) for the same users and time range. */
export function* securityAlertRows(opts: SampleOptions = {}): Generator<SecurityAlertRow> {
    const o = resolveSampleOptions(opts);
    const tenant = buildTenant(o.seed);
    const count = alertCount(o.rows, o.days);
    const rng = new Rng(o.seed, `alerts:${o.rows}:${o.days}:${o.endMs}`);
    const pickKind = new WeightedPicker(ALERT_KINDS, ALERT_KINDS.map(k => k.weight));
    const isRisky = (app: CatalogueApp) => app.score <= 4 || app.tags.includes("unsanctioned");
    const riskyApps = tenant.apps.filter(isRisky);
    // Alerts about an app are mostly about one the user actually uses.
    const ownRiskyApps = new Map(tenant.users.map((user, i) => [user, (tenant.habits[i]?.apps ?? []).map(p => tenant.apps[p.app] as CatalogueApp).filter(isRisky)]));
    for (const time of timestamps(count, o.startMs, o.endMs, new Rng(o.seed, `alerts-time:${o.rows}:${o.days}:${o.endMs}`))) {
        const kind = pickKind.pick(rng);
        const user = tenant.pickUser.pick(rng);
        const own = ownRiskyApps.get(user) ?? [];
        const app = own.length > 0 && rng.chance(0.8) ? rng.pick(own) : rng.pick(riskyApps);
        const end = new Date(Math.max(o.startMs, time - rng.int(60, 1800) * 1000));
        const start = new Date(Math.max(o.startMs, end.getTime() - rng.int(60, 6 * 3600) * 1000));
        const systemAlertId = rng.guid();
        const ageDays = (o.endMs - time) / 86_400_000;
        const status: SecurityAlertRow["Status"] = ageDays > 5 ? (rng.chance(0.8) ? "Resolved" : "InProgress") : rng.chance(0.7) ? "New" : "InProgress";
        const entities = [
            { $id: "2", Name: user.userPrincipalName.split("@")[0], UPNSuffix: user.userPrincipalName.split("@")[1], AadUserId: user.userId, Type: "account" },
            { $id: "3", Address: user.publicIp, Type: "ip" },
            { $id: "4", Name: app.name, AppId: app.id, Type: "cloud-application" },
        ];
        yield {
            TenantId: o.workspaceId,
            TimeGenerated: new Date(time),
            DisplayName: kind.name,
            AlertName: kind.name,
            AlertSeverity: kind.severity,
            Description: kind.describe(user.userPrincipalName, app.name),
            ProviderName: "MCAS",
            VendorName: "Microsoft",
            VendorOriginalId: rng.nextUint32().toString(16).padStart(8, "0") + rng.nextUint32().toString(16).padStart(8, "0"),
            SystemAlertId: systemAlertId,
            ProductName: "Microsoft Cloud App Security",
            AlertType: kind.type,
            ConfidenceLevel: "Unknown",
            Status: status,
            CompromisedEntity: user.userPrincipalName,
            StartTime: start,
            EndTime: end,
            Entities: JSON.stringify(entities),
            ExtendedProperties: JSON.stringify({ "Alert Application": app.name, "App Category": app.category, "Risk Score": String(app.score) }),
            Tactics: kind.tactics,
            SourceSystem: "Detection",
            Type: "SecurityAlert",
        };
    }
}
