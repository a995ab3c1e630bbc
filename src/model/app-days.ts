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
}

export interface AppDaySums {
    bytes: number;
    events: number;
    blocked: number;
    /** True when a row of the app on this day carried the tag Unsanctioned. */
    unsanctioned: boolean;
}

/** What one dated row adds to its app; -1 for a value absent or invalid (left out, as everywhere). */
export interface AppDayRow {
    readonly total: number;
    readonly events: number;
    readonly blocked: number;
    /** True when the row's AppTags hold Unsanctioned. */
    readonly unsanctioned: boolean;
}

export function addAppDayRow(app: AppEntry, day: number, r: AppDayRow): void {
    const days = (app.days ??= { byDay: new Map() });
    let sums = days.byDay.get(day);
    if (sums === undefined) {
        sums = { bytes: 0, events: 0, blocked: 0, unsanctioned: false };
        days.byDay.set(day, sums);
    }
    if (r.total >= 0) sums.bytes += r.total;
    if (r.events >= 0) sums.events += r.events;
    if (r.blocked >= 0) sums.blocked += r.blocked;
    if (r.unsanctioned) sums.unsanctioned = true;
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
