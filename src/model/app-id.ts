/*
 * AppId as Defender for Cloud Apps numbers its catalogue apps. The column is an int in the Defender documentation of
 * McasShadowItReporting and a string in the Azure Monitor table reference (docs/visual.md), so both reach the visual.
 * An id is accepted only as it can be: a positive whole number of at most ten digits (catalogue ids are five-digit
 * numbers such as 11161 or 11770). Everything else (blank, "abc", "12;javascript:", "1e5", negative, fractional or
 * larger numbers) is no id, and no link is built from it.
 */

/** Digits an AppId may have: well above the catalogue's ids, far below anything that could carry text. */
export const APP_ID_MAX_DIGITS = 10;

const DIGITS = new RegExp(`^[0-9]{1,${APP_ID_MAX_DIGITS}}$`);

/** The AppId as its decimal digits without leading zeros, or null when the value is no app id. */
export function normalizeAppId(raw: unknown): string | null {
    let digits: string;
    if (typeof raw === "number") {
        if (!Number.isSafeInteger(raw) || raw <= 0) return null;
        digits = String(raw);
    } else if (typeof raw === "string") {
        digits = raw.trim();
    } else {
        return null;
    }
    if (!DIGITS.test(digits)) return null;
    const value = Number(digits);
    return value > 0 ? String(value) : null;
}
