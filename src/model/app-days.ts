import type { AppEntry } from "./aggregates";
import type { UnsanctionedUse } from "./types";

export type { UnsanctionedUse };

/**
 * An app's days (TimeGenerated bound): what the AI apps panel's first-seen day and the top apps' "still used after it
 * was tagged unsanctioned" status read. Memory grows with apps × days, never with rows.
 */
export interface AppDays {
    /** Per day: traffic (TotalBytes, or upload + download), TotalEvents and BlockedEvents of the app's rows. */
    readonly byDay: Map<number, AppDaySums>;
    /** The day of the app's last row and its sums: the fold's shortcut. */
    lastDay: number;
    lastSums: AppDaySums | null;
}

export interface AppDaySums {
    bytes: number;
    events: number;
    blocked: number;
    /** True when a row of the app on this day carried the tag Unsanctioned. */
    unsanctioned: boolean;
}

/**
 * Adds one dated row to its app: its traffic (TotalBytes, or upload + download), TotalEvents and BlockedEvents, each
 * -1 when absent or invalid (left out, as everywhere), and whether its AppTags hold Unsanctioned. Plain arguments, so
 * that the fold allocates nothing per row; the app's last day is remembered, as its rows of one day often follow.
 */
export function addAppDayRow(app: AppEntry, day: number, total: number, events: number, blocked: number, unsanctioned: boolean): void {
    const days = (app.days ??= { byDay: new Map(), lastDay: Number.NaN, lastSums: null });
    let sums = day === days.lastDay ? days.lastSums : days.byDay.get(day);
    if (sums === undefined || sums === null) {
        sums = { bytes: 0, events: 0, blocked: 0, unsanctioned: false };
        days.byDay.set(day, sums);
    }
    days.lastDay = day;
    days.lastSums = sums;
    if (total >= 0) sums.bytes += total;
    if (events >= 0) sums.events += events;
    if (blocked >= 0) sums.blocked += blocked;
    if (unsanctioned) sums.unsanctioned = true;
}

/**
 * The app's first day with a row; days after `today` (when known) are left out, as in the time panels. Null without
 * TimeGenerated or a usable day.
 */
export function firstDayOf(app: AppEntry, today: number | null): number | null {
    let first: number | null = null;
    for (const day of app.days?.byDay.keys() ?? []) {
        if (today !== null && day > today) continue;
        if (first === null || day < first) first = day;
    }
    return first;
}

export function unsanctionedUseOf(
    app: AppEntry,
    o: { readonly dated: boolean; readonly shownUnsanctioned: boolean; readonly withEvents: boolean; readonly today: number | null },
): UnsanctionedUse | null {
    const share = (blocked: number, events: number): number | null => o.withEvents && events > 0 ? Math.min(1, blocked / events) : null;
    if (!o.dated) {
        if (!o.shownUnsanctioned || app.totalBytes <= 0) return null;
        return { since: null, bytes: app.totalBytes, blockedShare: share(app.blocked, app.events) };
    }
    const days = app.days;
    if (days === null) return null;
    // Days after today (when known) are left out, as in the time panels.
    const known = (day: number): boolean => o.today === null || day <= o.today;
    let since = -1;
    for (const [day, sums] of days.byDay) if (sums.unsanctioned && known(day) && (since < 0 || day < since)) since = day;
    if (since < 0) return null;
    let bytes = 0, events = 0, blocked = 0;
    for (const [day, sums] of days.byDay) {
        if (day <= since || !known(day)) continue;
        bytes += sums.bytes;
        events += sums.events;
        blocked += sums.blocked;
    }
    if (bytes <= 0) return null;
    return { since, bytes, blockedShare: share(blocked, events) };
}
