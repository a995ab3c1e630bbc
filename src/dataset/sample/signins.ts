// SigninLogs rows: Entra ID interactive sign-ins of the sample tenant's users.
import { resolveSampleOptions, signinCount, type SampleOptions } from "./options.ts";
import { Rng, WeightedPicker } from "./prng.ts";
import { buildTenant } from "./mcas.ts";
import { timestamps } from "./timeline.ts";

export interface DeviceDetail {
    deviceId: string;
    displayName: string;
    operatingSystem: string;
    browser: string;
    isCompliant: boolean;
    isManaged: boolean;
    trustType: string;
}

export interface LocationDetails {
    city: string;
    state: string;
    countryOrRegion: string;
    geoCoordinates: { latitude: number; longitude: number };
}

export interface SigninRow {
    TenantId: string;
    TimeGenerated: Date;
    OperationName: string;
    ResultType: string;
    ResultDescription: string;
    UserPrincipalName: string;
    UserDisplayName: string;
    UserId: string;
    AppDisplayName: string;
    AppId: string;
    IPAddress: string;
    Location: string;
    ClientAppUsed: string;
    ConditionalAccessStatus: "success" | "failure" | "notApplied";
    IsInteractive: boolean;
    RiskLevelDuringSignIn: "none" | "low" | "medium" | "high";
    RiskState: "none" | "atRisk" | "remediated" | "dismissed";
    DeviceDetail: DeviceDetail;
    LocationDetails: LocationDetails;
    CorrelationId: string;
    SourceSystem: string;
    Type: "SigninLogs";
}

// Entra ID application IDs of first-party apps are well known; the others are fictional registrations.
const SIGNIN_APPS: readonly { name: string; appId: string; weight: number }[] = [
    { name: "Office 365 Exchange Online", appId: "00000002-0000-0ff1-ce00-000000000000", weight: 30 },
    { name: "Microsoft Teams", appId: "1fec8e78-bce4-4aaf-ab1b-5451cc387264", weight: 25 },
    { name: "Office 365 SharePoint Online", appId: "00000003-0000-0ff1-ce00-000000000000", weight: 18 },
    { name: "Salesforce", appId: "4b2c7e1a-61d5-4a3e-9f0e-7d25c1f8a901", weight: 8 },
    { name: "Zoom", appId: "b3a1f4c2-0d6e-4e57-8a19-2c4f7d9e6b10", weight: 7 },
    { name: "Box", appId: "c6d2e8f1-3a4b-4c5d-9e7f-1a2b3c4d5e6f", weight: 4 },
    { name: "Slack", appId: "d9e8f7a6-b5c4-4d3e-8f2a-1b0c9d8e7f6a", weight: 5 },
    { name: "GitHub Enterprise Cloud", appId: "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b", weight: 5 },
    { name: "ServiceNow", appId: "f0e1d2c3-b4a5-4968-8776-655443322110", weight: 3 },
];

const FAILURES: readonly { code: string; description: string; weight: number }[] = [
    { code: "50126", description: "Error validating credentials due to invalid username or password.", weight: 45 },
    { code: "50074", description: "Strong Authentication is required.", weight: 25 },
    { code: "53003", description: "Access has been blocked by Conditional Access policies.", weight: 12 },
    { code: "50053", description: "Account is locked because the user tried to sign in too many times.", weight: 6 },
    { code: "50076", description: "Due to a configuration change, you must use multi-factor authentication.", weight: 12 },
];

const DEVICES: readonly { os: string; browser: string; client: string; weight: number }[] = [
    { os: "Windows 11", browser: "Edge 131.0.0", client: "Browser", weight: 40 },
    { os: "Windows 10", browser: "Chrome 131.0.0", client: "Browser", weight: 18 },
    { os: "MacOs", browser: "Safari 18.1", client: "Browser", weight: 10 },
    { os: "Windows 11", browser: "Rich Client 5.2.0", client: "Mobile Apps and Desktop clients", weight: 20 },
    { os: "Ios 18.1", browser: "Mobile Safari 18.1", client: "Mobile Apps and Desktop clients", weight: 7 },
    { os: "Android 15", browser: "Chrome Mobile 131.0.0", client: "Mobile Apps and Desktop clients", weight: 5 },
];

