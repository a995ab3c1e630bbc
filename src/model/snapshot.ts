import { APP_SCORE_MAX, APP_SCORE_MIN, RISK_BAND_IDS, RiskBandId, riskBandOf, RiskThresholds } from "../schema";
import type { Aggregates, AppEntry, CategoryEntry, LabelledEntry, ScoreEntry, StreamEntry } from "./aggregates";
import { hasChangingAttributes, shownVariant } from "./app-attributes";
import { unsanctionedUseOf } from "./app-days";
import { distinctCountStatus, usableDistinctCount } from "./distinct-status";
import { ExactCount, exactValueOf } from "./exact-counts";
import { leftOutDatesOf } from "./days";
import { MEASURE_ROLES } from "./input";
import { shouldFetchMore } from "./limits";
import type { PanelDefinition } from "../panels/definition";
import { PANELS } from "../panels/registry";
import { hasBytes } from "../panels/needs";
import {
    CategoryBar, DashboardModel, DashboardSettings, DataNote, DistinctCount, ExactCountRole, ItemLabel, Kpis, MeasureRole,
    Panel, PanelModels, RiskBand, RoleName, StreamBar, TopApp, TopApps,
} from "./types";
import { BLANK_KEY, OTHER_KEY, truncateLabel } from "./values";

/** Display strings the model puts into labels; the visual passes localized text. */
export interface DisplayLabels {
    /** Text of blank values, e.g. "(Blank)". */
    readonly blank: string;
    /** Text of the bar grouping the categories beyond the top N, e.g. "Other". */
    readonly other: string;
}

/**
 * Builds the DashboardModel from folded aggregates; reads no rows, so settings changes are cheap.
 * With a Global view stream (global-view.ts), the key figures, categories, bands and top apps come from its rows
 * alone, and the streams panel shows the other streams with the Global view apart.
 */
export function buildModel(aggregates: Aggregates, settings: DashboardSettings, labels: DisplayLabels): DashboardModel {
    const bound = aggregates.binding.bound;
    const input = { aggregates, scope: aggregates.globalView ?? aggregates, settings, labels };
    const built: Record<string, Panel<unknown>> = {};
    for (const panel of PANELS as readonly PanelDefinition[]) {
        const missing = panel.missing(bound);
        built[panel.id] = missing.length > 0 ? { status: "missing", missing } : { status: "ready", data: panel.build(input) };
    }
    const panels = built as PanelModels;
    const streamBytes = panels["stream-bytes"];
    return {
        boundRoles: bound,
        hasHighlights: aggregates.binding.hasHighlights,
        panels,
        kpis: panels.kpis,
        categoryTraffic: panels["category-traffic"],
        riskBands: panels["risk-bands"],
        streamBytes,
        globalViewStream: streamBytes.status === "ready" ? globalViewBar(aggregates, labels) : null,
        topApps: panels["top-apps"],
        note: dataNoteOf(aggregates, settings.rowCap, aggregates.rowsRead, settings.today),
        distinctCounts: distinctCountStatus(aggregates, settings, {
            kpis: panels.kpis, riskBands: panels["risk-bands"], topApps: panels["top-apps"],
            aiApps: { panel: panels["ai-apps"], laidOut: PANELS.find(p => p.id === "ai-apps")!.shownWhenBound.some(role => bound.has(role)) },
        }),
    };
}

/** An exact count from a measure bound to `role`, or null when unbound, unseen or inconsistent. */
function exactCount(bound: ReadonlySet<RoleName>, role: ExactCountRole, count: ExactCount): DistinctCount | null {
    if (!bound.has(role)) return null;
    const value = exactValueOf(count);
    return value === null ? null : { value, exact: true };
}

/**
 * An app's users: exact from Users per app; else from Users, a lower bound (the largest of its rows) unless Users is
 * UserName summarized as Count (Distinct) and the app has a single DataView row: then all its table rows share one
 * combination of the groupings and the row's count is the app's. (A measure bound to Users may be anything.)
 */
