import { parseAppTags, TagClass, tagClassOf } from "../schema";
import { DayRow, DaySumsFold } from "./day-sums";
import { DayFold, DayReadings } from "./days";
import { addAppDayRow } from "./app-days";
import { addPersonRow, PersonEntry, PersonRow } from "./people";
import { DistinctValues } from "./distinct";
import { isGlobalViewName } from "./global-view";
import { ExactCount, newExactCount, noteExactCount } from "./exact-counts";
import { normalizeAppId } from "./app-id";
import { hierarchyDates } from "./date-hierarchy";
import { bindRoles, DataViewInput, hasMoreSegments, RoleBinding, rowCountOf } from "./input";
import { ExactCountRole, GroupingRole, MeasureRole } from "./types";
import { isBlankValue, scoreOf, truncateLabel, valueText } from "./values";

/*
 * Folds DataView rows into aggregates per distinct value (category, stream, score, app), so that:
 * - a fetchMoreData segment folds only its new rows (O(new rows), nothing allocated per row once values are known);
 * - thresholds and top N apply at snapshot time, so a settings change never re-reads rows;
 * - memory is bounded by distinct values, not by rows.
 */

export type {
    AppEntry, AppVariant, Aggregates, CategoryEntry, HighlightAvailability, LabelledEntry, ScoreEntry, StreamEntry, Totals,
} from "./aggregates";
import type {
    AppEntry, AppRowAttributes, AppVariant, Aggregates, CategoryEntry, HighlightAvailability, ScoreEntry, StreamEntry, Totals,
} from "./aggregates";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Returned by measure reads for values that are absent or invalid; valid values are never negative. */
const NONE = -1;

type Column = readonly unknown[] | undefined;

/** The columns one fold reads, resolved from the binding. */
interface FoldColumns {
    readonly appCategory: Column;
    readonly appName: Column;
    readonly streamName: Column;
    readonly appScore: Column;
    readonly appTags: Column;
    readonly up: Column;
    readonly down: Column;
    readonly total: Column;
    readonly events: Column;
    readonly blocked: Column;
    readonly users: Column;
    readonly ips: Column;
    /** The exact-count measures; null when none is bound, so that the fold skips them at once. */
    readonly exact: ExactColumns | null;
    readonly upH: Column;
    readonly downH: Column;
    readonly totalH: Column;
    readonly deriveTotal: boolean;
}

/** The columns a row's person and day read: its time, app and attributes (variant), its traffic and its user. */
interface DayColumns {
    readonly time: Column;
    readonly blocked: Column;
    readonly appName: Column;
    readonly appCategory: Column;
    readonly appScore: Column;
    readonly appTags: Column;
    readonly up: Column;
    readonly down: Column;
    readonly total: Column;
    readonly users: Column;
    readonly userName: Column;
    readonly events: Column;
    /** AppId, when it and AppName are bound: each app takes the first valid one of its rows. */
    readonly appIds: Column;
}

/** The bound exact-count measures' columns. */
interface ExactColumns {
    readonly usersTotal: Column;
    readonly ipAddressesTotal: Column;
    readonly perApp: Column;
    readonly perCategory: Column;
    readonly perStream: Column;
}

/** Differs from every value a DataView can hold: "no previous row" for the run caches. */
const UNSEEN: unknown = Symbol("unseen");

export class ModelAccumulator implements Aggregates {
    rowsRead = 0;
    hasSegment = false;
    highlights: HighlightAvailability = { total: false, uploaded: false, downloaded: false };
    readonly totals: Totals = {
        uploaded: 0, downloaded: 0, total: 0, events: 0, blocked: 0, usersMax: NONE, ipAddressesMax: NONE,
        usersTotal: newExactCount(), ipAddressesTotal: newExactCount(),
    };
    readonly inconsistentCounts = new Set<ExactCountRole>();
    readonly invalidValues: Partial<Record<MeasureRole, number>> = {};
    readonly negativeValues: Partial<Record<MeasureRole, number>> = {};
    usersSubtotal: number | null = null;
    ipAddressesSubtotal: number | null = null;
    globalView: ModelAccumulator | null = null;
    days: DayFold<StreamEntry> | null = null;
    daySums: DaySumsFold | null = null;

