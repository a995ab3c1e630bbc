// A result's values as the export stores them: each column kind's rule for what is accepted, and the clear error
// that stops the export at a value of an unexpected type rather than write it wrongly.
import { UserError } from "../errors.ts";

export function badValue(table: string, column: string, value: unknown): UserError {
    const shown = JSON.stringify(value)?.slice(0, 120) ?? String(value);
    return new UserError(`${table}: column ${column} holds a value of an unexpected type (${typeof value}: ${shown}); the export stops rather than write it wrongly`);
}

/** Fails with the column's clear error; never returns. */
export type Reject = (value: unknown) => never;

/** The text stored for a value of a text column (dynamic values arrive parsed by the SDK: their JSON text), or null. */
export function textOf(value: unknown): string | null {
    if (value === null || value === undefined) return null;
    if (typeof value === "string") return value;
    return (Array.isArray(value) ? stringArrayJson(value) : undefined) ?? JSON.stringify(value) ?? null;
}

/** Characters JSON.stringify escapes in a string (surrogates included, paired or not, to stay on the safe side). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * The JSON text of an array of plain strings (dynamic columns such as AppTags arrive as such arrays), built
 * without JSON.stringify's generic walk; undefined when an element is not a string or would need escaping.
 */
function stringArrayJson(values: readonly unknown[]): string | undefined {
    let text = "[";
    for (let i = 0; i < values.length; i++) {
        const value = values[i];
        if (typeof value !== "string" || NEEDS_ESCAPE.test(value)) return undefined;
        text += i === 0 ? `"${value}"` : `,"${value}"`;
    }
    return `${text}]`;
}

/** A `number` column's value as a double, or null (NaN and infinities pass as they are). */
export function numberOf(value: unknown, reject: Reject): number | null {
    if (value === null || value === undefined) return null;
    if (typeof value === "number") return value;
    if (value instanceof Date) {
        const time = value.getTime();
        return Number.isNaN(time) ? null : time;
    }
    if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
    return reject(value);
}

const INT_MAX = 2147483647;
/** A whole number written the one way that reads back the same (no sign on zero, no leading zeros, no exponent). */
const CANONICAL_INTEGER = /^-?(0|[1-9][0-9]{0,9})$/;

/**
 * An `int` column's value: a number, or a string holding a whole number in its canonical form (the text is then
 * exactly the number's, so nothing is lost); anything else, or outside 32 bits, stops the export.
 */
export function intOf(value: unknown, reject: Reject): number | null {
    if (value === null || value === undefined) return null;
    const number = typeof value === "string" && CANONICAL_INTEGER.test(value) ? Number(value) : value;
    if (typeof number === "number" && Number.isInteger(number) && Math.abs(number) <= INT_MAX) return number;
    return reject(value);
}

export function boolOf(value: unknown, reject: Reject): boolean | null {
    if (value === null || value === undefined) return null;
    if (typeof value === "boolean") return value;
    if (value === 0 || value === 1) return value === 1;
    if (value === "true" || value === "false") return value === "true";
    return reject(value);
}
