// McasShadowItReporting rows of the sample tenant, streamed in TimeGenerated order.
import { allHabits, DayPlan, type UserHabits } from "./activity.ts";
import { withGlobalView } from "./global-view.ts";
import { AI_NEWCOMERS, buildCatalogue, type CatalogueApp } from "./catalogue.ts";
import { resolveSampleOptions, type SampleOptions } from "./options.ts";
import { Rng, WeightedPicker } from "./prng.ts";
import { buildUsers, NETWORK_STREAMS, type SampleUser } from "./tenant.ts";
import { timestamps } from "./timeline.ts";

export interface McasRow {
    TenantId: string;
    SourceSystem: "Azure";
    TimeGenerated: Date;
    StreamName: string;
    TotalEvents: number;
    BlockedEvents: number;
    UploadedBytes: number;
    TotalBytes: number;
    DownloadedBytes: number;
    IpAddress: string;
    UserName: string;
    EnrichedUserName: string;
    AppName: string;
    AppId: number;
    AppCategory: string;
    AppTags: string[];
    AppScore: number;
    Type: "McasShadowItReporting";
}

/** Users, catalogue and pickers shared by every table of the sample for one seed. */
export interface SampleTenant {
    readonly apps: readonly CatalogueApp[];
    readonly users: readonly SampleUser[];
    /** Each user's personal apps, by user index. */
    readonly habits: readonly UserHabits[];
    readonly pickUser: WeightedPicker<SampleUser>;
    readonly pickApp: WeightedPicker<CatalogueApp>;
}

export function buildTenant(seed: number): SampleTenant {
    const apps = buildCatalogue(seed);
    const users = buildUsers(seed);
    return {
        apps,
        users,
        habits: allHabits(seed, users.map(u => u.department), apps),
        pickUser: new WeightedPicker(users, users.map(u => u.activity)),
        pickApp: new WeightedPicker(apps, apps.map(a => a.popularity)),
    };
}

const MAX_SAFE_BYTES = 2 ** 50;
const DAY_MS = 86_400_000;

/**
 * A branch-office firewall whose feed stops `silentDays` before the data ends (its log collector broke): the stream
 * the dashboard's freshness panel shows as stale. Its records of those last days go to the user's department stream
 * (or, for records without a user, to the Zscaler proxy), so every other figure keeps its rows.
 */
export const STALE_STREAM = { name: "Fortinet FortiGate Branch Offices", silentDays: 9, fallback: "Zscaler NSS" } as const;

/**
 * One person copies data out over the last `days` days: the first user met in that period who has an unsanctioned
 * app among their personal apps sends, on each day they are active, their first `recordsPerDay` records of the day to
 * that app with `bytesPerRecord` uploaded (1.2 GB a day: over the 500 MB a day of Defender for Cloud Apps' "New high
 * upload volume app" template). Only these records' app and upload change, so the row count, every other column and
 * each user's set of apps stay.
 */
export const UPLOAD_HEAVY_USER = { days: 10, recordsPerDay: 2, bytesPerRecord: 600_000_000 } as const;

/**
 * An app an admin tags unsanctioned during the range: before `daysBeforeEnd` days before the end its records carry no
 * tag and are blocked as any untagged app's; from that day on they carry "Unsanctioned" and most events are blocked,
 * not all: Defender for Cloud Apps leaves the blocking of an unsanctioned app to the appliances integrated with it,
 * which apply it to the traffic through them only and after a delay (Microsoft's CloudAppSecurityDocs,
 * open-systems-integration.md and the Zscaler integration, which checks the unsanctioned apps every two hours;
 * MicrosoftDocs/CloudAppSecurityDocs#650 notes it is not automatic). The top apps table shows the app as still used
 * after it was tagged unsanctioned.
 */
export const TAGGED_MID_RANGE = { app: "MEGA", daysBeforeEnd: 12 } as const;

function bytes(value: number): number {
    return Math.min(MAX_SAFE_BYTES, Math.max(0, Math.round(value)));
}

/** Working hours on a working day (UTC stands for the tenant's local time, as in the timeline). */
function atTheOffice(time: number): boolean {
    const date = new Date(time);
    const day = date.getUTCDay();
    const hour = date.getUTCHours();
    return day !== 0 && day !== 6 && hour >= 8 && hour < 18;
}

/** Where a record of the user comes from: the office network by day, the VPN or home otherwise. */
function ipOf(user: SampleUser, time: number, rng: Rng): string {
    if (atTheOffice(time)) return rng.chance(0.85) ? rng.pick(user.officeIps) : user.vpnIp;
    return rng.chance(0.55) ? user.vpnIp : user.homeIp;
}

/**
 * Exactly `rows` per-source discovery records spread over the `days` before `end`, each UTC hour followed by its
 * "Global view" rows (global-view.ts), ascending, in memory bounded by the tenant (one day's plan of users × apps
 * and an hour's Global view sums), not by the rows.
 */
export function mcasRows(opts: SampleOptions = {}): Generator<McasRow> {
    return opts.globalView === false ? sourceRows(opts) : withGlobalView(sourceRows(opts));
}

/**
 * Exactly `rows` discovery records of the per-source streams (departments, firewalls, proxies, endpoints). Each
 * record belongs to a (user, app) pair of its UTC day's plan, so a user's records of a day concentrate on the few
 * apps that user used that day.
 */