    // Entries are plain literals with every field present from the start (no spread, no field changing kind), so
    // that all entries of a kind share one shape and the fold's stores stay fast.
    readonly categories = new DistinctValues<CategoryEntry>((raw, key, row) => {
        const full = valueText(raw);
        return {
            key, firstRow: row, text: this.truncated("AppCategory", full), isBlank: full === "",
            totalBytes: 0, sanctioned: 0, unsanctioned: 0, other: 0, highlightedBytes: 0, usersExact: newExactCount(),
        };
    });
    readonly streams = new DistinctValues<StreamEntry>((raw, key, row) => {
        const full = valueText(raw);
        return {
            key, firstRow: row, text: this.truncated("StreamName", full), isBlank: full === "", isGlobalView: isGlobalViewName(raw),
            uploaded: 0, downloaded: 0, highlightedUploaded: 0, highlightedDownloaded: 0,
            successorRaw: UNSEEN, successor: undefined, usersExact: newExactCount(),
        };
    });
    readonly scores = new DistinctValues<ScoreEntry>((raw, key, row) => ({
        key, firstRow: row, score: scoreOf(raw), rows: 0, totalBytes: 0, highlightedBytes: 0, usersMax: NONE,
    }));
    readonly apps = new DistinctValues<AppEntry>((raw, key, row) => {
        const full = valueText(raw);
        return {
            key, firstRow: row, text: this.truncated("AppName", full), isBlank: full === "",
            totalBytes: 0, highlightedBytes: 0, blocked: 0, usersMax: NONE, rows: 0, usersExact: newExactCount(),
            variants: [], lastVariant: null, uploaded: 0, events: 0, days: null, appId: null, dayAttributes: null,
        };
    });
    /** Users (UserName bound) or, without them, IP addresses (IpAddress bound): the top-users panel's people. */
    readonly people = new DistinctValues<PersonEntry>((raw, key, row) => {
        const full = valueText(raw);
        return {
            key, firstRow: row, text: this.truncated(this.binding.categories.UserName !== undefined ? "UserName" : "IpAddress", full),
            isBlank: full === "", uploaded: 0, downloaded: 0, blocked: 0, byApp: new Map(), uploadByDay: new Map(),
        };
    });
    private readonly tagClasses = new Map<unknown, TagClass>();
    /** TimeGenerated readings, shared by the people's and the days' folds. */
    private readonly dayReadings = new DayReadings();
    /** What one row adds to its day and to its person: refilled for each row (see foldDayRow). */
    private readonly dayRow: Mutable<DayRow> = {
        row: 0, time: Number.NaN, timeText: null, uploaded: NONE, downloaded: NONE, total: NONE, app: null, score: null, tagClass: "other", user: null, users: NONE,
    };
    /** The attributes of the scope's last dated row without an app (see foldDayRow). */
    private dayAttributes: AppRowAttributes | null = null;
    private readonly personRow: Mutable<PersonRow> = { uploaded: NONE, downloaded: NONE, total: NONE, blocked: NONE, app: null, day: null };

    /**
     * @param shortened the names shortened so far (role and full text), shared with the Global view's accumulator
     *   so that a name seen in both counts once.
     * @param isGlobalScope true for the accumulator that holds the Global view's rows: it folds every row it is given.
     */
    constructor(
        readonly binding: RoleBinding,
        private readonly shortened: Set<string> = new Set(),
        private readonly isGlobalScope = false,
    ) {}

    get truncatedLabels(): number {
        return this.shortened.size;
    }

