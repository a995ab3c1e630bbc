import type { Aggregates } from "../../model/aggregates";
import { shownVariant } from "../../model/app-attributes";
import type { DaySums } from "../../model/day-sums";
import type { DashboardSettings, SelectionRef } from "../../model/types";
import { RISK_BAND_IDS, riskBandOf, RiskBandId, TagClass } from "../../schema";
import { normalizeThresholds } from "../../model/limits";

/** How the day's bar is split: upload and download, risk band, or sanctioned state (formatting pane). */
export type TimelineSplit = "direction" | "riskBand" | "tagClass";

export type TimelineSeries = "uploaded" | "downloaded" | RiskBandId | TagClass | "traffic";

const SERIES: Readonly<Record<TimelineSplit | "traffic", readonly TimelineSeries[]>> = {
    direction: ["uploaded", "downloaded"],
    riskBand: RISK_BAND_IDS,
    tagClass: ["unsanctioned", "sanctioned", "other"],
    traffic: ["traffic"],
};

export interface TimelineDay {
    readonly day: number;
    /** False for a day between the first and the last without any row: drawn as a gap, never as zero. */
    readonly hasData: boolean;
    readonly uploaded: number;
    readonly downloaded: number;
    readonly total: number;
    /** The day's traffic per series, in Timeline.series order. */
    readonly parts: readonly number[];
    /**
     * Distinct users: exact with UserName bound (of the rows loaded), or from Users when the day is a single row (see
     * singleRowCount), else a lower bound from Users; null without either.
     */
    readonly users: { readonly value: number; readonly exact: boolean } | null;
    /** The day's rows, one per distinct TimeGenerated value; null for a gap. */
    readonly selection: SelectionRef | null;
}

export interface Timeline {
    /** Every day from the first to the last with data (up to today when known), oldest first. */
    readonly days: readonly TimelineDay[];
    readonly series: readonly TimelineSeries[];
    /** The split drawn: the one chosen, or plain traffic when its fields are not bound. */
    readonly split: TimelineSplit | "traffic";
    /** The largest bar (sum of a day's parts). */
    readonly largest: number;
}

/** The days of the longest timeline drawn: ten years, more than the sample's or an export's range. */
export const MAX_TIMELINE_DAYS = 3660;

/**
 * Traffic per day. The split follows the app's shown attributes when AppName is bound (app-attributes.ts), so a day's
 * high-risk traffic is that of the apps in the high band of the risk panel; without AppName, each row's own score and
 * tags. Days after today (when known) are left out, as the data note says; so are days before the last
 * MAX_TIMELINE_DAYS of the range.
 */
export function timelineOf(a: Aggregates, settings: DashboardSettings): Timeline {
    const bound = a.binding.bound;
    const chosen = settings.timeline.split;
    const split: Timeline["split"] = chosen === "direction" && bound.has("UploadedBytes") && bound.has("DownloadedBytes") ? "direction"
        : chosen === "riskBand" && bound.has("AppScore") ? "riskBand"
            : chosen === "tagClass" && bound.has("AppTags") ? "tagClass"
                : "traffic";
    const series = SERIES[split];
    const thresholds = normalizeThresholds(settings.thresholds);
    const byDay = a.daySums?.byDay ?? new Map<number, DaySums>();
    const today = settings.today;
    let first = Infinity, last = -Infinity;
    for (const day of byDay.keys()) {
        if (today !== null && day > today) continue;
        if (day < first) first = day;
        if (day > last) last = day;
    }
    const days: TimelineDay[] = [];
    let largest = 0;
    if (last >= first) {
        first = Math.max(first, last - MAX_TIMELINE_DAYS + 1);
        for (let day = first; day <= last; day++) {
            const sums = byDay.get(day);
            if (sums === undefined) {
                days.push({ day, hasData: false, uploaded: 0, downloaded: 0, total: 0, parts: series.map(() => 0), users: null, selection: null });
                continue;
            }
            const parts = partsOf(sums, split, series, a, thresholds);
            largest = Math.max(largest, parts.reduce((sum, part) => sum + part, 0));
            days.push({
                day, hasData: true, uploaded: sums.uploaded, downloaded: sums.downloaded, total: sums.total, parts,
                users: bound.has("UserName") ? { value: sums.userNames.size, exact: true }
                    : bound.has("Users") ? { value: Math.max(0, sums.usersMax), exact: singleRowCount(a, sums) } : null,
                // A date hierarchy's levels name no day a filter could target (date-hierarchy.ts): its days are not selectable.
                selection: a.binding.timeHierarchy === null ? { role: "TimeGenerated", rows: sums.rows } : null,
            });
        }
    }
    return { days, series, split, largest };
}

/**
 * True when the day's Users value is its exact distinct count: the day is one DataView row (Time generated, bound as a
 * date, is the only grouping: panel mode), all of it loaded, and Users is UserName summarized as Count (Distinct) (a
 * measure bound to Users may be anything, so it is never promoted, as for apps).
 */
function singleRowCount(a: Aggregates, sums: DaySums): boolean {
    return sums.dataRows === 1 && sums.usersMax >= 0 && !a.hasSegment && a.binding.implicitDistinct.has("Users");
}

function partsOf(
    sums: DaySums, split: Timeline["split"], series: readonly TimelineSeries[], a: Aggregates, thresholds: ReturnType<typeof normalizeThresholds>,
): number[] {
    switch (split) {
        case "direction": return [sums.uploaded, sums.downloaded];
        case "traffic": return [sums.total];
        case "riskBand": {
            const parts = series.map(() => 0);
            const add = (score: number | null, bytes: number) => { parts[series.indexOf(riskBandOf(score, thresholds))] += bytes; };
            if (a.binding.bound.has("AppName")) for (const [app, bytes] of sums.byApp) add(shownVariant(app)?.score?.score ?? null, bytes);
            else for (const [entry, bytes] of sums.byScore) add(entry?.score ?? null, bytes);
            return parts;
        }
        case "tagClass": {
            if (!a.binding.bound.has("AppName")) return series.map(s => sums.byTag[s as TagClass]);
            const parts = series.map(() => 0);
            for (const [app, bytes] of sums.byApp) parts[series.indexOf(shownVariant(app)?.tagClass ?? "other")] += bytes;
            return parts;
        }
    }
}