export function appUsers(a: Aggregates, entry: AppEntry): DistinctCount | null {
    const exact = exactCount(a.binding.bound, "UsersPerApp", entry.usersExact);
    if (exact !== null) return exact;
    if (!usableDistinctCount(a.binding, "Users")) return null;
    const singleRow = entry.rows === 1 && entry.usersMax >= 0 && !a.hasSegment && a.binding.implicitDistinct.has("Users");
    return { value: Math.max(0, entry.usersMax), exact: singleRow };
}

/** True when the Global view is present beside other streams, so that it replaces their sum. */
function globalViewBesideOthers(a: Aggregates): boolean {
    if (a.globalView === null) return false;
    for (const entry of a.streams.entries()) if (!entry.isGlobalView) return true;
    return false;
}

/**
 * The key figures from `a` (the Global view's rows when it replaces the other streams). The exact totals of
 * Users (total) and IP addresses (total) hold for the whole visual, so they are read from `all`, the rows of every
 * stream, where each row carries the same total.
 */
export function kpisOf(a: Aggregates, all: Aggregates): Kpis {
    const bound = a.binding.bound;
    const totalEvents = bound.has("TotalEvents") ? a.totals.events : null;
    const blockedEvents = bound.has("BlockedEvents") ? a.totals.blocked : null;
    // Without any grouping the only row is the grand total, so the row value itself is exact; with groupings a single
    // row holds all the data too, which tells when the field is a Count (Distinct) (a measure may be anything).
    const singleRow = a.rowsRead === 1 && !a.hasSegment;
    const noGrouping = Object.keys(a.binding.categories).length === 0;
    const distinctCount = (role: "Users" | "IpAddresses", exact: DistinctCount | null, subtotal: number | null, max: number): Kpis["users"] => {
        if (exact !== null) return exact;
        // With the people themselves bound, the distinct names are the count: exact once every segment is in.
        const people = namedPeople(a, role === "Users" ? "UserName" : "IpAddress");
        if (people !== null) return { value: Math.max(people, max), exact: !a.hasSegment };
        if (!usableDistinctCount(a.binding, role)) return null;
        if (subtotal !== null) return { value: subtotal, exact: true };
        return { value: Math.max(0, max), exact: singleRow && max >= 0 && (noGrouping || a.binding.implicitDistinct.has(role)) };
    };
    const totalOf = (role: ExactCountRole, own: ExactCount, other: ExactCount | undefined): DistinctCount | null => {
        const counts = [own, ...(other ? [other] : [])];
        if (counts.some(count => count.conflict)) return null;
        const seen = counts.filter(count => count.value >= 0);
        if (seen.some(count => count.value !== seen[0].value)) return null;
        return seen.length > 0 ? exactCount(bound, role, seen[0]) : null;
    };
    return {
        apps: bound.has("AppName") ? a.apps.size : null,
        users: distinctCount("Users", totalOf("UsersTotal", all.totals.usersTotal, all.globalView?.totals.usersTotal),
            a.usersSubtotal, Math.max(a.totals.usersMax, largestExactUsers(a))),
        ipAddresses: distinctCount("IpAddresses",
            totalOf("IpAddressesTotal", all.totals.ipAddressesTotal, all.globalView?.totals.ipAddressesTotal),
            a.ipAddressesSubtotal, a.totals.ipAddressesMax),
        uploadedBytes: bound.has("UploadedBytes") ? a.totals.uploaded : null,
        downloadedBytes: bound.has("DownloadedBytes") ? a.totals.downloaded : null,
        totalBytes: hasBytes(bound) ? a.totals.total : null,
        totalEvents,
        blockedEvents,
        blockedShare: totalEvents !== null && blockedEvents !== null && totalEvents > 0
            ? Math.min(1, blockedEvents / totalEvents)
            : null,
    };
}

/**
 * The distinct non-blank users (UserName) or IP addresses (IpAddress) of the rows, when that field is bound as a
 * grouping and is what the people fold keys on (people.ts: users, or IP addresses without UserName); else null.
 */
function namedPeople(a: Aggregates, role: "UserName" | "IpAddress"): number | null {
    const bound = a.binding.bound;
    if (!bound.has(role) || (role === "IpAddress" && bound.has("UserName"))) return null;
    let count = 0;
    for (const person of a.people.entries()) if (!person.isBlank) count++;
    return count;
}