    /** Folds rows [fromRow, rowCount) of a DataView whose columns match this accumulator's binding. */
    fold(dataView: DataViewInput | undefined, fromRow: number = this.rowsRead): void {
        const rowCount = rowCountOf(dataView);
        this.hasSegment = hasMoreSegments(dataView);
        const categorical = dataView?.categorical;
        const categoryColumns = categorical?.categories ?? [];
        const valueColumns = categorical?.values ?? [];
        const { categories: c, measures: m } = this.binding;
        const category = (index: number | undefined): Column =>
            index === undefined ? undefined : categoryColumns[index]?.values;
        const measure = (index: number | undefined): Column => index === undefined ? undefined : valueColumns[index]?.values;
        const highlight = (index: number | undefined): Column => {
            if (index === undefined) return undefined;
            const h = valueColumns[index]?.highlights;
            return Array.isArray(h) ? h : undefined;
        };

        const appCategory = category(c.AppCategory);
        const appName = category(c.AppName);
        const streamName = category(c.StreamName);
        const appScore = category(c.AppScore);
        const appTags = category(c.AppTags);
        const up = measure(m.UploadedBytes);
        const down = measure(m.DownloadedBytes);
        const total = measure(m.TotalBytes);
        const events = measure(m.TotalEvents);
        const blocked = measure(m.BlockedEvents);
        const users = measure(m.Users);
        const ips = measure(m.IpAddresses);
        const upH = highlight(m.UploadedBytes);
        const downH = highlight(m.DownloadedBytes);
        const totalH = highlight(m.TotalBytes);
        const deriveTotal = total === undefined && up !== undefined && down !== undefined;
        const exactColumns: ExactColumns = {
            usersTotal: measure(m.UsersTotal), ipAddressesTotal: measure(m.IpAddressesTotal), perApp: measure(m.UsersPerApp),
            perCategory: measure(m.UsersPerCategory), perStream: measure(m.UsersPerStream),
        };
        const exact = Object.values(exactColumns).some(column => column !== undefined) ? exactColumns : null;
        this.highlights = {
            total: totalH !== undefined || (deriveTotal && upH !== undefined && downH !== undefined),
            uploaded: upH !== undefined,
            downloaded: downH !== undefined,
        };
        this.usersSubtotal = subtotalOf(valueColumns[m.Users ?? -1]);
        this.ipAddressesSubtotal = subtotalOf(valueColumns[m.IpAddresses ?? -1]);

        this.foldRows(fromRow, rowCount, {
            appCategory, appName, streamName, appScore, appTags, up, down, total, events, blocked, users, ips, exact,
            upH, downH, totalH, deriveTotal,
        });
        // A date hierarchy's levels make one date per row (date-hierarchy.ts); else the column is read as it is.
        const hierarchy = this.binding.timeHierarchy;
        const time: Column = hierarchy?.grain
            ? hierarchyDates(hierarchy.grain, categoryColumns, hierarchy.levels, fromRow, rowCount)
            : category(c.TimeGenerated);
        const person = category(c.UserName) ?? category(c.IpAddress);
        const appIds = c.AppId !== undefined && appName !== undefined ? category(c.AppId) : undefined;
        if (person !== undefined || c.TimeGenerated !== undefined) {
            // The app IDs are read in this pass, which looks every row's app up already.
            this.foldPeopleAndDays(person, c.TimeGenerated !== undefined, streamName, {
                appName, appCategory, appScore, appTags, up, down, total, blocked, events, users, time, userName: category(c.UserName),
                appIds,
            }, fromRow, rowCount);
        } else if (appIds !== undefined) {
            this.foldAppIds(appName, appIds, streamName, fromRow, rowCount);
        }
        this.rowsRead += Math.max(0, rowCount - fromRow);
        const globalView = this.globalView;
        if (globalView !== null) {
            globalView.rowsRead = this.rowsRead;
            globalView.hasSegment = this.hasSegment;
            globalView.highlights = this.highlights;
            globalView.usersSubtotal = this.usersSubtotal;
            globalView.ipAddressesSubtotal = this.ipAddressesSubtotal;
        }
    }

    /**
     * One pass over the rows for the people and the days, so that a row's stream, app, person and day are each looked
     * up once. People: each row's traffic under its user (or IP address), in its scope (the Global view's rows apart).
     * Days (TimeGenerated bound): each row's day under its stream (every stream, the Global view's too), its traffic
     * into the day's sums of its scope, and the day of the app attributes the row carries (AppVariant.lastDay).
     */
    private foldPeopleAndDays(
        person: Column, timeBound: boolean, streamName: Column, columns: DayColumns, fromRow: number, rowCount: number,
    ): void {
        const days = timeBound ? (this.days ??= new DayFold<StreamEntry>(this.dayReadings)) : null;
        const { time, appName } = columns;
        const userIsPerson = columns.userName !== undefined && person === columns.userName;
        let streamRaw: unknown = UNSEEN, stream: StreamEntry | null = null;
        // Rows come grouped: the app, person and user are looked up only when the row's value (or scope) changes.
        let appRaw: unknown = UNSEEN, appScope: ModelAccumulator | null = null, app: AppEntry | null = null;
        let personRaw: unknown = UNSEEN, personScope: ModelAccumulator | null = null, personEntry: PersonEntry | null = null;
        let userRaw: unknown = UNSEEN, userScope: ModelAccumulator | null = null, user: PersonEntry | null = null;
        for (let row = fromRow; row < rowCount; row++) {
            if (streamName) {
                const v = streamName[row];
                if (v !== streamRaw) {
                    stream = this.streams.get(v, row);
                    streamRaw = v;
                }
            }
            const scope = stream?.isGlobalView && this.globalView !== null ? this.globalView : this;
            const raw = time?.[row];
            const reading = time ? this.dayReadings.read(raw) : null;
            if (appName) {
                const v = appName[row];
                if (v !== appRaw || scope !== appScope) {
                    app = scope.apps.get(v, row);
                    appRaw = v;
                    appScope = scope;
                }
                if (columns.appIds && app!.appId === null) app!.appId = normalizeAppId(columns.appIds[row]);
            }
            if (person) {
                const v = person[row];
                if (v !== personRaw || scope !== personScope) {
                    personEntry = scope.people.get(v, row);
                    personRaw = v;
                    personScope = scope;
                }
                scope.addToPerson(personEntry!, row, app, reading?.kind === "day" ? reading.day : null, columns);
            }
            if (days === null || reading === null) continue;
            const day = days.addReading(reading, stream);
            if (day === null) continue;
            if (columns.userName !== undefined) {
                const v = columns.userName[row];
                if (v !== userRaw || scope !== userScope) {
                    user = isBlankValue(v) ? null : userIsPerson ? personEntry : scope.people.get(v, row);
                    userRaw = v;
                    userScope = scope;
                }
            }
            scope.foldDayRow(row, day, raw, app, user, columns);
        }
    }

