import type { AppEntry, ScoreEntry } from "./aggregates";
import type { PersonEntry } from "./people";
import type { TagClass } from "../schema";

/** One day's traffic in one scope (the Global view's rows, or the others'): what the timeline draws. */
export interface DaySums {
    uploaded: number;
    downloaded: number;
    /** TotalBytes, or the row's uploaded + downloaded bytes when TotalBytes is unbound. */
    total: number;
    /** Traffic per app (AppName bound): the timeline splits it by the app's shown attributes, as every panel. */
    readonly byApp: Map<AppEntry, number>;
    /** Traffic per row score and tag class: the split without AppName (filled only by rows without an app). */
    readonly byScore: Map<ScoreEntry | null, number>;
    readonly byTag: Record<TagClass, number>;
    /** Distinct UserName values of the day (UserName bound), by their person entry. */
    readonly userNames: Set<PersonEntry>;
    /** Largest per-row Users value of the day; -1 when none. */
    usersMax: number;
    /** DataView rows of the day: with one (TimeGenerated the only grouping, bound as a date), its Users is the day's. */
    dataRows: number;
    /** One row per distinct TimeGenerated value of the day: what selecting the day filters on. */
    readonly rows: number[];
    readonly times: Set<number | string>;
}

/** A day's sums with the fold's shortcuts: the last user and time added, so that a repeated one skips the set lookup. */
interface DayShortcuts {
    readonly sums: DaySums;
    lastUser: PersonEntry | null;
    lastTime: number;
    lastTimeText: string | null;
}

/** What one row adds to its day. Bytes are -1 when absent or invalid (left out, as everywhere). */
export interface DayRow {
    readonly row: number;
    /** The row's TimeGenerated: a date's time in milliseconds, else its text (timeText, then time is NaN). */
    readonly time: number;
    readonly timeText: string | null;
    readonly uploaded: number;
    readonly downloaded: number;
    readonly total: number;
    readonly app: AppEntry | null;
    readonly score: ScoreEntry | null;
    readonly tagClass: TagClass;
    /** The row's user (UserName bound and not blank), else null. */
    readonly user: PersonEntry | null;
    readonly users: number;
}

/** Per day, the sums of one scope's rows. Memory grows with days × (apps + users + distinct times), not rows. */
export class DaySumsFold {
    readonly byDay = new Map<number, DaySums>();
    private lastDay = Number.NaN;
    private lastShortcuts: DayShortcuts | undefined = undefined;
    /** The days of byDay with their shortcuts: one lookup per row finds both. */
    private readonly shortcuts = new Map<number, DayShortcuts>();

    add(day: number, r: DayRow): void {
        // Rows of one day often follow each other (a day's rows of an app or a user).
        let shortcuts = day === this.lastDay ? this.lastShortcuts : this.shortcuts.get(day);
        if (shortcuts === undefined) {
            const sums: DaySums = {
                uploaded: 0, downloaded: 0, total: 0, byApp: new Map(), byScore: new Map(),
                byTag: { sanctioned: 0, unsanctioned: 0, other: 0 }, userNames: new Set(), usersMax: -1, dataRows: 0, rows: [],
                times: new Set(),
            };
            this.byDay.set(day, sums);
            shortcuts = { sums, lastUser: null, lastTime: Number.NaN, lastTimeText: null };
            this.shortcuts.set(day, shortcuts);
        }
        this.lastDay = day;
        this.lastShortcuts = shortcuts;
        const sums = shortcuts.sums;
        if (r.uploaded >= 0) sums.uploaded += r.uploaded;
        if (r.downloaded >= 0) sums.downloaded += r.downloaded;
        if (r.total >= 0) {
            sums.total += r.total;
            if (r.app !== null) sums.byApp.set(r.app, (sums.byApp.get(r.app) ?? 0) + r.total);
            else {
                // The timeline reads these only without AppName, where no row has an app.
                sums.byScore.set(r.score, (sums.byScore.get(r.score) ?? 0) + r.total);
                sums.byTag[r.tagClass] += r.total;
            }
        }
        if (r.user !== null && r.user !== shortcuts.lastUser) {
            sums.userNames.add(r.user);
            shortcuts.lastUser = r.user;
        }
        if (r.users > sums.usersMax) sums.usersMax = r.users;
        sums.dataRows++;
        const text = r.timeText;
        if (text === null ? r.time !== shortcuts.lastTime : text !== shortcuts.lastTimeText) {
            const key = text ?? r.time;
            if (!sums.times.has(key)) {
                sums.times.add(key);
                sums.rows.push(r.row);
            }
            shortcuts.lastTime = r.time;
            shortcuts.lastTimeText = text;
        }
    }
}
