import { parseAppTags, TagClass, tagClassOf } from "../schema";
import { DistinctValues } from "./distinct";
import { bindRoles, DataViewInput, hasMoreSegments, RoleBinding, rowCountOf } from "./input";
import { buildModel, DisplayLabels } from "./snapshot";
import { DashboardModel, DashboardSettings, MeasureRole } from "./types";
import { isBlankValue, scoreOf, truncateLabel, valueText } from "./values";

/*
 * Folds DataView rows into aggregates per distinct value (category, stream, score, app), so that:
 * - a fetchMoreData segment folds only its new rows (O(new rows), nothing allocated per row once values are known);
 * - thresholds and top N apply at snapshot time, so a settings change never re-reads rows;
 * - memory is bounded by distinct values, not by rows.
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
}

export interface StreamEntry extends LabelledEntry {
    uploaded: number;
    downloaded: number;
    highlightedUploaded: number;
    highlightedDownloaded: number;
}

export interface AppEntry extends LabelledEntry {
    totalBytes: number;
    highlightedBytes: number;
    blocked: number;
    /** Largest per-row Users value seen for the app; -1 when none. */
    usersMax: number;
    /** The first non-blank category seen (a blank one until then); null before any row with AppCategory. */
    category: CategoryEntry | null;
    /** The first valid score seen; null while none. */
    score: number | null;
    /** Tag class of the first non-blank AppTags seen; null while none. */
    tagClass: TagClass | null;
}

export interface ScoreEntry {
    readonly key: string;
    readonly firstRow: number;
    /** The score when it is a number within 0-10, else null (unscored). */
    readonly score: number | null;
    rows: number;
    totalBytes: number;
    highlightedBytes: number;
    readonly apps: Set<AppEntry>;
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
    readonly invalidValues: Readonly<Partial<Record<MeasureRole, number>>>;
    readonly truncatedLabels: number;
    /** Host-provided grand totals of the distinct-count measures (exact), when valid. */
    readonly usersSubtotal: number | null;
    readonly ipAddressesSubtotal: number | null;
}

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
    readonly upH: Column;
    readonly downH: Column;
    readonly totalH: Column;
    readonly deriveTotal: boolean;
}

/** Differs from every value a DataView can hold: "no previous row" for the run caches. */
const UNSEEN: unknown = Symbol("unseen");

export class ModelAccumulator implements Aggregates {
    rowsRead = 0;
    hasSegment = false;
    highlights: HighlightAvailability = { total: false, uploaded: false, downloaded: false };
    readonly totals: Totals = {
        uploaded: 0, downloaded: 0, total: 0, events: 0, blocked: 0, usersMax: NONE, ipAddressesMax: NONE,
    };
    readonly invalidValues: Partial<Record<MeasureRole, number>> = {};
    truncatedLabels = 0;
    usersSubtotal: number | null = null;
    ipAddressesSubtotal: number | null = null;

    // Entries are plain literals with every field present from the start (no spread, no field changing kind), so
    // that all entries of a kind share one shape and the fold's stores stay fast.
    readonly categories = new DistinctValues<CategoryEntry>((raw, key, row) => {
        const full = valueText(raw);
        return {
            key, firstRow: row, text: this.truncated(full), isBlank: full === "",
            totalBytes: 0, sanctioned: 0, unsanctioned: 0, other: 0, highlightedBytes: 0,
        };
    });
    readonly streams = new DistinctValues<StreamEntry>((raw, key, row) => {
        const full = valueText(raw);
        return {
            key, firstRow: row, text: this.truncated(full), isBlank: full === "",
            uploaded: 0, downloaded: 0, highlightedUploaded: 0, highlightedDownloaded: 0,
        };
    });
    readonly scores = new DistinctValues<ScoreEntry>((raw, key, row) => ({
        key, firstRow: row, score: scoreOf(raw), rows: 0, totalBytes: 0, highlightedBytes: 0, apps: new Set(),
        usersMax: NONE,
    }));
    readonly apps = new DistinctValues<AppEntry>((raw, key, row) => {
        const full = valueText(raw);
        return {
            key, firstRow: row, text: this.truncated(full), isBlank: full === "",
            totalBytes: 0, highlightedBytes: 0, blocked: 0, usersMax: NONE, category: null, score: null, tagClass: null,
        };
    });
    private readonly tagClasses = new Map<unknown, TagClass>();