    /** Adds row `row` to its person. */
    private addToPerson(person: PersonEntry, row: number, app: AppEntry | null, day: number | null, columns: DayColumns): void {
        const r = this.personRow;
        const uploaded = validOrNone(columns.up?.[row]);
        const downloaded = validOrNone(columns.down?.[row]);
        r.uploaded = uploaded;
        r.downloaded = downloaded;
        r.total = totalOfRow(columns, row, uploaded, downloaded);
        r.blocked = validOrNone(columns.blocked?.[row]);
        r.app = app;
        r.day = day;
        addPersonRow(person, r);
    }

    /** Adds row `row` to its day's sums and raises the last day of the app attributes it carries. */
    private foldDayRow(row: number, day: number, raw: unknown, app: AppEntry | null, user: PersonEntry | null, columns: DayColumns): void {
        // An app's rows mostly carry the same attributes: they are looked up only when they differ from those of the
        // app's previous dated row (without AppName, of the scope's previous row).
        const categoryRaw = columns.appCategory?.[row];
        const scoreRaw = columns.appScore?.[row];
        const tagsRaw = columns.appTags?.[row];
        let c = app !== null ? app.dayAttributes : this.dayAttributes;
        if (c === null || categoryRaw !== c.categoryRaw || scoreRaw !== c.scoreRaw || tagsRaw !== c.tagsRaw
            || (tagsRaw !== null && typeof tagsRaw === "object") || (app !== null && c.variant === null)) {
            c = this.resolveDayAttributes(c, app, row, categoryRaw, scoreRaw, tagsRaw, columns);
        }
        const score = c.score, tagClass = c.tagClass;
        const variant = c.variant;
        if (variant !== null && day > variant.lastDay) variant.lastDay = day;
        const uploaded = validOrNone(columns.up?.[row]);
        const downloaded = validOrNone(columns.down?.[row]);
        const total = totalOfRow(columns, row, uploaded, downloaded);
        if (app !== null) {
            addAppDayRow(
                app, day, total, validOrNone(columns.events?.[row]), validOrNone(columns.blocked?.[row]), tagClass === "unsanctioned",
            );
        }
        // One object refilled for every row: the fold allocates nothing per row once the distinct values are seen.
        const r = this.dayRow;
        r.row = row;
        if (raw instanceof Date) {
            r.time = raw.getTime();
            r.timeText = null;
        } else {
            r.time = Number.NaN;
            r.timeText = String(raw);
        }
        r.uploaded = uploaded;
        r.downloaded = downloaded;
        r.total = total;
        r.app = app;
        r.score = score;
        r.tagClass = tagClass;
        // The row's person entry (people.ts): one per distinct UserName.
        r.user = user;
        r.users = validOrNone(columns.users?.[row]);
        (this.daySums ??= new DaySumsFold()).add(day, r);
    }

