import type { CategoryColumnInput, ColumnSourceInput } from "./dataview-columns";
import { dayFromParts, isoDay } from "./days";
import { isBlankValue } from "./values";

/*
 * Time generated bound as a date hierarchy. Power BI's automatic date/time gives a date column a hierarchy whose
 * levels are Year, Quarter, Month and Day; a field well that takes one field hands a visual only the top level
 * (microsoft/PowerBI-visuals#76), while a well that takes several hands each kept level as its own category
 * column with the same role, in hierarchy order ("Understand data view mapping", categorical mapping). A level's
 * queryName is "<Table>.<Column>.Variation.Date Hierarchy.<Level>"; its values are the year as a number (2026), the
 * quarter as text ("Qtr 1"), the month as its name ("March") and the day of the month as a number (2).
 *
 * The rule: the levels kept make the row's date.
 * - Year, Month and Day (Quarter or not): the day itself.
 * - Year and Month without Day: the first day of the month ("dated by month" in the note).
 * - Year and Quarter without Month: the first day of the quarter ("dated by quarter" in the note).
 * - Anything else (Year alone, no Year, Day without Month) names no date: the time panels read the first level as
 *   before (a number, left out and counted), and the note says which levels to keep.
 * A level value that is blank makes the row's date blank; one that is no month, quarter or day (a month name in
 * another language, Feb 30) makes it invalid; both are counted in the note like any Time generated value.
 */

export type HierarchyLevel = "year" | "quarter" | "month" | "day";

/** The category column of each level kept, by index into the DataView's categories. */
export type HierarchyLevels = Readonly<Partial<Record<HierarchyLevel, number>>>;

/** How finely the kept levels date a row. */
export type HierarchyGrain = "day" | "month" | "quarter";

const LEVEL_NAME = /\.Variation\.[^.]+\.(Year|Quarter|Month|Day)$/i;

/** The date hierarchy level a column is, from its queryName; null for any other column. */
export function hierarchyLevelOf(source: ColumnSourceInput): HierarchyLevel | null {
    const match = LEVEL_NAME.exec(source.queryName ?? "");
    return match ? match[1].toLowerCase() as HierarchyLevel : null;
}

/**
 * The levels of Time generated when its columns are levels of one date hierarchy (each level once); null when the
 * role holds one plain column, or columns that are no such hierarchy.
 */
export function hierarchyLevelsOf(columns: readonly CategoryColumnInput[], role: string): HierarchyLevels | null {
    const levels: Partial<Record<HierarchyLevel, number>> = {};
    let base: string | null = null;
    let count = 0;
    for (let index = 0; index < columns.length; index++) {
        const source = columns[index].source;
        if (source.roles?.[role] !== true) continue;
        const level = hierarchyLevelOf(source);
        const column = (source.queryName ?? "").replace(LEVEL_NAME, "");
        if (level === null || levels[level] !== undefined || (base !== null && column !== base)) return null;
        base = column;
        levels[level] = index;
        count++;
    }
    return count > 0 ? levels : null;
}

/** The grain the kept levels give, or null when they name no date. */
export function hierarchyGrainOf(levels: HierarchyLevels): HierarchyGrain | null {
    if (levels.year === undefined) return null;
    if (levels.month !== undefined) return levels.day !== undefined ? "day" : "month";
    if (levels.quarter !== undefined && levels.day === undefined) return "quarter";
    return null;
}

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

function wholeNumber(raw: unknown): number | null {
    const value = typeof raw === "number" ? raw : typeof raw === "string" && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
    return Number.isInteger(value) ? value : null;
}

/** 1-12 from a month name ("March", "Mar") or number; null otherwise. */
export function monthOf(raw: unknown): number | null {
    const number = wholeNumber(raw);
    if (number !== null) return number >= 1 && number <= 12 ? number : null;
    if (typeof raw !== "string") return null;
    const name = raw.trim().toLowerCase();
    if (name.length < 3) return null;
    const index = MONTHS.findIndex(month => month === name || (name.length === 3 && month.startsWith(name)));
    return index < 0 ? null : index + 1;
}

/** 1-4 from "Qtr 3", "Q3" or 3; null otherwise. */
export function quarterOf(raw: unknown): number | null {
    const number = wholeNumber(raw);
    if (number !== null) return number >= 1 && number <= 4 ? number : null;
    if (typeof raw !== "string") return null;
    const match = /^\s*(?:qtr|q)\s*([1-4])\s*$/i.exec(raw);
    return match ? Number(match[1]) : null;
}

/** What a row's levels make: an ISO day ("2026-03-02"), null for a blank, or "invalid". */
export function hierarchyDate(grain: HierarchyGrain, year: unknown, quarter: unknown, month: unknown, day: unknown): string | null {
    const parts = grain === "day" ? [year, month, day] : grain === "month" ? [year, month] : [year, quarter];
    if (parts.some(isBlankValue)) return null;
    const y = wholeNumber(year);
    const m = grain === "quarter" ? (quarterOf(quarter) === null ? null : (quarterOf(quarter)! - 1) * 3 + 1) : monthOf(month);
    const d = grain === "day" ? wholeNumber(day) : 1;
    if (y === null || m === null || d === null) return "invalid";
    const result = dayFromParts(y, m, d);
    return result === null ? "invalid" : isoDay(result);
}

/**
 * The dates of rows [fromRow, rowCount) made from the levels' columns, indexed by row like a category column
 * (earlier rows are holes). Consecutive rows usually share their levels, so the previous row's date is reused.
 */
export function hierarchyDates(
    grain: HierarchyGrain, columns: readonly CategoryColumnInput[], levels: HierarchyLevels, fromRow: number, rowCount: number,
): unknown[] {
    const values = (level: HierarchyLevel): readonly unknown[] | undefined =>
        levels[level] === undefined ? undefined : columns[levels[level]!]?.values;
    const years = values("year"), quarters = values("quarter"), months = values("month"), days = values("day");
    const dates: unknown[] = [];
    dates.length = rowCount;
    let y: unknown = undefined, q: unknown = undefined, m: unknown = undefined, d: unknown = undefined;
    let date: string | null = null;
    let first = true;
    for (let row = fromRow; row < rowCount; row++) {
        const year = years?.[row], quarter = quarters?.[row], month = months?.[row], day = days?.[row];
        if (first || year !== y || quarter !== q || month !== m || day !== d) {
            date = hierarchyDate(grain, year, quarter, month, day);
            y = year; q = quarter; m = month; d = day;
            first = false;
        }
        dates[row] = date;
    }
    return dates;
}
