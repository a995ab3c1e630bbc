import { APP_SCORE_MAX, APP_SCORE_MIN, RiskBandId, riskBandOf, RiskThresholds } from "../schema";
import type { Aggregates, AppEntry, CategoryEntry, LabelledEntry, ScoreEntry, StreamEntry } from "./accumulator";
import { MEASURE_ROLES } from "./input";
import { normalizeThresholds, normalizeTopN, shouldFetchMore } from "./limits";
import { hasBytes, missingRoles } from "./requirements";
import {
    CategoryBar, DashboardModel, DashboardSettings, DataNote, ItemLabel, Kpis, MeasureRole, Panel, PanelId, RiskBand,
    StreamBar, TopApp, TopApps,
} from "./types";
import { BLANK_KEY, OTHER_KEY, truncateLabel } from "./values";

/** Display strings the model puts into labels; the visual passes localized text. */
export interface DisplayLabels {
    /** Text of blank values, e.g. "(Blank)". */
    readonly blank: string;
    /** Text of the bar grouping the categories beyond the top N, e.g. "Other". */
    readonly other: string;
}

export const DEFAULT_LABELS: DisplayLabels = { blank: "(Blank)", other: "Other" };

/** Builds the DashboardModel from folded aggregates; reads no rows, so settings changes are cheap. */
export function buildModel(aggregates: Aggregates, settings: DashboardSettings, labels: DisplayLabels): DashboardModel {
    const bound = aggregates.binding.bound;
    const panel = <T>(id: PanelId, build: () => T): Panel<T> => {
        const missing = missingRoles(id, bound);
        return missing.length > 0 ? { status: "missing", missing } : { status: "ready", data: build() };
    };
    return {
        boundRoles: bound,
        hasHighlights: aggregates.binding.hasHighlights,
        kpis: panel("kpis", () => kpisOf(aggregates)),
        categoryTraffic: panel("category-traffic", () => categoryBars(aggregates, normalizeTopN(settings.topN), labels)),
        riskBands: panel("risk-bands", () => riskBands(aggregates, normalizeThresholds(settings.thresholds))),
        streamBytes: panel("stream-bytes", () => streamBars(aggregates, labels)),
        topApps: panel("top-apps", () => topApps(
            aggregates, normalizeTopN(settings.topAppsN), normalizeThresholds(settings.thresholds), labels)),
        note: dataNoteOf(aggregates, settings.rowCap, aggregates.rowsRead),
    };
}

