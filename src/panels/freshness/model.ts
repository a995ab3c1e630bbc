import type { Aggregates, StreamEntry } from "../../model/aggregates";
import type { DisplayLabels } from "../../model/snapshot";
import type { DashboardSettings, ItemLabel, SelectionRef } from "../../model/types";
import { truncateLabel } from "../../model/values";

/** One stream's last day with data. */
export interface StreamFreshness {
    readonly label: ItemLabel;
    /** The last day (model/days.ts) with a row of the stream, up to today when known; null when none has a usable date. */
    readonly lastDay: number | null;
    /** referenceDay - lastDay (0 or more); null when lastDay is. */
    readonly daysSince: number | null;
    /** No data for staleAfterDays days or more, or no dated row at all. */
    readonly stale: boolean;
    /** Distinct days with data. */
    readonly daysWithData: number;
    readonly selection: SelectionRef;
}

export interface Freshness {
    /** The streams, the longest silent first (no dated rows before all), ties by name. */
    readonly streams: readonly StreamFreshness[];
    /** The day "days since" counts from; null when no row has a usable date. */
    readonly referenceDay: number | null;
    /** Where referenceDay comes from: today (settings, when known and chosen) or the latest day in the data. */
    readonly reference: "data" | "today";
    readonly staleAfterDays: number;
}

/**
 * Per stream, the last day with data and the days since then. A day "has data" when any DataView row of the stream
 * is dated on it, whatever its bytes: the feed delivered something. Days after today (when the visual knows today)
 * are left out, as the data note says. "Days since" counts from the latest day in the data (any stream), or from
 * today when the formatting pane asks for it and today is known.
 */
export function freshnessOf(a: Aggregates, settings: DashboardSettings, labels: DisplayLabels): Freshness {
    const today = settings.today;
    const lastDays = new Map<StreamEntry, { last: number | null; days: number }>();
    let latest: number | null = null;
    for (const streamDays of a.days?.streams() ?? []) {
        if (streamDays.stream === null) continue;
        let last: number | null = null;
        let days = 0;
        for (const day of streamDays.rowsByDay.keys()) {
            if (today !== null && day > today) continue;
            days++;
            if (last === null || day > last) last = day;
        }
        lastDays.set(streamDays.stream, { last, days });
        if (last !== null && (latest === null || last > latest)) latest = last;
    }
    const reference = settings.freshness.reference === "today" && today !== null ? "today" : "data";
    const referenceDay = reference === "today" ? today : latest;
    const staleAfterDays = settings.freshness.staleAfterDays;
    const streams = a.streams.entries().map((entry): StreamFreshness => {
        const found = lastDays.get(entry);
        const lastDay = found?.last ?? null;
        const daysSince = lastDay === null || referenceDay === null ? null : Math.max(0, referenceDay - lastDay);
        return {
            label: { key: entry.key, text: entry.isBlank ? truncateLabel(labels.blank) : entry.text, isBlank: entry.isBlank },
            lastDay,
            daysSince,
            stale: daysSince === null || daysSince >= staleAfterDays,
            daysWithData: found?.days ?? 0,
            selection: { role: "StreamName", rows: [entry.firstRow] },
        };
    });
    streams.sort(bySilence);
    return { streams, referenceDay, reference, staleAfterDays };
}

function bySilence(a: StreamFreshness, b: StreamFreshness): number {
    const silence = (s: StreamFreshness): number => s.daysSince ?? Infinity;
    return silence(b) - silence(a) || compareText(a.label.text, b.label.text) || compareText(a.label.key, b.label.key);
}

function compareText(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
