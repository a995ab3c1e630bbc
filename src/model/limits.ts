import { APP_SCORE_MAX, APP_SCORE_MIN, DEFAULT_RISK_THRESHOLDS, RiskThresholds } from "../schema";
import { POWER_BI_ROW_CEILING, ROW_WINDOW } from "./types";

/*
 * The rules that turn whatever the formatting pane holds into sane values. Invalid input is corrected, never
 * rejected: a report saved with odd values must still render.
 */

export const TOP_N_MIN = 1;
export const TOP_N_MAX = 50;
export const TOP_N_DEFAULT = 10;
export const FONT_SIZE_MIN = 8;
export const FONT_SIZE_MAX = 24;
export const FONT_SIZE_DEFAULT = 11;
/** highMax stays below the last score so that medium and low keep at least one score each. */
export const HIGH_MAX_LIMIT = APP_SCORE_MAX - 2;
export const MEDIUM_MAX_LIMIT = APP_SCORE_MAX - 1;

function finiteOr(value: unknown, fallback: number): number {
    return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

function clamp(value: number, min: number, max: number): number {
    return Math.min(max, Math.max(min, value));
}

function integerIn(value: unknown, min: number, max: number, fallback: number): number {
    return clamp(Math.round(finiteOr(value, fallback)), min, max);
}

/**
 * Integer thresholds with 0 ≤ highMax < mediumMax ≤ 9, so that each of high, medium and low covers at least one
 * score. A mediumMax at or below highMax is raised to highMax + 1.
 */
export function normalizeThresholds(raw: { readonly highMax?: unknown; readonly mediumMax?: unknown }): RiskThresholds {
    const highMax = integerIn(raw.highMax, APP_SCORE_MIN, HIGH_MAX_LIMIT, DEFAULT_RISK_THRESHOLDS.highMax);
    let mediumMax = integerIn(raw.mediumMax, APP_SCORE_MIN + 1, MEDIUM_MAX_LIMIT, DEFAULT_RISK_THRESHOLDS.mediumMax);
    if (mediumMax <= highMax) mediumMax = highMax + 1;
    return { highMax, mediumMax };
}

export function normalizeTopN(raw: unknown): number {
    return integerIn(raw, TOP_N_MIN, TOP_N_MAX, TOP_N_DEFAULT);
}

export function normalizeFontSize(raw: unknown): number {
    return clamp(finiteOr(raw, FONT_SIZE_DEFAULT), FONT_SIZE_MIN, FONT_SIZE_MAX);
}

/**
 * 0 (the default) means Power BI's ceiling; any other value is an integer between one data window (30,000 rows,
 * what the first update brings anyway) and the ceiling. Negative or invalid values fall back to 0.
 */
export function normalizeRowCap(raw: unknown): number {
    const value = Math.round(finiteOr(raw, 0));
    if (value <= 0) return 0;
    return clamp(value, ROW_WINDOW, POWER_BI_ROW_CEILING);
}

/** The number of rows after which the visual stops asking for more. */
export function effectiveRowCap(rowCap: number): number {
    const cap = normalizeRowCap(rowCap);
    return cap === 0 ? POWER_BI_ROW_CEILING : cap;
}

/** Whether the visual should call fetchMoreData: the host has more segments and the row cap is not reached. */
export function shouldFetchMore(rowCount: number, rowCap: number, hasSegment: boolean): boolean {
    return hasSegment && rowCount < effectiveRowCap(rowCap);
}

export const STALE_AFTER_DAYS_MIN = 1;
export const STALE_AFTER_DAYS_MAX = 365;
export const STALE_AFTER_DAYS_DEFAULT = 2;

/** Days without data after which a stream is stale: an integer from 1 to 365, 2 when unset or invalid. */
export function normalizeStaleAfterDays(raw: unknown): number {
    return integerIn(raw, STALE_AFTER_DAYS_MIN, STALE_AFTER_DAYS_MAX, STALE_AFTER_DAYS_DEFAULT);
}
