import type { AppEntry } from "./accumulator";

/**
 * An app's days (TimeGenerated bound): what the AI apps panel's first-seen day and the top apps' "still used after it
 * was tagged unsanctioned" status read. Memory grows with apps × days, never with rows.
 */
export interface AppDays {
    /** The app's first day with a row (days.ts). */
    first: number;
    /** The first day a row of the app carried the tag Unsanctioned; -1 when none did. */
    unsanctionedSince: number;
    /** Per day: traffic (TotalBytes, or upload + download), TotalEvents and BlockedEvents of the app's rows. */
    readonly byDay: Map<number, AppDaySums>;
}

export interface AppDaySums {
    bytes: number;
    events: number;
    blocked: number;
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
    let days = app.days;
    if (days === null) {
        days = { first: day, unsanctionedSince: -1, byDay: new Map() };
        app.days = days;
    } else if (day < days.first) days.first = day;
    if (r.unsanctioned && (days.unsanctionedSince < 0 || day < days.unsanctionedSince)) days.unsanctionedSince = day;
    let sums = days.byDay.get(day);
    if (sums === undefined) {
        sums = { bytes: 0, events: 0, blocked: 0 };
        days.byDay.set(day, sums);
    }
    if (r.total >= 0) sums.bytes += r.total;
    if (r.events >= 0) sums.events += r.events;
    if (r.blocked >= 0) sums.blocked += r.blocked;
}

/**
 * Whether an unsanctioned app still carries traffic (docs/visual.md, "Top apps: status"):
 * - with TimeGenerated bound, its tagging day is the first day a row of it carries the tag Unsanctioned (the day it
 *   was tagged, or the first day of the data when it was tagged before); the traffic of the days after it is "used
 *   after it was tagged unsanctioned", and the blocked share is BlockedEvents / TotalEvents of those days;
 * - without it the days cannot be told apart: an app shown as unsanctioned (app-attributes.ts) with traffic "carries
 *   traffic", and the blocked share is over the whole range.
 * Null when the app does not (never tagged unsanctioned, or no traffic after its tagging day).
 */
export interface UnsanctionedUse {
    /** The tagging day; null without TimeGenerated. */
    readonly since: number | null;
    /** Traffic after the tagging day (the whole range without TimeGenerated). */
    readonly bytes: number;
    /** BlockedEvents / TotalEvents of those days in [0, 1]; null when either is unbound or there were no events. */
    readonly blockedShare: number | null;
}

export function unsanctionedUseOf(
    app: AppEntry, o: { readonly dated: boolean; readonly shownUnsanctioned: boolean; readonly withEvents: boolean },
): UnsanctionedUse | null {
    const share = (blocked: number, events: number): number | null => o.withEvents && events > 0 ? Math.min(1, blocked / events) : null;
    if (!o.dated) {
        if (!o.shownUnsanctioned || app.totalBytes <= 0) return null;
        return { since: null, bytes: app.totalBytes, blockedShare: share(app.blocked, app.events) };
    }
    const days = app.days;
    if (days === null || days.unsanctionedSince < 0) return null;
    let bytes = 0, events = 0, blocked = 0;
    for (const [day, sums] of days.byDay) {
        if (day <= days.unsanctionedSince) continue;
        bytes += sums.bytes;
        events += sums.events;
        blocked += sums.blocked;
    }
    if (bytes <= 0) return null;
    return { since: days.unsanctionedSince, bytes, blockedShare: share(blocked, events) };
}