/** The largest exact count of one app, category or stream: every one is at most the total, so it bounds it below. */
function largestExactUsers(a: Aggregates): number {
    let largest = -1;
    const bound = a.binding.bound;
    const consider = (role: ExactCountRole, count: ExactCount): void => {
        const value = bound.has(role) ? exactValueOf(count) : null;
        if (value !== null && value > largest) largest = value;
    };
    for (const app of a.apps.entries()) consider("UsersPerApp", app.usersExact);
    for (const category of a.categories.entries()) consider("UsersPerCategory", category.usersExact);
    for (const stream of a.streams.entries()) consider("UsersPerStream", stream.usersExact);
    return largest;
}

function itemLabel(entry: LabelledEntry, labels: DisplayLabels): ItemLabel {
    return { key: entry.key, text: entry.isBlank ? truncateLabel(labels.blank) : entry.text, isBlank: entry.isBlank };
}

/*
 * Orders of the panels' entries: larger first; ties by display text, then by key, so the order never depends on
 * the order rows arrived in. One comparator per kind, with the value read inline: the snapshot runs once per
 * update, often before the engine has optimized it, and every call saved counts there.
 */

function byTotalBytes(a: CategoryEntry | AppEntry, b: CategoryEntry | AppEntry): number {
    return b.totalBytes - a.totalBytes || compareLabels(a, b);
}

function byStreamBytes(a: StreamEntry, b: StreamEntry): number {
    return (b.uploaded + b.downloaded) - (a.uploaded + a.downloaded) || compareLabels(a, b);
}

function compareLabels(a: LabelledEntry, b: LabelledEntry): number {
    return compareText(a.text, b.text) || compareText(a.key, b.key);
}

