// Date and time literals shared by the KQL parser and the request's timespan parameter.

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses an ISO 8601 date or date-time (UTC unless an offset is given) into epoch microseconds; undefined if invalid. */
export function parseDatetimeMicros(text: string): bigint | undefined {
    const m = DATETIME.exec(text.trim());
    if (!m) return undefined;
    const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "", zone] = m;
    const millis = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    const check = new Date(millis);
    if (Number.isNaN(millis) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)
        || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
    let micros = BigInt(millis) * 1000n + BigInt((fraction + "000000").slice(0, 6));
    if (zone && zone.toUpperCase() !== "Z") {
        const sign = zone.startsWith("-") ? -1n : 1n;
        const digits = zone.slice(1).replace(":", "");
        const offsetMinutes = BigInt(Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
        micros -= sign * offsetMinutes * 60_000_000n;
    }
    return micros;
}

const CLOCK = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/;

/** Parses a Kusto timespan in clock form ([-][d.]hh:mm[:ss[.fffffff]]) into microseconds. */
export function parseClockTimespanMicros(text: string): bigint | undefined {
    const m = CLOCK.exec(text.trim());
    if (!m) return undefined;
    const [, minus, days = "0", h, mi, s = "0", fraction = ""] = m;
    const micros = ((BigInt(days) * 24n + BigInt(h)) * 60n + BigInt(mi)) * 60_000_000n + BigInt(s) * 1_000_000n
        + BigInt((fraction + "000000").slice(0, 6));
    return minus ? -micros : micros;
}

/** Epoch microseconds → "2026-11-01T10:00:00Z" or "2026-11-01T10:00:00.25Z", as Log Analytics writes datetimes. */
export function formatDatetimeMicros(micros: bigint): string {
    const millis = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
    const iso = new Date(Number(millis)).toISOString(); // yyyy-mm-ddThh:mm:ss.mmmZ
    const subMillis = ((micros % 1000n) + 1000n) % 1000n;
    const fraction = (iso.slice(20, 23) + subMillis.toString().padStart(3, "0")).replace(/0+$/, "");
    return iso.slice(0, 19) + (fraction ? "." + fraction : "") + "Z";
}

/** Microseconds → Kusto's timespan text: [-][d.]hh:mm:ss[.fffffff]. */
export function formatTimespanMicros(micros: bigint): string {
    const negative = micros < 0n;
    let rest = negative ? -micros : micros;
    const fraction = rest % 1_000_000n;
    rest /= 1_000_000n;
    const seconds = rest % 60n;
    rest /= 60n;
    const minutes = rest % 60n;
    rest /= 60n;
    const hours = rest % 24n;
    const days = rest / 24n;
    const pad = (n: bigint): string => n.toString().padStart(2, "0");
    return (negative ? "-" : "") + (days > 0n ? `${days}.` : "") + `${pad(hours)}:${pad(minutes)}:${pad(seconds)}`
        + (fraction > 0n ? "." + (fraction.toString().padStart(6, "0") + "0") : "");
}