    /** Looks up a dated row's category, score, tag class and app variant, and keeps them as the app's (or scope's) last. */
    private resolveDayAttributes(
        previous: AppRowAttributes | null, app: AppEntry | null, row: number, categoryRaw: unknown, scoreRaw: unknown, tagsRaw: unknown,
        columns: DayColumns,
    ): AppRowAttributes {
        const c = previous ?? {
            categoryRaw: UNSEEN, category: null, scoreRaw: UNSEEN, score: null, tagsRaw: UNSEEN, tagClass: "other", variant: null,
        };
        if (app !== null) app.dayAttributes = c;
        else this.dayAttributes = c;
        if (columns.appCategory && (categoryRaw !== c.categoryRaw || c.category === null)) c.category = this.categories.get(categoryRaw, row);
        if (columns.appScore && (scoreRaw !== c.scoreRaw || c.score === null)) c.score = this.scores.get(scoreRaw, row);
        if (columns.appTags && (tagsRaw !== c.tagsRaw || (tagsRaw !== null && typeof tagsRaw === "object"))) {
            c.tagClass = isBlankValue(tagsRaw) ? "other" : this.tagClassOf(tagsRaw);
        }
        c.categoryRaw = categoryRaw;
        c.scoreRaw = scoreRaw;
        c.tagsRaw = tagsRaw;
        const { category, score, tagClass } = c;
        // A found variant stays the only one with its attributes (variantOf never makes a second).
        c.variant = app === null ? null
            : app.variants.find(v => v.category === category && v.score === score && v.tagClass === tagClass) ?? null;
        return c;
    }

    /**
     * Gives each app the first valid AppId its rows carry, in its scope. Rows come grouped by app, so the app is
     * looked up only when the row's app value changes, and not at all once it has an id.
     */
    private foldAppIds(appName: Column, appId: Column, streamName: Column, fromRow: number, rowCount: number): void {
        let previousApp: unknown = UNSEEN;
        let previousScope: ModelAccumulator | null = null;
        let streamRaw: unknown = UNSEEN, stream: StreamEntry | null = null;
        for (let row = fromRow; row < rowCount; row++) {
            if (streamName && streamName[row] !== streamRaw) {
                streamRaw = streamName[row];
                stream = this.streams.get(streamRaw, row);
            }
            const scope = stream?.isGlobalView && this.globalView !== null ? this.globalView : this;
            const value = appName![row];
            if (value === previousApp && scope === previousScope) continue;
            const app = scope.apps.get(value, row);
            if (app.appId === null) {
                app.appId = normalizeAppId(appId?.[row]);
                if (app.appId === null) continue;
            }
            previousApp = value;
            previousScope = scope;
        }
    }

    /** The accumulator of the Global view's rows, created when its first row is met. */
    private globalScope(): ModelAccumulator {
        this.globalView ??= new ModelAccumulator(this.binding, this.shortened, true);
        return this.globalView;
    }

