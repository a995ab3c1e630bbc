import type { LeftOutDate } from "./types";
import { isBlankValue } from "./values";

/*
 * TimeGenerated as calendar days. A day is a whole number: the days from 1970-01-01 to the date as the dataset
 * writes it (its wall-clock date), so that the same row falls on the same day in every time zone.
 *
 * Which values are days, and why:
 * - A Date object: Power BI hands date and date/time columns to a visual as JavaScript dates built from the model's
 *   wall-clock value in the browser's time zone (a date column arrives as local midnight; visuals that read them in
 *   UTC show the day before, microsoft/charticulator#1067), so the day is the date's local year, month and day.
 * - A text "YYYY-MM-DD" with or without a time after it: dates sometimes reach a visual as text
 *   (microsoft/PowerBI-visuals-tools#412); the date written is taken as it stands, never shifted by an offset.
 * - A number is no date: it is what a level of a date hierarchy gives (Year 2026, Day 2); a visual whose time role
 *   takes one field receives the Year level alone when Date Hierarchy is chosen (microsoft/PowerBI-visuals#76).
 *   Such values are counted apart, and the note says to choose the field itself (its Date) instead.
 * - Days before 2000-01-01 are left out as wrong (Defender for Cloud Apps did not exist; 1899-12-30 and 1900-01-01
 *   are the zero dates of spreadsheets and OLE), and so are days after "today" when the visual knows today.
 */

export const MS_PER_DAY = 86_400_000;

/** 2000-01-01: the first day a row may carry. */
export const FIRST_DAY = Date.UTC(2000, 0, 1) / MS_PER_DAY;

/** The day of a calendar date (month 1-12), or null when the parts name no date (2026-02-30). */
export function dayFromParts(year: number, month: number, dayOfMonth: number): number | null {
    if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(dayOfMonth)) return null;
    const ms = Date.UTC(year, month - 1, dayOfMonth);
    const check = new Date(ms);
    if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== dayOfMonth) return null;
    return Math.round(ms / MS_PER_DAY);
}

/** The local calendar day of a Date (see above); null for an invalid Date. */
export function dayOfDate(date: Date): number | null {
    if (Number.isNaN(date.getTime())) return null;
    return dayFromParts(date.getFullYear(), date.getMonth() + 1, date.getDate());
}

