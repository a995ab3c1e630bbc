import { APP_SCORE_MAX, APP_SCORE_MIN } from "../schema";
import { visibleText } from "./visible-text";

/** Display texts are cut to this many characters (truncateLabel). */
export const MAX_LABEL_LENGTH = 256;

/** Key of blank values (null, undefined, "" and whitespace): no real value maps to it, "(Blank)" is "s:(Blank)". */
export const BLANK_KEY = "blank";
/** Key of the bar that groups the categories beyond the top N. */
export const OTHER_KEY = "other";

export function isBlankValue(raw: unknown): boolean {
    if (raw === null || raw === undefined) return true;
    return typeof raw === "string" && raw.trim() === "";
}

/** A stable key per distinct value; the type prefix keeps the number 1 apart from the text "1". */
export function valueKey(raw: unknown): string {
    if (isBlankValue(raw)) return BLANK_KEY;
    if (typeof raw === "string") return `s:${raw}`;
    if (typeof raw === "number") return `n:${String(raw)}`;
    if (typeof raw === "boolean") return `b:${String(raw)}`;
    if (raw instanceof Date) return `d:${Number.isNaN(raw.getTime()) ? "invalid" : raw.toISOString()}`;
    return `o:${String(raw)}`;
}

/**
 * The text of a value as it would be shown, before truncation; "" for blanks (their text is localized later).
 * Invisible and reordering characters are shown as escapes (see visible-text.ts), so every panel, aria-label and
 * tooltip that draws a name draws what it really holds.
 */
export function valueText(raw: unknown): string {
    if (isBlankValue(raw)) return "";
    if (typeof raw === "string") return visibleText(raw);
    if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? String(raw) : raw.toISOString();
    return String(raw);
}

export const ELLIPSIS = "…";

/**
 * Cuts text longer than MAX_LABEL_LENGTH to MAX_LABEL_LENGTH characters ending in "…", without splitting a
 * surrogate pair. Returns the text unchanged when it fits.
 */
export function truncateLabel(text: string): string {
    if (text.length <= MAX_LABEL_LENGTH) return text;
    let end = MAX_LABEL_LENGTH - ELLIPSIS.length;
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end--;
    return text.slice(0, end) + ELLIPSIS;
}

/** A score 0-10 as a number, or null when it is missing, not a number or out of range (the "unscored" band). */
export function scoreOf(raw: unknown): number | null {
    let score: number;
    if (typeof raw === "number") score = raw;
    else if (typeof raw === "string" && raw.trim() !== "") score = Number(raw);
    else return null;
    if (!Number.isFinite(score) || score < APP_SCORE_MIN || score > APP_SCORE_MAX) return null;
    return score;
}
