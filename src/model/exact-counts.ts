/*
 * Exact distinct counts from measures the author binds per grain (docs/visual.md, "Exact distinct counts").
 *
 * Distinct counts do not add up across DataView rows, and the categorical mapping carries no subtotals, so a count per
 * app, category or stream cannot be computed from the rows' own Users values. A measure such as
 * `CALCULATE(DISTINCTCOUNT(T[UserName]), ALLSELECTED(T), VALUES(T[AppName]))` evaluates, on every row of an app, to
 * that app's count over everything the visual shows: the same value on each of the app's rows. The fold keeps the
 * first valid value per item and notes a conflict when a later row of the same item carries another one; such a
 * measure does not count the item (it keeps another grouping, or is a plain column) and is not used.
 */

/** Value returned for "nothing seen yet". Valid counts are never negative. */
const NONE = -1;

export interface ExactCount {
    /** The item's count, or -1 while no row has carried a valid value. */
    value: number;
    /** True once two rows of the item carried different values. */
    conflict: boolean;
}

export function newExactCount(): ExactCount {
    return { value: NONE, conflict: false };
}

/** What one row's value did: blanks are skipped; invalid and negative values are left out and counted by the caller. */
export type ExactNote = "kept" | "blank" | "invalid" | "negative" | "conflict";

export function noteExactCount(count: ExactCount, raw: unknown): ExactNote {
    if (raw === null || raw === undefined) return "blank";
    if (typeof raw !== "number" || Number.isNaN(raw) || raw === Infinity) return "invalid";
    if (raw < 0) return raw === -Infinity ? "invalid" : "negative";
    if (count.value === NONE) {
        count.value = raw;
        return "kept";
    }
    if (count.value === raw || count.conflict) return "kept";
    count.conflict = true;
    return "conflict";
}

/** The item's exact count, or null when no valid value was seen or its rows disagree. */
export function exactValueOf(count: ExactCount): number | null {
    return count.value === NONE || count.conflict ? null : count.value;
}