export function* sourceRows(opts: SampleOptions = {}): Generator<McasRow> {
    const o = resolveSampleOptions(opts);
    const tenant = buildTenant(o.seed);
    const activity = tenant.users.map(u => u.activity);
    const rng = new Rng(o.seed, `mcas:${o.rows}:${o.days}:${o.endMs}`);
    const pickNetworkStream = new WeightedPicker(NETWORK_STREAMS.map(s => s.name), NETWORK_STREAMS.map(s => s.weight));
    const staleFrom = o.endMs - STALE_STREAM.silentDays * DAY_MS;
    const heavyFrom = o.endMs - UPLOAD_HEAVY_USER.days * DAY_MS;
    const taggedFrom = o.endMs - TAGGED_MID_RANGE.daysBeforeEnd * DAY_MS;
    // The AI apps adopted during the range take their share of their predecessor's records, drawn from a stream of
    // their own so that every other draw stays as it was.
    const adoption = new Rng(o.seed, `ai-adoption:${o.rows}:${o.days}:${o.endMs}`);
    const newcomers = AI_NEWCOMERS.map(newcomer => ({
        ...newcomer, app: tenant.apps.find(candidate => candidate.name === newcomer.name) as CatalogueApp,
        from: o.endMs - newcomer.daysBeforeEnd * DAY_MS,
    }));
    const adopted = (app: CatalogueApp, time: number): CatalogueApp => {
        let draw: number | undefined;
        let below = 0;
        for (const newcomer of newcomers) {
            if (newcomer.replaces !== app.name) continue;
            draw ??= adoption.next();
            below += newcomer.share;
            if (draw < below) return time >= newcomer.from ? newcomer.app : app;
        }
        return app;
    };
    const unsanctionedAppOf = (userIndex: number): CatalogueApp | undefined => tenant.habits[userIndex]?.apps
        .map(personal => tenant.apps[personal.app] as CatalogueApp).find(candidate => candidate.tags.includes("unsanctioned"));
    let heavyUser: number | undefined;
    let exfiltrationApp: CatalogueApp | undefined;
    let heavyDay = Number.NaN;
    let heavyRecords = 0;
    let planDay = Number.NaN;
    let plan: DayPlan | undefined;
    for (const time of timestamps(o.rows, o.startMs, o.endMs, new Rng(o.seed, `mcas-time:${o.rows}:${o.days}:${o.endMs}`))) {
        const day = Math.floor(time / DAY_MS);
        if (plan === undefined || day !== planDay) {
            plan = DayPlan.of(o.seed, day * DAY_MS, activity, tenant.habits);
            planDay = day;
        }
        // About 1 % of firewall records carry no identified user: guest Wi-Fi, printers, build agents.
        const anonymous = rng.chance(0.01);
        let user: SampleUser | undefined;
        let userIndex: number | undefined;
        let app: CatalogueApp;
        let stream: string;
        let ipAddress: string;
        if (anonymous) {
            app = tenant.pickApp.pick(rng);
            stream = pickNetworkStream.pick(rng);
            ipAddress = `10.${rng.int(16, 23)}.${rng.int(64, 127)}.${rng.int(2, 254)}`;
        } else {
            const pair = plan.pick(rng);
            userIndex = pair.user;
            user = tenant.users[pair.user] as SampleUser;
            app = tenant.apps[pair.app] as CatalogueApp;
            stream = user.networkStream !== undefined && rng.chance(0.4) ? user.networkStream : user.stream;
            ipAddress = ipOf(user, time, rng);
        }
        app = adopted(app, time);
        if (stream === STALE_STREAM.name && time >= staleFrom) stream = user?.stream ?? STALE_STREAM.fallback;
        let heavyRecord = false;
        if (userIndex !== undefined && time >= heavyFrom) {
            if (heavyUser === undefined) {
                exfiltrationApp = unsanctionedAppOf(userIndex);
                if (exfiltrationApp !== undefined) heavyUser = userIndex;
            }
            if (userIndex === heavyUser && exfiltrationApp !== undefined) {
                if (day !== heavyDay) {
                    heavyDay = day;
                    heavyRecords = 0;
                }
                if (heavyRecords < UPLOAD_HEAVY_USER.recordsPerDay) {
                    heavyRecords++;
                    heavyRecord = true;
                    app = exfiltrationApp;
                }
            }
        }
        const totalEvents = Math.max(1, Math.round(rng.lognormal(2.6, 1.3)));
        const tags = app.name === TAGGED_MID_RANGE.app && time < taggedFrom ? [] : app.tags;
        const unsanctioned = tags.includes("unsanctioned");
        const blockedEvents = unsanctioned
            ? Math.round(totalEvents * (0.6 + 0.4 * rng.next()))
            : rng.chance(0.03) ? Math.min(totalEvents, rng.int(1, 5)) : 0;
        const allowedShare = 1 - blockedEvents / totalEvents;
        let uploaded = rng.lognormal(10.5, 1.9) * app.volume * (0.3 + allowedShare);
        // Occasional bulk uploads: the records analysts look for.
        if (rng.chance(0.002)) uploaded += rng.lognormal(20.5, 0.8);
        const downloaded = rng.lognormal(12.6, 1.7) * app.volume * (0.3 + allowedShare);
        const uploadedBytes = heavyRecord ? UPLOAD_HEAVY_USER.bytesPerRecord : bytes(uploaded);
        const downloadedBytes = bytes(downloaded);
        yield {
            TenantId: o.workspaceId,
            SourceSystem: "Azure",
            TimeGenerated: new Date(time),
            StreamName: stream,
            TotalEvents: totalEvents,
            BlockedEvents: blockedEvents,
            UploadedBytes: uploadedBytes,
            TotalBytes: uploadedBytes + downloadedBytes,
            DownloadedBytes: downloadedBytes,
            IpAddress: ipAddress,
            UserName: user?.userPrincipalName ?? "",
            EnrichedUserName: user?.displayName ?? "",
            AppName: app.name,
            AppId: app.id,
            AppCategory: app.category,
            AppTags: [...tags],
            AppScore: app.score,
            Type: "McasShadowItReporting",
        };
    }
}