    /**
     * The per-row loop. Measures are checked inline and summed into locals. Rows arrive grouped, so consecutive
     * rows usually share their app, category, score and tags: such a run is summed in locals too and added to
     * its entries once, when one of the four values changes. Streams vary fastest: a row's stream entry is the
     * previous stream's successor when the value matches it, else it is looked up. Nothing is allocated per row once
     * the distinct values have been seen. What the loop uses on every row (NONE, addRun, validOrNone, sumOfParts)
     * stays in this module: pbiviz bundles without module concatenation, where an import is read through webpack's
     * module object on each use (measured: a quarter slower with them in a module of their own).
     */
    private foldRows(fromRow: number, rowCount: number, columns: FoldColumns): void {
        const {
            appCategory, appName, streamName, appScore, appTags, up, down, total, events, blocked, users, ips, exact,
            upH, downH, totalH, deriveTotal,
        } = columns;
        const t = this.totals;
        let sumUploaded = t.uploaded, sumDownloaded = t.downloaded, sumTotal = t.total, sumEvents = t.events;
        let sumBlocked = t.blocked, usersMax = t.usersMax, ipsMax = t.ipAddressesMax;
        let badUp = 0, badDown = 0, badTotal = 0, badEvents = 0, badBlocked = 0, badUsers = 0, badIps = 0;
        let negUp = 0, negDown = 0, negTotal = 0, negEvents = 0, negBlocked = 0, negUsers = 0, negIps = 0;
        let appRaw: unknown = UNSEEN, categoryRaw: unknown = UNSEEN, scoreRaw: unknown = UNSEEN, tagsRaw: unknown = UNSEEN;
        const run: Run = {
            app: undefined, category: undefined, score: undefined, tagClass: "other", tagsBlank: true,
            rows: 0, bytes: 0, highlightedBytes: 0, blocked: 0, usersMax: NONE, uploaded: 0, events: 0,
        };
        let runRows = 0, runBytes = 0, runHighlighted = 0, runBlocked = 0, runUsersMax = NONE, runUploaded = 0, runEvents = 0;
        let streamRaw: unknown = UNSEEN, streamEntry: StreamEntry | undefined;
        const splitGlobalView = !this.isGlobalScope;
        for (let row = fromRow; row < rowCount; row++) {
            // The row's stream entry first: a Global view row goes to its own accumulator, and the measures of
            // the others are added where they go as soon as they are read.
            let v: unknown;
            let entry: StreamEntry | undefined;
            if (streamName) {
                v = streamName[row];
                // The successor is tried first: in grouped rows the stream changes on most rows, and a match is
                // the same value (one pointer comparison) where comparing two different texts reads them.
                const previous = streamEntry;
                if (previous === undefined) {
                    streamEntry = this.streams.get(v, row);
                } else if (previous.successorRaw === v && previous.successor !== undefined) {
                    streamEntry = previous.successor;
                } else if (v !== streamRaw) {
                    streamEntry = this.streams.get(v, row);
                    previous.successorRaw = v;
                    previous.successor = streamEntry;
                }
                streamRaw = v;
                entry = streamEntry;
                if (splitGlobalView && entry!.isGlobalView) {
                    // Leaves this scope's run as it is: the rows of the other streams around it continue it.
                    this.globalScope().foldRows(row, row + 1, columns);
                    continue;
                }
            }
            // Unbound columns read as undefined on every row, so they never end a run.
            const appValue = appName?.[row];
            const categoryValue = appCategory?.[row];
            const scoreValue = appScore?.[row];
            const tagsValue = appTags?.[row];
            if (appValue !== appRaw || categoryValue !== categoryRaw || scoreValue !== scoreRaw || tagsValue !== tagsRaw
                || (tagsValue !== null && typeof tagsValue === "object")) {
                if (runRows > 0) {
                    run.rows = runRows; run.bytes = runBytes; run.highlightedBytes = runHighlighted;
                    run.blocked = runBlocked; run.usersMax = runUsersMax; run.uploaded = runUploaded; run.events = runEvents;
                    addRun(run, appTags !== undefined);
                }
                runRows = 0; runBytes = 0; runHighlighted = 0; runBlocked = 0; runUsersMax = NONE; runUploaded = 0; runEvents = 0;
                if (appName && (appValue !== appRaw || run.app === undefined)) run.app = this.apps.get(appValue, row);
                if (appCategory && (categoryValue !== categoryRaw || run.category === undefined)) {
                    run.category = this.categories.get(categoryValue, row);
                }
                if (appScore && (scoreValue !== scoreRaw || run.score === undefined)) run.score = this.scores.get(scoreValue, row);
                if (appTags && (tagsValue !== tagsRaw || (tagsValue !== null && typeof tagsValue === "object"))) {
                    run.tagClass = this.tagClassOf(tagsValue);
                    run.tagsBlank = isBlankValue(tagsValue);
                }
                appRaw = appValue;
                categoryRaw = categoryValue;
                scoreRaw = scoreValue;
                tagsRaw = tagsValue;
            }
            runRows++;
            let upBytes = NONE, downBytes = NONE;
            if (up) {
                v = up[row];
                if (typeof v === "number" && v >= 0 && v < Infinity) {
                    upBytes = v;
                    sumUploaded += v;
                    runUploaded += v;
                    if (entry) entry.uploaded += v;
                } else if (typeof v === "number" && v < 0 && v > -Infinity) negUp++;
                else if (v !== null && v !== undefined) badUp++;
            }
            if (down) {
                v = down[row];
                if (typeof v === "number" && v >= 0 && v < Infinity) {
                    downBytes = v;
                    sumDownloaded += v;
                    if (entry) entry.downloaded += v;
                } else if (typeof v === "number" && v < 0 && v > -Infinity) negDown++;
                else if (v !== null && v !== undefined) badDown++;
            }
            if (entry) {
                if (upH) {
                    v = upH[row];
                    if (typeof v === "number" && v >= 0 && v < Infinity) entry.highlightedUploaded += v;
                }
                if (downH) {
                    v = downH[row];
                    if (typeof v === "number" && v >= 0 && v < Infinity) entry.highlightedDownloaded += v;
                }
            }
            if (total) {
                v = total[row];
                if (typeof v === "number" && v >= 0 && v < Infinity) {
                    sumTotal += v;
                    runBytes += v;
                } else if (typeof v === "number" && v < 0 && v > -Infinity) negTotal++;
                else if (v !== null && v !== undefined) badTotal++;
                if (totalH) {
                    v = totalH[row];
                    if (typeof v === "number" && v >= 0 && v < Infinity) runHighlighted += v;
                }
            } else if (deriveTotal) {
                const bytes = sumOfParts(upBytes, downBytes);
                if (bytes !== NONE) {
                    sumTotal += bytes;
                    runBytes += bytes;
                }
                const highlightedBytes = sumOfParts(validOrNone(upH?.[row]), validOrNone(downH?.[row]));
                if (highlightedBytes !== NONE) runHighlighted += highlightedBytes;
            }
            if (events) {
                v = events[row];
                if (typeof v === "number" && v >= 0 && v < Infinity) {
                    sumEvents += v;
                    runEvents += v;
                }
                else if (typeof v === "number" && v < 0 && v > -Infinity) negEvents++;
                else if (v !== null && v !== undefined) badEvents++;
            }
            if (blocked) {
                v = blocked[row];
                if (typeof v === "number" && v >= 0 && v < Infinity) {
                    sumBlocked += v;
                    runBlocked += v;
                } else if (typeof v === "number" && v < 0 && v > -Infinity) negBlocked++;
                else if (v !== null && v !== undefined) badBlocked++;
            }
            if (users) {
                v = users[row];
                if (typeof v === "number" && v >= 0 && v < Infinity) {
                    if (v > usersMax) usersMax = v;
                    if (v > runUsersMax) runUsersMax = v;
                } else if (typeof v === "number" && v < 0 && v > -Infinity) negUsers++;
                else if (v !== null && v !== undefined) badUsers++;
            }
            if (ips) {
                v = ips[row];
                if (typeof v === "number" && v >= 0 && v < Infinity) {
                    if (v > ipsMax) ipsMax = v;
                } else if (typeof v === "number" && v < 0 && v > -Infinity) negIps++;
                else if (v !== null && v !== undefined) badIps++;
            }
            if (exact) this.foldExactCounts(row, exact, run.app, run.category, entry);
        }
        if (runRows > 0) {
            run.rows = runRows; run.bytes = runBytes; run.highlightedBytes = runHighlighted;
            run.blocked = runBlocked; run.usersMax = runUsersMax; run.uploaded = runUploaded; run.events = runEvents;
            addRun(run, appTags !== undefined);
        }
        t.uploaded = sumUploaded;
        t.downloaded = sumDownloaded;
        t.total = sumTotal;
        t.events = sumEvents;
        t.blocked = sumBlocked;
        t.usersMax = usersMax;
        t.ipAddressesMax = ipsMax;
        this.countLeftOut("UploadedBytes", badUp, negUp);
        this.countLeftOut("DownloadedBytes", badDown, negDown);
        this.countLeftOut("TotalBytes", badTotal, negTotal);
        this.countLeftOut("TotalEvents", badEvents, negEvents);
        this.countLeftOut("BlockedEvents", badBlocked, negBlocked);
        this.countLeftOut("Users", badUsers, negUsers);
        this.countLeftOut("IpAddresses", badIps, negIps);
    }