/** "2026-03-02" of a day, as a stable key and for tests. */
export function isoDay(day: number): string {
    return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** What a TimeGenerated value is: a day, a blank, a number (a date hierarchy's level), or something else. */
export type DayReading =
    | { readonly kind: "day"; readonly day: number }
    | { readonly kind: "blank" | "number" | "invalid" | "early" };

const BLANK: DayReading = { kind: "blank" };
const NUMBER: DayReading = { kind: "number" };
const INVALID: DayReading = { kind: "invalid" };
const EARLY: DayReading = { kind: "early" };
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/;

export function readDay(raw: unknown): DayReading {
    if (isBlankValue(raw)) return BLANK;
    let day: number | null = null;
    if (raw instanceof Date) day = dayOfDate(raw);
    else if (typeof raw === "number") return NUMBER;
    else if (typeof raw === "string") {
        const match = ISO_DATE.exec(raw.trim());
        if (match) day = dayFromParts(Number(match[1]), Number(match[2]), Number(match[3]));
    }
    if (day === null) return INVALID;
    return day < FIRST_DAY ? EARLY : { kind: "day", day };
}

/** Past this many distinct dates or texts, DayReadings forgets what it read and starts over. */
const MAX_REMEMBERED = 65_536;

/**
 * readDay with a memory of the values read: rows repeat a few dates many times (one per day, or per hour), and
 * reading a Date's local calendar day is the dearest step of folding a row's time. Dates are remembered by their
 * instant, texts by their value; the memory is bounded, so it never grows with rows.
 */
export class DayReadings {
    private readonly byTime = new Map<number, DayReading>();
    private readonly byText = new Map<string, DayReading>();
    private lastRaw: unknown = undefined;
    private lastReading: DayReading = BLANK;

    read(raw: unknown): DayReading {
        if (raw === this.lastRaw && raw !== undefined) return this.lastReading;
        let reading: DayReading | undefined;
        if (raw instanceof Date) {
            const time = raw.getTime();
            reading = this.byTime.get(time);
            if (reading === undefined) reading = remember(this.byTime, time, readDay(raw));
        } else if (typeof raw === "string") {
            reading = this.byText.get(raw);
            if (reading === undefined) reading = remember(this.byText, raw, readDay(raw));
        } else {
            reading = readDay(raw);
        }
        this.lastRaw = raw;
        this.lastReading = reading;
        return reading;
    }
}

function remember<K>(memory: Map<K, DayReading>, key: K, reading: DayReading): DayReading {
    if (memory.size >= MAX_REMEMBERED) memory.clear();
    memory.set(key, reading);
    return reading;
}

/** TimeGenerated values left out of the time panels, by reason. "future" is counted when the model is built. */
export interface DayCounts {
    blank: number;
    number: number;
    invalid: number;
    early: number;
}

/** Rows per day of one stream (or of all rows, keyed by the null stream when StreamName is unbound). */
export interface StreamDays<Stream extends object = object> {
    readonly stream: Stream | null;
    readonly rowsByDay: Map<number, number>;
}

/**
 * Folds TimeGenerated: which days each stream has rows on. Memory grows with streams × days, never with rows.
 * Rows of every stream are folded here, the Global view's too: each stream's feed is its own.
 */
export class DayFold<Stream extends object = object> {
    readonly leftOut: DayCounts = { blank: 0, number: 0, invalid: 0, early: 0 };
    private readonly byStream = new Map<Stream | null, StreamDays<Stream>>();
    private lastStream: Stream | null | undefined = undefined;
    private lastDays: StreamDays<Stream> | undefined = undefined;

    /** `readings`: shared with the other folds of the same rows, so that each value is read once. */
    constructor(private readonly readings: DayReadings = new DayReadings()) {}

    /** Folds one row's value under its stream; returns its day, or null when it is left out. */
    add(raw: unknown, stream: Stream | null): number | null {
        return this.addReading(this.readings.read(raw), stream);
    }

    /** As add, with the value already read (DayReadings). */
    addReading(reading: DayReading, stream: Stream | null): number | null {
        if (reading.kind !== "day") {
            this.leftOut[reading.kind]++;
            return null;
        }
        // Rows come grouped: consecutive rows mostly share their stream.
        let days = this.lastStream === stream ? this.lastDays : this.byStream.get(stream);
        if (days === undefined) {
            days = { stream, rowsByDay: new Map() };
            this.byStream.set(stream, days);
        }
        this.lastStream = stream;
        this.lastDays = days;
        days.rowsByDay.set(reading.day, (days.rowsByDay.get(reading.day) ?? 0) + 1);
        return reading.day;
    }

    streams(): readonly StreamDays<Stream>[] {
        return [...this.byStream.values()];
    }
}

/** Rows dated after `today` (none when today is unknown): left out of the time panels. */
export function rowsAfter(fold: DayFold, today: number | null): number {
    if (today === null) return 0;
    let rows = 0;
    for (const stream of fold.streams()) for (const [day, count] of stream.rowsByDay) if (day > today) rows += count;
    return rows;
}

/** The day counts left out, the future rows included, zeros left out. */
export function leftOutDatesOf(fold: DayFold | null, today: number | null): Partial<Record<LeftOutDate, number>> {
    const counts: Partial<Record<LeftOutDate, number>> = {};
    if (fold === null) return counts;
    const all: Record<LeftOutDate, number> = { ...fold.leftOut, future: rowsAfter(fold, today) };
    for (const reason of LEFT_OUT_DATES) if (all[reason] > 0) counts[reason] = all[reason];
    return counts;
}

/** The order the note names the reasons in. */
export const LEFT_OUT_DATES: readonly LeftOutDate[] = ["blank", "number", "invalid", "early", "future"];