const CITY_COORDINATES: Readonly<Record<string, { state: string; latitude: number; longitude: number }>> = {
    "Seattle": { state: "Washington", latitude: 47.606, longitude: -122.332 },
    "New York": { state: "New York", latitude: 40.713, longitude: -74.006 },
    "London": { state: "England", latitude: 51.507, longitude: -0.128 },
    "Munich": { state: "Bavaria", latitude: 48.137, longitude: 11.575 },
    "Paris": { state: "Ile-de-France", latitude: 48.857, longitude: 2.352 },
    "Bengaluru": { state: "Karnataka", latitude: 12.972, longitude: 77.594 },
    "Tokyo": { state: "Tokyo", latitude: 35.676, longitude: 139.65 },
    "São Paulo": { state: "Sao Paulo", latitude: -23.551, longitude: -46.633 },
};

/** A few thousand sign-ins (a fifth of the discovery row count) for the same users and time range. */
export function* signinRows(opts: SampleOptions = {}): Generator<SigninRow> {
    const o = resolveSampleOptions(opts);
    const tenant = buildTenant(o.seed);
    const count = signinCount(o.rows);
    const rng = new Rng(o.seed, `signins:${o.rows}:${o.days}:${o.endMs}`);
    const pickApp = new WeightedPicker(SIGNIN_APPS, SIGNIN_APPS.map(a => a.weight));
    const pickFailure = new WeightedPicker(FAILURES, FAILURES.map(f => f.weight));
    const pickDevice = new WeightedPicker(DEVICES, DEVICES.map(d => d.weight));
    for (const time of timestamps(count, o.startMs, o.endMs, new Rng(o.seed, `signins-time:${o.rows}:${o.days}:${o.endMs}`))) {
        const user = tenant.pickUser.pick(rng);
        const app = pickApp.pick(rng);
        const device = pickDevice.pick(rng);
        const failed = rng.chance(0.06);
        const failure = failed ? pickFailure.pick(rng) : undefined;
        const risk: SigninRow["RiskLevelDuringSignIn"] = rng.chance(0.96) ? "none" : rng.pick(["low", "low", "medium", "high"] as const);
        const place = CITY_COORDINATES[user.city] ?? { state: "", latitude: 0, longitude: 0 };
        const managed = !device.os.startsWith("Android") && !device.os.startsWith("Ios");
        yield {
            TenantId: o.workspaceId,
            TimeGenerated: new Date(time),
            OperationName: "Sign-in activity",
            ResultType: failure ? failure.code : "0",
            ResultDescription: failure ? failure.description : "",
            UserPrincipalName: user.userPrincipalName,
            UserDisplayName: user.displayName,
            UserId: user.userId,
            AppDisplayName: app.name,
            AppId: app.appId,
            IPAddress: user.publicIp,
            Location: user.country,
            ClientAppUsed: device.client,
            ConditionalAccessStatus: failure?.code === "53003" ? "failure" : rng.chance(0.85) ? "success" : "notApplied",
            IsInteractive: true,
            RiskLevelDuringSignIn: risk,
            RiskState: risk === "none" ? "none" : rng.pick(["atRisk", "remediated", "dismissed"] as const),
            DeviceDetail: {
                deviceId: managed ? rng.guid() : "",
                displayName: managed ? `CONTOSO-${user.department.slice(0, 3).toUpperCase()}-${rng.int(1000, 9999)}` : "",
                operatingSystem: device.os,
                browser: device.browser,
                isCompliant: managed && rng.chance(0.95),
                isManaged: managed,
                trustType: managed ? "Azure AD joined" : "",
            },
            LocationDetails: {
                city: user.city,
                state: place.state,
                countryOrRegion: user.country,
                geoCoordinates: { latitude: place.latitude, longitude: place.longitude },
            },
            CorrelationId: rng.guid(),
            SourceSystem: "Azure AD",
            Type: "SigninLogs",
        };
    }
}
