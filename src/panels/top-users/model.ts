import type { Aggregates } from "../../model/aggregates";
import { shownVariant } from "../../model/app-attributes";
import type { AppEntry } from "../../model/aggregates";
import { normalizeThresholds, normalizeTopN } from "../../model/limits";
import type { PersonEntry } from "../../model/people";
import type { DisplayLabels } from "../../model/snapshot";
import type { DashboardSettings, ItemLabel, SelectionRef } from "../../model/types";
import { truncateLabel } from "../../model/values";
import { riskBandOf } from "../../schema";

export const DAILY_UPLOAD_MB_DEFAULT = 500;
export const DAILY_UPLOAD_MB_MIN = 1;
export const DAILY_UPLOAD_MB_MAX = 1_000_000;

/** Megabytes a day of upload to risky or unsanctioned apps above which a person is flagged: an integer, 500 by default. */
export function normalizeDailyUploadMb(raw: unknown): number {
    const value = typeof raw === "number" && Number.isFinite(raw) ? Math.round(raw) : DAILY_UPLOAD_MB_DEFAULT;
    return Math.min(DAILY_UPLOAD_MB_MAX, Math.max(DAILY_UPLOAD_MB_MIN, value));
}

export const MEDIAN_FACTOR_MAX = 1000;

/** How many times the median upload flags a person: an integer 0-1000, 0 (off) when unset or invalid. */
export function normalizeMedianFactor(raw: unknown): number {
    const value = typeof raw === "number" && Number.isFinite(raw) ? Math.round(raw) : 0;
    return Math.min(MEDIAN_FACTOR_MAX, Math.max(0, value));
}

/** The median of the people's uploads (the lower middle of an even count); 0 without people. */
export function medianUpload(people: readonly PersonEntry[]): number {
    if (people.length === 0) return 0;
    const uploads = people.map(person => person.uploaded).sort((a, b) => a - b);
    return uploads[Math.floor((uploads.length - 1) / 2)];
}

export interface TopUser {
    readonly label: ItemLabel;
    readonly uploaded: number;
    readonly downloaded: number;
    /** Traffic to apps in the high risk band (their shown score); null without AppName and AppScore. */
    readonly toHighRisk: number | null;
    /** Traffic to apps tagged unsanctioned (their shown tags); null without AppName and AppTags. */
    readonly toUnsanctioned: number | null;
    readonly blocked: number | null;
    /**
     * Days on which the person's upload to high-risk or unsanctioned apps exceeded the threshold; null when it cannot
     * be told (TimeGenerated, AppName, or both AppScore and AppTags unbound).
     */
    readonly flaggedDays: number | null;
    /** The largest such daily upload; null as flaggedDays. */
    readonly largestRiskyDay: number | null;
    /** True when the median flag is on and the person's upload is at least its factor times the median's. */
    readonly aboveMedian: boolean;
    readonly selection: SelectionRef;
}

export interface TopUsers {
    /** "user" with UserName bound, else "ip". */
    readonly kind: "user" | "ip";
    readonly people: readonly TopUser[];
    readonly count: number;
    /** The flag's threshold in bytes (SI megabytes, as Defender for Cloud Apps' policy template counts them). */
    readonly thresholdBytes: number;
    /** The median flag's factor (0: off) and the median person's upload. */
    readonly medianFactor: number;
    readonly medianUpload: number;
}

/**
 * The people (users, or IP addresses without UserName) with the most upload, larger first, ties by name. Traffic
 * to high-risk and unsanctioned apps follows each app's shown attributes (app-attributes.ts), as every panel. A
 * person is flagged when, on some day, their upload to apps that are high-risk or unsanctioned exceeds the threshold
 * (formatting pane; 500 MB a day by default, the value of Defender for Cloud Apps' "New high upload volume app"
 * template). As an option, a person whose upload is at least a factor times the median person's is flagged too (the
 * median of every person's upload, not only of those shown; a person with no upload never is).
 */