    /** Checks one row's exact counts against those its app, category, stream and the whole visual already carry. */
    private foldExactCounts(
        row: number, columns: ExactColumns, app: AppEntry | undefined, category: CategoryEntry | undefined, stream: StreamEntry | undefined,
    ): void {
        const t = this.totals;
        if (columns.usersTotal) this.noteExact("UsersTotal", t.usersTotal, columns.usersTotal[row]);
        if (columns.ipAddressesTotal) this.noteExact("IpAddressesTotal", t.ipAddressesTotal, columns.ipAddressesTotal[row]);
        if (columns.perApp && app) this.noteExact("UsersPerApp", app.usersExact, columns.perApp[row]);
        if (columns.perCategory && category) this.noteExact("UsersPerCategory", category.usersExact, columns.perCategory[row]);
        if (columns.perStream && stream) this.noteExact("UsersPerStream", stream.usersExact, columns.perStream[row]);
    }

    private noteExact(role: ExactCountRole, count: ExactCount, raw: unknown): void {
        switch (noteExactCount(count, raw)) {
            case "invalid": this.countInvalid(role, 1); break;
            case "negative": this.countNegative(role, 1); break;
            case "conflict": this.inconsistentCounts.add(role); break;
        }
    }

    private countInvalid(role: MeasureRole, count: number): void {
        if (count > 0) this.invalidValues[role] = (this.invalidValues[role] ?? 0) + count;
    }

    private countNegative(role: MeasureRole, count: number): void {
        if (count > 0) this.negativeValues[role] = (this.negativeValues[role] ?? 0) + count;
    }

    /** Counts a measure's values left out by one fold: invalid ones (not numbers, NaN, infinite) and negative ones. */
    private countLeftOut(role: MeasureRole, invalid: number, negative: number): void {
        this.countInvalid(role, invalid);
        this.countNegative(role, negative);
    }

