// McasShadowItReporting rows of the sample tenant, streamed in TimeGenerated order.
import { buildCatalogue, type CatalogueApp } from "./catalogue.ts";
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

/** Users, catalogue and pickers shared by the three tables for one seed. */
export interface SampleTenant {
    readonly apps: readonly CatalogueApp[];
    readonly users: readonly SampleUser[];
    readonly pickUser: WeightedPicker<SampleUser>;
    readonly pickApp: WeightedPicker<CatalogueApp>;
}

export function buildTenant(seed: number): SampleTenant {
    const apps = buildCatalogue(seed);
    const users = buildUsers(seed, apps.length);
    return {
        apps,
        users,
        pickUser: new WeightedPicker(users, users.map(u => u.activity)),
        pickApp: new WeightedPicker(apps, apps.map(a => a.popularity)),
    };
}

const MAX_SAFE_BYTES = 2 ** 50;

function bytes(value: number): number {
    return Math.min(MAX_SAFE_BYTES, Math.max(0, Math.round(value)));
}

/** Exactly `rows` discovery records spread over the `days` before `end`, ascending, in O(1) memory in rows. */
export function* mcasRows(opts: SampleOptions = {}): Generator<McasRow> {
    const o = resolveSampleOptions(opts);
    const tenant = buildTenant(o.seed);
    const rng = new Rng(o.seed, `mcas:${o.rows}:${o.days}:${o.endMs}`);
    const pickNetworkStream = new WeightedPicker(NETWORK_STREAMS.map(s => s.name), NETWORK_STREAMS.map(s => s.weight));
    for (const time of timestamps(o.rows, o.startMs, o.endMs, new Rng(o.seed, `mcas-time:${o.rows}:${o.days}:${o.endMs}`))) {
        // About 1 % of firewall records carry no identified user.
        const anonymous = rng.chance(0.01);
        const user = tenant.pickUser.pick(rng);
        const app = rng.chance(0.3)
            ? tenant.apps[rng.pick(user.favouriteApps)] as CatalogueApp
            : tenant.pickApp.pick(rng);
        const stream = !anonymous && rng.chance(0.6) ? user.stream : pickNetworkStream.pick(rng);
        const totalEvents = Math.max(1, Math.round(rng.lognormal(2.6, 1.3)));
        const unsanctioned = app.tags.includes("unsanctioned");
        const blockedEvents = unsanctioned
            ? Math.round(totalEvents * (0.6 + 0.4 * rng.next()))
            : rng.chance(0.03) ? Math.min(totalEvents, rng.int(1, 5)) : 0;
        const allowedShare = 1 - blockedEvents / totalEvents;
        let uploaded = rng.lognormal(10.5, 1.9) * app.volume * (0.3 + allowedShare);
        // Occasional bulk uploads: the records analysts look for.
        if (rng.chance(0.002)) uploaded += rng.lognormal(20.5, 0.8);
        const downloaded = rng.lognormal(12.6, 1.7) * app.volume * (0.3 + allowedShare);
        const uploadedBytes = bytes(uploaded);
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
            IpAddress: rng.pick(user.ipAddresses),
            UserName: anonymous ? "" : user.userPrincipalName,
            EnrichedUserName: anonymous ? "" : user.displayName,
            AppName: app.name,
            AppId: app.id,
            AppCategory: app.category,
            AppTags: [...app.tags],
            AppScore: app.score,
            Type: "McasShadowItReporting",
        };
    }
}
