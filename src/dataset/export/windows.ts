// Planning of export windows: pure functions from row counts per hour to query windows that stay under the
// Log Analytics limits (500,000 rows, ~100 MB per result) and never cross a UTC day boundary.

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** A half-open time range [start, end) in epoch milliseconds. */
export interface Span {
    readonly start: number;
    readonly end: number;
}

export interface PlannedWindow extends Span {
    /** The UTC day (yyyy-mm-dd) the window belongs to. */
    readonly day: string;
    /** Rows the count query expected in the window (an estimate: ingestion may add rows meanwhile). */
    readonly expectedRows: number;
}

export interface DayPlan extends Span {
    readonly day: string;
    readonly windows: readonly PlannedWindow[];
    readonly expectedRows: number;
}

export function utcDay(ms: number): string {
    return new Date(ms).toISOString().slice(0, 10);
}

export function startOfUtcDay(ms: number): number {
    return Math.floor(ms / DAY_MS) * DAY_MS;
}

export function formatSpan(span: Span): string {
    return `${new Date(span.start).toISOString()}–${new Date(span.end).toISOString()}`;
}

/** Splits [start, end) at UTC midnights. */
export function splitByUtcDay(span: Span): Span[] {
    const out: Span[] = [];
    let cursor = span.start;
    while (cursor < span.end) {
        const next = Math.min(startOfUtcDay(cursor) + DAY_MS, span.end);
        out.push({ start: cursor, end: next });
        cursor = next;
    }
    return out;
}

/**
 * Plans the windows of a range. `countsByHour` maps the start of each UTC hour (epoch ms) to its row count;
 * hours absent from it hold no rows. Consecutive hours are packed while their total stays within
 * `rowBudget`; an hour above the budget on its own is cut into equal sub-windows (the rows are assumed
 * spread evenly; a window that still answers too large is bisected at query time).
 */
export function planWindows(range: Span, countsByHour: ReadonlyMap<number, number>, rowBudget: number): DayPlan[] {
    if (!(rowBudget >= 1)) throw new RangeError(`row budget must be at least 1, got ${rowBudget}`);
    const days: DayPlan[] = [];
    for (const daySpan of splitByUtcDay(range)) {
        const day = utcDay(daySpan.start);
        const windows: PlannedWindow[] = [];
        let open: { start: number; rows: number } | undefined;
        const close = (end: number): void => {
            if (open && end > open.start) windows.push({ start: open.start, end, day, expectedRows: open.rows });
            open = undefined;
        };
        for (let hour = Math.floor(daySpan.start / HOUR_MS) * HOUR_MS; hour < daySpan.end; hour += HOUR_MS) {
            const start = Math.max(hour, daySpan.start);
            const end = Math.min(hour + HOUR_MS, daySpan.end);
            // A partial first/last hour is charged the whole hour's count: an over-estimate, never an under-one.
            const rows = countsByHour.get(hour) ?? 0;
            if (rows > rowBudget) {
                close(start);
                const parts = Math.ceil(rows / rowBudget);
                const step = Math.max(1000, Math.ceil((end - start) / parts));
                for (let s = start; s < end; s += step) {
                    const e = Math.min(s + step, end);
                    windows.push({ start: s, end: e, day, expectedRows: Math.ceil(rows * (e - s) / (end - start)) });
                }
                continue;
            }
            if (open && open.rows + rows > rowBudget) close(start);
            if (!open) open = { start, rows: 0 };
            open.rows += rows;
        }
        close(daySpan.end);
        days.push({ ...daySpan, day, windows, expectedRows: windows.reduce((n, w) => n + w.expectedRows, 0) });
    }
    return days;
}

/** Halves a window in time (millisecond resolution); undefined when it is already at the minimum span. */
export function bisect(span: Span, minSpanMs: number): [Span, Span] | undefined {
    if (span.end - span.start < 2 * minSpanMs) return undefined;
    const mid = span.start + Math.floor((span.end - span.start) / 2);
    return [{ start: span.start, end: mid }, { start: mid, end: span.end }];
}

/** Splits a long range into chunks of at most `maxMs` for the count queries. */
export function chunkRange(range: Span, maxMs: number): Span[] {
    const out: Span[] = [];
    for (let s = range.start; s < range.end; s += maxMs) out.push({ start: s, end: Math.min(s + maxMs, range.end) });
    return out;
}