    private tagClassOf(raw: unknown): TagClass {
        if (raw !== null && typeof raw === "object") return tagClassOf(parseAppTags(raw));
        let tagClass = this.tagClasses.get(raw);
        if (tagClass === undefined) {
            tagClass = tagClassOf(parseAppTags(raw));
            this.tagClasses.set(raw, tagClass);
        }
        return tagClass;
    }

    /** Display text of a new entry, truncated (and counted when it was). */
    private truncated(role: GroupingRole, full: string): string {
        const text = truncateLabel(full);
        if (text !== full) this.shortened.add(`${role}:${full}`);
        return text;
    }
}

/** Consecutive rows with the same app, category, score and tags: their entries and what the rows sum to. */
interface Run {
    app: AppEntry | undefined;
    category: CategoryEntry | undefined;
    score: ScoreEntry | undefined;
    tagClass: TagClass;
    tagsBlank: boolean;
    rows: number;
    bytes: number;
    highlightedBytes: number;
    blocked: number;
    usersMax: number;
    uploaded: number;
    events: number;
}

/** Adds a run's sums to its entries; the same as adding its rows one by one, in the same order. */
function addRun(run: Run, tagsBound: boolean): void {
    const { app, category, score } = run;
    const tagClass: TagClass = tagsBound && !run.tagsBlank ? run.tagClass : "other";
    if (app) {
        app.rows += run.rows;
        app.totalBytes += run.bytes;
        app.highlightedBytes += run.highlightedBytes;
        app.blocked += run.blocked;
        app.uploaded += run.uploaded;
        app.events += run.events;
        if (run.usersMax > app.usersMax) app.usersMax = run.usersMax;
        variantOf(app, category ?? null, score ?? null, tagClass).bytes += run.bytes;
    }
    if (category) {
        category.totalBytes += run.bytes;
        switch (tagClass) {
            case "sanctioned": category.sanctioned += run.bytes; break;
            case "unsanctioned": category.unsanctioned += run.bytes; break;
            default: category.other += run.bytes;
        }
        category.highlightedBytes += run.highlightedBytes;
    }
    if (score) {
        score.rows += run.rows;
        score.totalBytes += run.bytes;
        score.highlightedBytes += run.highlightedBytes;
        if (run.usersMax > score.usersMax) score.usersMax = run.usersMax;
    }
}

/** The app's variant for these attributes, created on first sight. */
function variantOf(app: AppEntry, category: CategoryEntry | null, score: ScoreEntry | null, tagClass: TagClass): AppVariant {
    const last = app.lastVariant;
    if (last !== null && last.category === category && last.score === score && last.tagClass === tagClass) return last;
    let variant = app.variants.find(v => v.category === category && v.score === score && v.tagClass === tagClass);
    if (variant === undefined) {
        variant = { category, score, tagClass, bytes: 0, lastDay: NONE };
        app.variants.push(variant);
    }
    app.lastVariant = variant;
    return variant;
}

/** A measure value when valid (a number ≥ 0 and finite), else NONE. */
function validOrNone(v: unknown): number {
    return typeof v === "number" && v >= 0 && v < Infinity ? v : NONE;
}

/** Total of a row from its parts: the valid parts, or NONE when neither is valid. */
function sumOfParts(a: number, b: number): number {
    if (a === NONE && b === NONE) return NONE;
    return (a === NONE ? 0 : a) + (b === NONE ? 0 : b);
}

/** A row's total bytes: TotalBytes when bound, else the sum of its valid parts when both are bound; else NONE. */
function totalOfRow(columns: { readonly total: Column; readonly up: Column; readonly down: Column }, row: number, uploaded: number, downloaded: number): number {
    return columns.total ? validOrNone(columns.total[row]) : columns.up && columns.down ? sumOfParts(uploaded, downloaded) : NONE;
}

function subtotalOf(column: { readonly subtotal?: unknown; readonly source: { readonly aggregates?: { readonly subtotal?: unknown } } } | undefined): number | null {
    if (!column) return null;
    const value = column.subtotal ?? column.source.aggregates?.subtotal;
    return typeof value === "number" && value >= 0 && value < Infinity ? value : null;
}

/** A fresh accumulator for a DataView's columns, with all its rows folded. */
export function accumulate(dataView: DataViewInput | undefined): ModelAccumulator {
    const accumulator = new ModelAccumulator(bindRoles(dataView));
    accumulator.fold(dataView, 0);
    return accumulator;
}