function compareText(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** A category's traffic and its split by tag class. */
interface CategorySums {
    readonly entry: CategoryEntry;
    readonly totalBytes: number;
    readonly sanctioned: number;
    readonly unsanctioned: number;
    readonly other: number;
    readonly highlightedBytes: number;
}

/**
 * Traffic per category. With AppName bound, each app's whole traffic goes to the category and tag class it is shown
 * with (app-attributes.ts), so that the bars agree with the top apps and the key figures; without it, apps cannot
 * be told apart and each row's traffic goes to the row's own category and tags.
 */
function categorySums(a: Aggregates): CategorySums[] {
    if (!a.binding.bound.has("AppName")) {
        return a.categories.entries().map(entry => ({
            entry, totalBytes: entry.totalBytes, sanctioned: entry.sanctioned, unsanctioned: entry.unsanctioned,
            other: entry.other, highlightedBytes: entry.highlightedBytes,
        }));
    }
    const sums = new Map<CategoryEntry, Mutable<CategorySums>>();
    for (const app of a.apps.entries()) {
        const variant = shownVariant(app);
        const category = variant?.category;
        if (!variant || !category) continue;
        let sum = sums.get(category);
        if (sum === undefined) {
            sum = { entry: category, totalBytes: 0, sanctioned: 0, unsanctioned: 0, other: 0, highlightedBytes: 0 };
            sums.set(category, sum);
        }
        sum.totalBytes += app.totalBytes;
        sum.highlightedBytes += app.highlightedBytes;
        sum[variant.tagClass] += app.totalBytes;
    }
    return [...sums.values()];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function bySummedBytes(a: CategorySums, b: CategorySums): number {
    return b.totalBytes - a.totalBytes || compareLabels(a.entry, b.entry);
}

export function categoryBars(a: Aggregates, topN: number, labels: DisplayLabels): CategoryBar[] {
    const withHighlights = a.highlights.total;
    const entries = categorySums(a).sort(bySummedBytes);
    const bars: CategoryBar[] = entries.slice(0, topN).map(entry => ({
        label: itemLabel(entry.entry, labels),
        isOther: false,
        totalBytes: entry.totalBytes,
        byTag: { sanctioned: entry.sanctioned, unsanctioned: entry.unsanctioned, other: entry.other },
        highlightedBytes: withHighlights ? entry.highlightedBytes : null,
        users: exactCount(a.binding.bound, "UsersPerCategory", entry.entry.usersExact),
        selection: { role: "AppCategory", rows: [entry.entry.firstRow] },
    }));
    const rest = entries.slice(topN);
    if (rest.length > 0) {
        let totalBytes = 0, sanctioned = 0, unsanctioned = 0, other = 0, highlightedBytes = 0;
        for (const entry of rest) {
            totalBytes += entry.totalBytes;
            sanctioned += entry.sanctioned;
            unsanctioned += entry.unsanctioned;
            other += entry.other;
            highlightedBytes += entry.highlightedBytes;
        }
        bars.push({
            label: { key: OTHER_KEY, text: truncateLabel(labels.other), isBlank: false },
            isOther: true,
            totalBytes,
            byTag: { sanctioned, unsanctioned, other },
            highlightedBytes: withHighlights ? highlightedBytes : null,
            // Users of several categories overlap: no count of them is shown.
            users: null,
            selection: { role: "AppCategory", rows: rest.map(entry => entry.entry.firstRow) },
        });
    }
    return bars;
}

function bandRange(id: RiskBandId, t: RiskThresholds): RiskBand["range"] {
    switch (id) {
        case "high": return { min: APP_SCORE_MIN, max: t.highMax };
        case "medium": return { min: t.highMax + 1, max: t.mediumMax };
        case "low": return { min: t.mediumMax + 1, max: APP_SCORE_MAX };
        case "unscored": return null;
    }
}

/**
 * High, medium and low always, in that order (an empty band shows as zero); "unscored" only when some app (or,
 * without AppName, some row) has a missing, non-numeric or out-of-range score. With AppName bound, each app is in
 * the one band of the score it is shown with (app-attributes.ts), with all its traffic, so the bands' apps add up to
 * the discovered apps. Without it apps cannot be told apart, so a band counts its rows (distinct combinations of the
 * bound groupings) and takes each row's traffic. A band selects the rows of the scores in its range.
 *
 * A band's users are the largest count of one of its apps (or rows): a lower bound, since the users of several apps
 * overlap and the band's thresholds are set in this visual, out of reach of any measure. It is exact only when the
 * band holds a single app (or row) whose count is exact, and 0 for an empty band.
 */
export function riskBands(a: Aggregates, thresholds: RiskThresholds): RiskBand[] {
    const bandIndex = (score: number | null): number => RISK_BAND_IDS.indexOf(riskBandOf(score, thresholds));
    const byBand: ScoreEntry[][] = RISK_BAND_IDS.map(() => []);
    for (const entry of a.scores.entries()) byBand[bandIndex(entry.score)].push(entry);
    const sums = RISK_BAND_IDS.map(() => ({ totalBytes: 0, highlightedBytes: 0, apps: 0, usersMax: -1, usersExact: true }));
    const byApp = a.binding.bound.has("AppName");
    const withUsers = byApp
        ? usableDistinctCount(a.binding, "Users") || a.binding.bound.has("UsersPerApp")
        : usableDistinctCount(a.binding, "Users");
    if (byApp) {
        for (const app of a.apps.entries()) {
            const variant = shownVariant(app);
            if (!variant?.score) continue;
            const sum = sums[bandIndex(variant.score.score)];
            sum.totalBytes += app.totalBytes;
            sum.highlightedBytes += app.highlightedBytes;
            sum.apps++;
            const users = appUsers(a, app);
            sum.usersMax = Math.max(sum.usersMax, users?.value ?? -1);
            sum.usersExact = sum.apps === 1 && users !== null && users.exact;
        }
    } else {
        byBand.forEach((entries, band) => {
            const sum = sums[band];
            for (const entry of entries) {
                sum.totalBytes += entry.totalBytes;
                sum.highlightedBytes += entry.highlightedBytes;
                sum.apps += entry.rows;
                sum.usersMax = Math.max(sum.usersMax, entry.usersMax);
            }
            sums[band].usersExact = sum.apps === 0
                || (sum.apps === 1 && sum.usersMax >= 0 && !a.hasSegment && a.binding.implicitDistinct.has("Users"));
        });
    }
    const withHighlights = a.highlights.total;
    const bands: RiskBand[] = [];
    for (let band = 0; band < RISK_BAND_IDS.length; band++) {
        const id = RISK_BAND_IDS[band];
        const sum = sums[band];
        if (id === "unscored" && sum.apps === 0) continue;
        bands.push({
            id,
            range: bandRange(id, thresholds),
            totalBytes: sum.totalBytes,
            apps: sum.apps,
            users: withUsers ? { value: Math.max(0, sum.usersMax), exact: sum.usersExact } : null,
            highlightedBytes: withHighlights ? sum.highlightedBytes : null,
            selection: { role: "AppScore", rows: byBand[band].sort(byScore).map(entry => entry.firstRow) },
        });
    }
    return bands;
}

function byScore(a: ScoreEntry, b: ScoreEntry): number {
    if (a.score !== null && b.score !== null) return a.score - b.score;
    if (a.score !== null) return -1;
    if (b.score !== null) return 1;
    return compareText(a.key, b.key);
}

/**
 * The streams by traffic. The Global view's own entry holds nothing (its rows are folded apart): beside other
 * streams it is left out here and shown apart (globalViewBar); alone, it is the one stream and shows as such.
 */
export function streamBars(a: Aggregates, labels: DisplayLabels): StreamBar[] {
    const besideOthers = globalViewBesideOthers(a);
    const entries = a.streams.entries().filter(entry => !(besideOthers && entry.isGlobalView)).sort(byStreamBytes);
    return entries.map(entry => streamBar(a, entry.isGlobalView ? globalViewEntry(a) ?? entry : entry, entry.firstRow, labels));
}

function streamBar(a: Aggregates, entry: StreamEntry, firstRow: number, labels: DisplayLabels): StreamBar {
    return {
        label: itemLabel(entry, labels),
        uploaded: entry.uploaded,
        downloaded: entry.downloaded,
        highlightedUploaded: a.highlights.uploaded ? entry.highlightedUploaded : null,
        highlightedDownloaded: a.highlights.downloaded ? entry.highlightedDownloaded : null,
        users: exactCount(a.binding.bound, "UsersPerStream", entry.usersExact),
        selection: { role: "StreamName", rows: [firstRow] },
    };
}

/** The Global view's stream entry with its sums, in the accumulator of its rows. */
function globalViewEntry(a: Aggregates): StreamEntry | undefined {
    return a.globalView?.streams.entries().find(entry => entry.isGlobalView);
}

/** The Global view's traffic, shown apart from the streams it sums; null unless it is beside other streams. */
function globalViewBar(a: Aggregates, labels: DisplayLabels): StreamBar | null {
    if (!globalViewBesideOthers(a)) return null;
    const entry = globalViewEntry(a);
    const own = a.streams.entries().find(stream => stream.isGlobalView);
    return entry && own ? streamBar(a, entry, own.firstRow, labels) : null;
}

/** The top N apps by traffic; ties by name (then key), so the order never depends on row order. */
export function topApps(a: Aggregates, topN: number, thresholds: RiskThresholds, labels: DisplayLabels, today: number | null = null): TopApps {
    const bound = a.binding.bound;
    const withHighlights = a.highlights.total;
    const entries = a.apps.entries();
    let totalBytes = 0;
    for (const entry of entries) totalBytes += entry.totalBytes;
    const shown = largestApps(entries, topN);
    // The Global view's accumulator keeps no day fold of its own: the binding tells whether rows are dated.
    const dated = bound.has("TimeGenerated");
    const withEvents = bound.has("TotalEvents") && bound.has("BlockedEvents");
    let stillUsed = 0;
    if (bound.has("AppTags")) {
        for (const entry of entries) {
            if (unsanctionedUseOf(entry, { dated, shownUnsanctioned: shownVariant(entry)?.tagClass === "unsanctioned", withEvents, today }) !== null) stillUsed++;
        }
    }
    const apps = shown.map((entry): TopApp => {
        const withScore = bound.has("AppScore");
        const variant = shownVariant(entry);
        const score = variant?.score?.score ?? null;
        return {
            label: itemLabel(entry, labels),
            category: bound.has("AppCategory") ? categoryLabel(variant?.category ?? null, labels) : null,
            score: withScore ? score : null,
            riskBand: withScore ? riskBandOf(score, thresholds) : null,
            tagClass: bound.has("AppTags") ? variant?.tagClass ?? "other" : null,
            totalBytes: entry.totalBytes,
            users: appUsers(a, entry),
            blockedEvents: bound.has("BlockedEvents") ? entry.blocked : null,
            highlightedBytes: withHighlights ? entry.highlightedBytes : null,
            unsanctionedUse: bound.has("AppTags")
                ? unsanctionedUseOf(entry, { dated, shownUnsanctioned: variant?.tagClass === "unsanctioned", withEvents, today }) : null,
            selection: { role: "AppName", rows: [entry.firstRow] },
            appId: entry.appId,
        };
    });
    return { apps, appCount: a.apps.size, totalBytes, stillUsedUnsanctioned: bound.has("AppTags") ? stillUsed : null, datedStatus: dated };
}

/**
 * The first `count` apps in `byTotalBytes` order, sorted: the same as sorting all and slicing. Once `count` apps are
 * kept, an app with fewer bytes than the last kept one is passed over without calling the comparator.
 */
function largestApps(entries: readonly AppEntry[], count: number): AppEntry[] {
    const kept: AppEntry[] = [];
    if (count <= 0) return kept;
    let floor = -Infinity;
    for (const entry of entries) {
        if (entry.totalBytes < floor) continue;
        if (kept.length === count && byTotalBytes(entry, kept[count - 1]) >= 0) continue;
        let low = 0;
        let high = kept.length;
        while (low < high) {
            const mid = (low + high) >>> 1;
            if (byTotalBytes(kept[mid], entry) <= 0) low = mid + 1;
            else high = mid;
        }
        kept.splice(low, 0, entry);
        if (kept.length > count) kept.pop();
        if (kept.length === count) floor = kept[count - 1].totalBytes;
    }
    return kept;
}

function categoryLabel(category: CategoryEntry | null, labels: DisplayLabels): ItemLabel {
    if (category !== null) return itemLabel(category, labels);
    return { key: BLANK_KEY, text: truncateLabel(labels.blank), isBlank: true };
}

/** What the rows folded so far leave out or still wait for; the panels show the first `rowsShown` rows. */
export function dataNoteOf(a: Aggregates, rowCap: number, rowsShown: number, today: number | null = null): DataNote {
    const moreDataPending = shouldFetchMore(a.rowsRead, rowCap, a.hasSegment);
    const scope = a.globalView ?? a;
    let appsWithChangingAttributes = 0;
    if (a.binding.bound.has("AppName")) for (const app of scope.apps.entries()) if (hasChangingAttributes(app)) appsWithChangingAttributes++;
    return {
        rowsRead: a.rowsRead,
        rowsShown,
        invalidValues: countsOf(a.invalidValues, a.globalView?.invalidValues),
        negativeValues: countsOf(a.negativeValues, a.globalView?.negativeValues),
        appsWithChangingAttributes,
        changingAppsByLatestDay: a.days !== null,
        globalViewUsed: globalViewBesideOthers(a),
        truncatedLabels: a.truncatedLabels,
        moreDataPending,
        rowCapReached: a.hasSegment && !moreDataPending,
        leftOutDates: leftOutDatesOf(a.days, today),
        ...timeHierarchyNote(a),
    };
}

/** The note's word on a date hierarchy that does not reach its Day level. */
function timeHierarchyNote(a: Aggregates): Pick<DataNote, "timeHierarchy"> {
    const hierarchy = a.binding.timeHierarchy;
    if (hierarchy === null || hierarchy.grain === "day") return {};
    return { timeHierarchy: hierarchy.grain ?? "none" };
}

/** Per measure, the counts of both scopes (the other streams' rows and the Global view's), zeros left out. */
function countsOf(
    own: Readonly<Partial<Record<MeasureRole, number>>>, global: Readonly<Partial<Record<MeasureRole, number>>> | undefined,
): Partial<Record<MeasureRole, number>> {
    const counts: Partial<Record<MeasureRole, number>> = {};
    for (const role of MEASURE_ROLES) {
        const count = (own[role] ?? 0) + (global?.[role] ?? 0);
        if (count > 0) counts[role] = count;
    }
    return counts;
}
