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
    /** Traffic per row score and tag class: the split without AppName. */
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

/** What one row adds to its day. Bytes are -1 when absent or invalid (left out, as everywhere). */
export interface DayRow {
    readonly row: number;
    readonly timeKey: number | string;
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
    private lastSums: DaySums | undefined = undefined;

    add(day: number, r: DayRow): void {
        // Rows of one day often follow each other (a day's rows of an app or a user).
        let sums = day === this.lastDay ? this.lastSums : this.byDay.get(day);
        if (sums === undefined) {
            sums = {
                uploaded: 0, downloaded: 0, total: 0, byApp: new Map(), byScore: new Map(),
                byTag: { sanctioned: 0, unsanctioned: 0, other: 0 }, userNames: new Set(), usersMax: -1, dataRows: 0, rows: [],
                times: new Set(),
            };
            this.byDay.set(day, sums);
        }
        this.lastDay = day;
        this.lastSums = sums;
        if (r.uploaded >= 0) sums.uploaded += r.uploaded;
        if (r.downloaded >= 0) sums.downloaded += r.downloaded;
        if (r.total >= 0) {
            sums.total += r.total;
            if (r.app !== null) sums.byApp.set(r.app, (sums.byApp.get(r.app) ?? 0) + r.total);
            sums.byScore.set(r.score, (sums.byScore.get(r.score) ?? 0) + r.total);
            sums.byTag[r.tagClass] += r.total;
        }
        if (r.user !== null) sums.userNames.add(r.user);
        if (r.users > sums.usersMax) sums.usersMax = r.users;
        sums.dataRows++;
        if (!sums.times.has(r.timeKey)) {
            sums.times.add(r.timeKey);
            sums.rows.push(r.row);
        }
    }
}