export function topUsersOf(a: Aggregates, settings: DashboardSettings, labels: DisplayLabels): TopUsers {
    const bound = a.binding.bound;
    const thresholds = normalizeThresholds(settings.thresholds);
    const thresholdBytes = normalizeDailyUploadMb(settings.topUsers.dailyUploadMb) * 1_000_000;
    const withApps = bound.has("AppName");
    const withScore = withApps && bound.has("AppScore");
    const withTags = withApps && bound.has("AppTags");
    // A date hierarchy without its Day level dates rows by month or quarter (date-hierarchy.ts): no daily upload then.
    const dailyDates = a.binding.timeHierarchy === null || a.binding.timeHierarchy.grain === "day";
    const canFlag = bound.has("TimeGenerated") && dailyDates && (withScore || withTags);
    const risky = new Map<AppEntry | null, { high: boolean; unsanctioned: boolean }>();
    const riskOf = (app: AppEntry | null) => {
        let known = risky.get(app);
        if (known === undefined) {
            const variant = app === null ? null : shownVariant(app);
            known = {
                high: withScore && variant !== null && riskBandOf(variant.score?.score ?? null, thresholds) === "high",
                unsanctioned: withTags && variant?.tagClass === "unsanctioned",
            };
            risky.set(app, known);
        }
        return known;
    };
    const medianFactor = normalizeMedianFactor(settings.topUsers.medianFactor);
    const median = medianUpload(a.people.entries());
    const entries = [...a.people.entries()].sort((x, y) => y.uploaded - x.uploaded || compare(x.text, y.text) || compare(x.key, y.key));
    const shown = entries.slice(0, normalizeTopN(settings.topUsers.count));
    return {
        kind: bound.has("UserName") ? "user" : "ip",
        count: a.people.size,
        thresholdBytes,
        medianFactor,
        medianUpload: median,
        people: shown.map(person => personOf(person, labels, riskOf, {
            role: bound.has("UserName") ? "UserName" : "IpAddress", medianBytes: medianFactor > 0 ? medianFactor * median : null, withScore, withTags, canFlag, blocked: bound.has("BlockedEvents"), thresholdBytes,
        })),
    };
}

interface Options {
    /** The column a person is selected by. */
    readonly role: "UserName" | "IpAddress";
    /** Upload at or above which a person is flagged against the median; null when that flag is off. */
    readonly medianBytes: number | null;
    readonly withScore: boolean;
    readonly withTags: boolean;
    readonly canFlag: boolean;
    readonly blocked: boolean;
    readonly thresholdBytes: number;
}

function personOf(
    person: PersonEntry, labels: DisplayLabels, riskOf: (app: AppEntry | null) => { high: boolean; unsanctioned: boolean }, o: Options,
): TopUser {
    let toHighRisk = 0, toUnsanctioned = 0;
    for (const [app, sums] of person.byApp) {
        const risk = riskOf(app);
        if (risk.high) toHighRisk += sums.total;
        if (risk.unsanctioned) toUnsanctioned += sums.total;
    }
    let flaggedDays = 0, largestRiskyDay = 0;
    if (o.canFlag) {
        for (const apps of person.uploadByDay.values()) {
            let riskyUpload = 0;
            for (const [app, uploaded] of apps) {
                const risk = riskOf(app);
                if (risk.high || risk.unsanctioned) riskyUpload += uploaded;
            }
            largestRiskyDay = Math.max(largestRiskyDay, riskyUpload);
            if (riskyUpload > o.thresholdBytes) flaggedDays++;
        }
    }
    return {
        label: { key: person.key, text: person.isBlank ? truncateLabel(labels.blank) : person.text, isBlank: person.isBlank },
        uploaded: person.uploaded,
        downloaded: person.downloaded,
        toHighRisk: o.withScore ? toHighRisk : null,
        toUnsanctioned: o.withTags ? toUnsanctioned : null,
        blocked: o.blocked ? person.blocked : null,
        flaggedDays: o.canFlag ? flaggedDays : null,
        largestRiskyDay: o.canFlag ? largestRiskyDay : null,
        aboveMedian: o.medianBytes !== null && person.uploaded > 0 && person.uploaded >= o.medianBytes,
        selection: { role: o.role, rows: [person.firstRow] },
    };
}

function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