    constructor(readonly binding: RoleBinding) {}

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
        this.highlights = {
            total: totalH !== undefined || (deriveTotal && upH !== undefined && downH !== undefined),
            uploaded: upH !== undefined,
            downloaded: downH !== undefined,
        };
        this.usersSubtotal = subtotalOf(valueColumns[m.Users ?? -1]);
        this.ipAddressesSubtotal = subtotalOf(valueColumns[m.IpAddresses ?? -1]);

        this.foldRows(fromRow, rowCount, {
            appCategory, appName, streamName, appScore, appTags, up, down, total, events, blocked, users, ips,
            upH, downH, totalH, deriveTotal,
        });
        this.rowsRead += Math.max(0, rowCount - fromRow);
    }

    /**
     * The per-row loop: measures are checked inline and summed into locals, and each grouping column's entry is
     * looked up only when its value differs from the previous row's (rows arrive grouped, so runs are common).
     * Nothing is allocated per row once the distinct values have been seen.
     */
    private foldRows(fromRow: number, rowCount: number, columns: FoldColumns): void {
        const {
            appCategory, appName, streamName, appScore, appTags, up, down, total, events, blocked, users, ips,
            upH, downH, totalH, deriveTotal,
        } = columns;
        const t = this.totals;
        let sumUploaded = t.uploaded, sumDownloaded = t.downloaded, sumTotal = t.total, sumEvents = t.events;
        let sumBlocked = t.blocked, usersMax = t.usersMax, ipsMax = t.ipAddressesMax;
        let badUp = 0, badDown = 0, badTotal = 0, badEvents = 0, badBlocked = 0, badUsers = 0, badIps = 0;
        let appRaw: unknown = UNSEEN, app: AppEntry | undefined;
        let categoryRaw: unknown = UNSEEN, categoryEntry: CategoryEntry | undefined;
        let scoreRaw: unknown = UNSEEN, scoreEntry: ScoreEntry | undefined;
        let streamRaw: unknown = UNSEEN, streamEntry: StreamEntry | undefined;
        let tagsRaw: unknown = UNSEEN, tagClass: TagClass = "other";
        let scoreAppsEntry: ScoreEntry | undefined, scoreAppsApp: AppEntry | undefined;
        for (let row = fromRow; row < rowCount; row++) {
            let upBytes = NONE, downBytes = NONE, bytes = NONE, highlightedBytes = NONE;
            let upHighlight = NONE, downHighlight = NONE, userCount = NONE, blockedCount = NONE;
            let v: unknown;
            if (up) {
                v = up[row];
                if (typeof v === "number" && v >= 0 && v < Infinity) upBytes = v;
                else if (v !== null && v !== undefined) badUp++;
            }
            if (down) {
                v = down[row];
                if (typeof v === "number" && v >= 0 && v < Infinity) downBytes = v;
                else if (v !== null && v !== undefined) badDown++;
            }
            if (upH) {
                v = upH[row];
                if (typeof v === "number" && v >= 0 && v < Infinity) upHighlight = v;
            }
            if (downH) {
                v = downH[row];
                if (typeof v === "number" && v >= 0 && v < Infinity) downHighlight = v;
            }
            if (total) {
                v = total[row];
                if (typeof v === "number" && v >= 0 && v < Infinity) bytes = v;
                else if (v !== null && v !== undefined) badTotal++;
                if (totalH) {
                    v = totalH[row];
                    if (typeof v === "number" && v >= 0 && v < Infinity) highlightedBytes = v;
                }
            } else if (deriveTotal) {
                bytes = sumOfParts(upBytes, downBytes);
                highlightedBytes = sumOfParts(upHighlight, downHighlight);
            }
            if (users) {
                v = users[row];
                if (typeof v === "number" && v >= 0 && v < Infinity) userCount = v;
                else if (v !== null && v !== undefined) badUsers++;
            }

            if (upBytes !== NONE) sumUploaded += upBytes;
            if (downBytes !== NONE) sumDownloaded += downBytes;
            if (bytes !== NONE) sumTotal += bytes;
            if (events) {
                v = events[row];
                if (typeof v === "number" && v >= 0 && v < Infinity) sumEvents += v;
                else if (v !== null && v !== undefined) badEvents++;
            }
            if (blocked) {
                v = blocked[row];
                if (typeof v === "number" && v >= 0 && v < Infinity) {
                    blockedCount = v;
                    sumBlocked += v;
                } else if (v !== null && v !== undefined) badBlocked++;
            }
            if (userCount > usersMax) usersMax = userCount;
            if (ips) {
                v = ips[row];
                if (typeof v === "number" && v >= 0 && v < Infinity) {
                    if (v > ipsMax) ipsMax = v;
                } else if (v !== null && v !== undefined) badIps++;
            }

            if (appTags) {
                v = appTags[row];
                if (v !== tagsRaw || (v !== null && typeof v === "object")) {
                    tagsRaw = v;
                    tagClass = this.tagClassOf(v);
                }
            }

            if (appName) {
                v = appName[row];
                if (v !== appRaw || app === undefined) {
                    appRaw = v;
                    app = this.apps.get(v, row);
                }
                if (bytes !== NONE) app.totalBytes += bytes;
                if (highlightedBytes !== NONE) app.highlightedBytes += highlightedBytes;
                if (blockedCount !== NONE) app.blocked += blockedCount;
                if (userCount > app.usersMax) app.usersMax = userCount;
                if (appTags && app.tagClass === null && !isBlankValue(tagsRaw)) app.tagClass = tagClass;
            }

            if (appCategory) {
                v = appCategory[row];
                if (v !== categoryRaw || categoryEntry === undefined) {
                    categoryRaw = v;
                    categoryEntry = this.categories.get(v, row);
                }
                const entry = categoryEntry;
                if (app && (app.category === null || (app.category.isBlank && !entry.isBlank))) app.category = entry;
                if (bytes !== NONE) {
                    entry.totalBytes += bytes;
                    // A switch, not entry[tagClass]: a computed property store per row is a slow, generic store.
                    switch (appTags ? tagClass : "other") {
                        case "sanctioned": entry.sanctioned += bytes; break;
                        case "unsanctioned": entry.unsanctioned += bytes; break;
                        default: entry.other += bytes;
                    }
                }
                if (highlightedBytes !== NONE) entry.highlightedBytes += highlightedBytes;
            }
            if (appScore) {
                v = appScore[row];
                if (v !== scoreRaw || scoreEntry === undefined) {
                    scoreRaw = v;
                    scoreEntry = this.scores.get(v, row);
                }
                const entry = scoreEntry;
                entry.rows++;
                if (bytes !== NONE) entry.totalBytes += bytes;
                if (highlightedBytes !== NONE) entry.highlightedBytes += highlightedBytes;
                if (app) {
                    if (entry !== scoreAppsEntry || app !== scoreAppsApp) {
                        entry.apps.add(app);
                        scoreAppsEntry = entry;
                        scoreAppsApp = app;
                    }
                    if (app.score === null) app.score = entry.score;
                }
                if (userCount > entry.usersMax) entry.usersMax = userCount;
            }
            if (streamName) {
                v = streamName[row];
                if (v !== streamRaw || streamEntry === undefined) {
                    streamRaw = v;
                    streamEntry = this.streams.get(v, row);
                }
                const entry = streamEntry;
                if (upBytes !== NONE) entry.uploaded += upBytes;
                if (downBytes !== NONE) entry.downloaded += downBytes;
                if (upHighlight !== NONE) entry.highlightedUploaded += upHighlight;
                if (downHighlight !== NONE) entry.highlightedDownloaded += downHighlight;
            }
        }
        t.uploaded = sumUploaded;
        t.downloaded = sumDownloaded;
        t.total = sumTotal;
        t.events = sumEvents;
        t.blocked = sumBlocked;
        t.usersMax = usersMax;
        t.ipAddressesMax = ipsMax;
        this.countInvalid("UploadedBytes", badUp);
        this.countInvalid("DownloadedBytes", badDown);
        this.countInvalid("TotalBytes", badTotal);
        this.countInvalid("TotalEvents", badEvents);
        this.countInvalid("BlockedEvents", badBlocked);
        this.countInvalid("Users", badUsers);
        this.countInvalid("IpAddresses", badIps);
    }

    private countInvalid(role: MeasureRole, count: number): void {
        if (count > 0) this.invalidValues[role] = (this.invalidValues[role] ?? 0) + count;
    }

    snapshot(settings: DashboardSettings, labels: DisplayLabels): DashboardModel {
        return buildModel(this, settings, labels);
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
    private truncated(full: string): string {
        const text = truncateLabel(full);
        if (text !== full) this.truncatedLabels++;
        return text;
    }
}

/** Total of a row from its parts: the valid parts, or NONE when neither is valid. */
function sumOfParts(a: number, b: number): number {
    if (a === NONE && b === NONE) return NONE;
    return (a === NONE ? 0 : a) + (b === NONE ? 0 : b);
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
