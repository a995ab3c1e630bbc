import type { TagClass } from "../schema";
import type { AppDays } from "./app-days";
import type { DaySumsFold } from "./day-sums";
import type { DayFold } from "./days";
import type { DistinctValues } from "./distinct";
import type { ExactCount } from "./exact-counts";
import type { RoleBinding } from "./input";
import type { PersonEntry } from "./people";
import type { ExactCountRole, MeasureRole } from "./types";

/*
 * The shapes of the folded aggregates: what the accumulator (accumulator.ts) writes and the model builder
 * (snapshot.ts) and the panels' builders read.
 */

export interface LabelledEntry {
    readonly key: string;
    /** Index of the first row holding the value: the representative row for selection. */
    readonly firstRow: number;
    /** Display text, already truncated; "" for blanks, whose text is localized at snapshot time. */
    readonly text: string;
    readonly isBlank: boolean;
}

export interface CategoryEntry extends LabelledEntry {
    totalBytes: number;
    sanctioned: number;
    unsanctioned: number;
    other: number;
    highlightedBytes: number;
    /** The category's users from Users per category (exact-counts.ts). */
    readonly usersExact: ExactCount;
}

export interface StreamEntry extends LabelledEntry {
    /** True for the stream named "Global view" (see global-view.ts), whose rows are folded apart. */
    readonly isGlobalView: boolean;
    uploaded: number;
    downloaded: number;
    highlightedUploaded: number;
    highlightedDownloaded: number;
    /**
     * The raw value of the row that last followed a row of this stream, and its entry. Rows come grouped by app,
     * and each app's rows list its streams in the same order, so the next stream is usually the one seen after
     * this one before: a comparison instead of a hash lookup.
     */
    successorRaw: unknown;
    successor: StreamEntry | undefined;
    /** The stream's users from Users per stream (exact-counts.ts). */
    readonly usersExact: ExactCount;
}

export interface AppEntry extends LabelledEntry {
    totalBytes: number;
    highlightedBytes: number;
    blocked: number;
    /** Largest per-row Users value seen for the app; -1 when none. */
    usersMax: number;
    /** DataView rows of the app: with one row, the row's distinct count is the app's. */
    rows: number;
    /** The app's users from Users per app (exact-counts.ts). */
    readonly usersExact: ExactCount;
    /**
     * Each distinct combination of category, score and tag class the app's rows carry, with the traffic of those
     * rows: Defender for Cloud Apps changes an app's score, category and tags over time, and the app is shown with
     * one of them (see app-attributes.ts). In order of first sight; most apps have one.
     */
    readonly variants: AppVariant[];
    /** The variant the previous run added to: consecutive runs of an app usually share it. */
    lastVariant: AppVariant | null;
    /** Sums of UploadedBytes and TotalEvents of the app's rows (0 when unbound). */
    uploaded: number;
    events: number;
    /**
     * With TimeGenerated bound (app-days.ts): the app's first day, the first day a row of it was tagged unsanctioned,
     * and its traffic and events per day; null until a dated row of the app is folded.
     */
    days: AppDays | null;
    /** The first valid AppId (app-id.ts) of the app's rows; null while none is seen or AppId is unbound. */
    appId: string | null;
    /** The fold's shortcut for the app's dated rows (accumulator.ts); null until one is folded. */
    dayAttributes: AppRowAttributes | null;
}

/**
 * The raw category, score and tags of an app's last dated row, what they resolved to in the app's scope and the
 * variant they found: the app's next rows mostly carry the same, and then need no lookup.
 */
export interface AppRowAttributes {
    categoryRaw: unknown;
    category: CategoryEntry | null;
    scoreRaw: unknown;
    score: ScoreEntry | null;
    tagsRaw: unknown;
    tagClass: TagClass;
    variant: AppVariant | null;
}

/** One combination of an app's attributes and the traffic of the rows that carry it. */
export interface AppVariant {
    /** The category entry; null when AppCategory is unbound. */
    readonly category: CategoryEntry | null;
    /** The score entry; null when AppScore is unbound. */
    readonly score: ScoreEntry | null;
    /** The tag class; "other" for blank tags and when AppTags is unbound. */
    readonly tagClass: TagClass;
    bytes: number;
    /** The latest TimeGenerated day (days.ts) of the rows with this combination; -1 without TimeGenerated. */
    lastDay: number;
}

export interface ScoreEntry {
    readonly key: string;
    readonly firstRow: number;
    /** The score when it is a number within 0-10, else null (unscored). */
    readonly score: number | null;
    rows: number;
    totalBytes: number;
    highlightedBytes: number;
    /** Largest per-row Users value seen for the score; -1 when none. */
    usersMax: number;
}

export interface Totals {
    uploaded: number;
    downloaded: number;
    total: number;
    events: number;
    blocked: number;
    /** Largest per-row distinct counts; -1 when none. */
    usersMax: number;
    ipAddressesMax: number;
    /** The exact totals from Users (total) and IP addresses (total) (exact-counts.ts). */
    readonly usersTotal: ExactCount;
    readonly ipAddressesTotal: ExactCount;
}

/** Highlights present per measure in the latest DataView. */
export interface HighlightAvailability {
    readonly total: boolean;
    readonly uploaded: boolean;
    readonly downloaded: boolean;
}

/** What the snapshot reads: the folded aggregates and facts about the latest DataView. */
export interface Aggregates {
    readonly binding: RoleBinding;
    readonly rowsRead: number;
    readonly hasSegment: boolean;
    readonly highlights: HighlightAvailability;
    readonly totals: Readonly<Totals>;
    readonly categories: DistinctValues<CategoryEntry>;
    readonly streams: DistinctValues<StreamEntry>;
    readonly scores: DistinctValues<ScoreEntry>;
    readonly apps: DistinctValues<AppEntry>;
    /** Users, or IP addresses without UserName (people.ts); empty while neither is bound. */
    readonly people: DistinctValues<PersonEntry>;
    /** Values left out because they were NaN, infinite or not numbers, per measure role. */
    readonly invalidValues: Readonly<Partial<Record<MeasureRole, number>>>;
    /** Values left out because they were negative, per measure role. */
    readonly negativeValues: Readonly<Partial<Record<MeasureRole, number>>>;
    /** Exact-count measures found with different values on rows of one item (exact-counts.ts). */
    readonly inconsistentCounts: ReadonlySet<ExactCountRole>;
    /** Distinct names shortened to MAX_LABEL_LENGTH characters, over both scopes. */
    readonly truncatedLabels: number;
    /** Host-provided grand totals of the distinct-count measures (exact), when valid. */
    readonly usersSubtotal: number | null;
    readonly ipAddressesSubtotal: number | null;
    /** The days of TimeGenerated per stream (days.ts); null while TimeGenerated is unbound. */
    readonly days: DayFold<StreamEntry> | null;
    /** This scope's traffic per day (day-sums.ts); null until a dated row is folded. */
    readonly daySums: DaySumsFold | null;
    /**
     * The rows of the stream named "Global view", folded apart from the other streams' rows (which are what this
     * object's totals and entries hold); null while no such row has been seen.
     */
    readonly globalView: Aggregates | null;
}
