import type { AppEntry } from "./aggregates";
import type { LabelledEntry } from "./aggregates";

/** One user (or IP address) of one scope: their traffic, per app and, with TimeGenerated, per day and app. */
export interface PersonEntry extends LabelledEntry {
    uploaded: number;
    downloaded: number;
    blocked: number;
    /** Upload and total traffic per app (null without AppName). */
    readonly byApp: Map<AppEntry | null, { uploaded: number; total: number }>;
    /** Upload per day and app, for the daily upload flag; empty without TimeGenerated. */
    readonly uploadByDay: Map<number, Map<AppEntry | null, number>>;
}

/** What one row adds to its person; -1 for a value absent or invalid (left out, as everywhere). */
export interface PersonRow {
    readonly uploaded: number;
    readonly downloaded: number;
    readonly total: number;
    readonly blocked: number;
    readonly app: AppEntry | null;
    /** The row's day, or null without TimeGenerated or a usable date. */
    readonly day: number | null;
}

export function addPersonRow(person: PersonEntry, r: PersonRow): void {
    if (r.uploaded >= 0) person.uploaded += r.uploaded;
    if (r.downloaded >= 0) person.downloaded += r.downloaded;
    if (r.blocked >= 0) person.blocked += r.blocked;
    let app = person.byApp.get(r.app);
    if (app === undefined) {
        app = { uploaded: 0, total: 0 };
        person.byApp.set(r.app, app);
    }
    if (r.uploaded >= 0) app.uploaded += r.uploaded;
    if (r.total >= 0) app.total += r.total;
    if (r.day !== null && r.uploaded > 0) {
        let day = person.uploadByDay.get(r.day);
        if (day === undefined) {
            day = new Map();
            person.uploadByDay.set(r.day, day);
        }
        day.set(r.app, (day.get(r.app) ?? 0) + r.uploaded);
    }
}