function kpisOf(a: Aggregates): Kpis {
    const bound = a.binding.bound;
    const totalEvents = bound.has("TotalEvents") ? a.totals.events : null;
    const blockedEvents = bound.has("BlockedEvents") ? a.totals.blocked : null;
    // Without any grouping the only row is the grand total, so the row value itself is exact.
    const singleTotalRow = Object.keys(a.binding.categories).length === 0 && a.rowsRead === 1 && !a.hasSegment;
    const distinctCount = (isBound: boolean, subtotal: number | null, max: number): Kpis["users"] => {
        if (!isBound) return null;
        if (subtotal !== null) return { value: subtotal, exact: true };
        return { value: Math.max(0, max), exact: singleTotalRow && max >= 0 };
    };
    return {
        apps: bound.has("AppName") ? a.apps.size : null,
        users: distinctCount(bound.has("Users"), a.usersSubtotal, a.totals.usersMax),
        ipAddresses: distinctCount(bound.has("IpAddresses"), a.ipAddressesSubtotal, a.totals.ipAddressesMax),
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

function categoryBars(a: Aggregates, topN: number, labels: DisplayLabels): CategoryBar[] {
    const withHighlights = a.highlights.total;
    const entries = a.categories.entries().slice().sort(byTotalBytes);
    const bars: CategoryBar[] = entries.slice(0, topN).map(entry => ({
        label: itemLabel(entry, labels),
        isOther: false,
        totalBytes: entry.totalBytes,
        byTag: { sanctioned: entry.sanctioned, unsanctioned: entry.unsanctioned, other: entry.other },
        highlightedBytes: withHighlights ? entry.highlightedBytes : null,
        selection: { role: "AppCategory", rows: [entry.firstRow] },
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
            selection: { role: "AppCategory", rows: rest.map(entry => entry.firstRow) },
        });
    }
    return bars;
}

const BAND_ORDER: readonly RiskBandId[] = ["high", "medium", "low", "unscored"];

function bandRange(id: RiskBandId, t: RiskThresholds): RiskBand["range"] {
    switch (id) {
        case "high": return { min: APP_SCORE_MIN, max: t.highMax };
        case "medium": return { min: t.highMax + 1, max: t.mediumMax };
        case "low": return { min: t.mediumMax + 1, max: APP_SCORE_MAX };
        case "unscored": return null;
    }
}

/**
 * High, medium and low always, in that order (an empty band shows as zero); "unscored" only when some row has a
 * missing, non-numeric or out-of-range score. Apps are distinct AppName values when AppName is bound; without it
 * apps cannot be told apart, so the band counts its rows (distinct combinations of the bound groupings).
 */
function riskBands(a: Aggregates, thresholds: RiskThresholds): RiskBand[] {
    const byBand: ScoreEntry[][] = BAND_ORDER.map(() => []);
    for (const entry of a.scores.entries()) byBand[BAND_ORDER.indexOf(riskBandOf(entry.score, thresholds))].push(entry);
    const countApps = a.binding.bound.has("AppName");
    const withUsers = a.binding.bound.has("Users");
    const withHighlights = a.highlights.total;
    const bands: RiskBand[] = [];
    for (let band = 0; band < BAND_ORDER.length; band++) {
        const id = BAND_ORDER[band];
        const entries = byBand[band].sort(byScore);
        if (id === "unscored" && entries.length === 0) continue;
        let totalBytes = 0, highlightedBytes = 0, rows = 0, usersMax = -1;
        for (const entry of entries) {
            totalBytes += entry.totalBytes;
            highlightedBytes += entry.highlightedBytes;
            rows += entry.rows;
            usersMax = Math.max(usersMax, entry.usersMax);
        }
        bands.push({
            id,
            range: bandRange(id, thresholds),
            totalBytes,
            apps: countApps ? distinctApps(entries, a.appsSpanScores) : rows,
            usersAtLeast: withUsers ? Math.max(0, usersMax) : null,
            highlightedBytes: withHighlights ? highlightedBytes : null,
            selection: { role: "AppScore", rows: entries.map(entry => entry.firstRow) },
        });
    }
    return bands;
}

/** Distinct apps of a band's score entries: a set only when some app has rows under more than one score. */
function distinctApps(entries: readonly ScoreEntry[], appsSpanScores: boolean): number {
    let count = 0;
    if (!appsSpanScores) {
        for (const entry of entries) count += entry.apps.size;
        return count;
    }
    const apps = new Set<AppEntry>();
    for (const entry of entries) for (const app of entry.apps) apps.add(app);
    return apps.size;
}

function byScore(a: ScoreEntry, b: ScoreEntry): number {
    if (a.score !== null && b.score !== null) return a.score - b.score;
    if (a.score !== null) return -1;
    if (b.score !== null) return 1;
    return compareText(a.key, b.key);
}

function streamBars(a: Aggregates, labels: DisplayLabels): StreamBar[] {
    const entries = a.streams.entries().slice().sort(byStreamBytes);
    return entries.map(entry => ({
        label: itemLabel(entry, labels),
        uploaded: entry.uploaded,
        downloaded: entry.downloaded,
        highlightedUploaded: a.highlights.uploaded ? entry.highlightedUploaded : null,
        highlightedDownloaded: a.highlights.downloaded ? entry.highlightedDownloaded : null,
        selection: { role: "StreamName", rows: [entry.firstRow] },
    }));
}

/** The top N apps by traffic; ties by name (then key), so the order never depends on row order. */
function topApps(a: Aggregates, topN: number, thresholds: RiskThresholds, labels: DisplayLabels): TopApps {
    const bound = a.binding.bound;
    const withHighlights = a.highlights.total;
    const entries = a.apps.entries();
    let totalBytes = 0;
    for (const entry of entries) totalBytes += entry.totalBytes;
    const shown = largestApps(entries, topN);
    const apps = shown.map((entry): TopApp => {
        const withScore = bound.has("AppScore");
        return {
            label: itemLabel(entry, labels),
            category: bound.has("AppCategory") ? categoryLabel(entry, labels) : null,
            score: withScore ? entry.score : null,
            riskBand: withScore ? riskBandOf(entry.score, thresholds) : null,
            tagClass: bound.has("AppTags") ? entry.tagClass ?? "other" : null,
            totalBytes: entry.totalBytes,
            usersAtLeast: bound.has("Users") ? Math.max(0, entry.usersMax) : null,
            blockedEvents: bound.has("BlockedEvents") ? entry.blocked : null,
            highlightedBytes: withHighlights ? entry.highlightedBytes : null,
            selection: { role: "AppName", rows: [entry.firstRow] },
        };
    });
    return { apps, appCount: a.apps.size, totalBytes };
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

function categoryLabel(entry: AppEntry, labels: DisplayLabels): ItemLabel {
    if (entry.category !== null) return itemLabel(entry.category, labels);
    return { key: BLANK_KEY, text: truncateLabel(labels.blank), isBlank: true };
}

/** What the rows folded so far leave out or still wait for; the panels show the first `rowsShown` rows. */
export function dataNoteOf(a: Aggregates, rowCap: number, rowsShown: number): DataNote {
    const invalidValues: Partial<Record<MeasureRole, number>> = {};
    for (const role of MEASURE_ROLES) {
        const count = a.invalidValues[role];
        if (count !== undefined && count > 0) invalidValues[role] = count;
    }
    const moreDataPending = shouldFetchMore(a.rowsRead, rowCap, a.hasSegment);
    return {
        rowsRead: a.rowsRead,
        rowsShown,
        invalidValues,
        truncatedLabels: a.truncatedLabels,
        moreDataPending,
        rowCapReached: a.hasSegment && !moreDataPending,
    };
}
