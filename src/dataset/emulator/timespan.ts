// The query API's `timespan` parameter: an ISO 8601 interval applied to TimeGenerated.
import { parseDatetimeMicros } from "./literals.ts";

export interface TimeRange {
    readonly startMicros: bigint;
    readonly endMicros: bigint;
}

export class TimespanError extends Error {}

const DURATION = /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

interface Duration {
    readonly months: number;
    readonly micros: bigint;
}

function parseDuration(text: string): Duration | undefined {
    const m = DURATION.exec(text);
    if (!m || text.length <= 1 || /T$/i.test(text)) return undefined;
    const [, years, months, weeks, days, hours, minutes, seconds] = m;
    const whole = (value: string | undefined): number => {
        if (value === undefined) return 0;
        if (value.includes(".")) throw new TimespanError(`Years and months must be whole numbers in the duration '${text}'.`);
        return Number(value);
    };
    const micros = (value: string | undefined, unit: number): bigint => (value === undefined ? 0n : BigInt(Math.round(Number(value) * unit)));
    return {
        months: whole(years) * 12 + whole(months),
        micros: micros(weeks, 604_800e6) + micros(days, 86_400e6) + micros(hours, 3_600e6) + micros(minutes, 60e6) + micros(seconds, 1e6),
    };
}

function shift(micros: bigint, duration: Duration, sign: 1 | -1): bigint {
    let result = micros;
    if (duration.months !== 0) {
        const date = new Date(Number(result / 1000n));
        date.setUTCMonth(date.getUTCMonth() + sign * duration.months);
        result = BigInt(date.getTime()) * 1000n + (result % 1000n);
    }
    return result + BigInt(sign) * duration.micros;
}

/** Parses `<start>/<end>`, `<start>/<duration>`, `<duration>/<end>` or `<duration>` (ending now). */
export function parseTimespan(text: string, nowMicros: bigint): TimeRange {
    const invalid = (): TimespanError => new TimespanError(
        `The timespan '${text}' is not a valid ISO 8601 interval: use <start>/<end>, <start>/<duration>, ` +
        "<duration>/<end> or a duration like P1D or PT1H.");
    const parts = text.trim().split("/");
    if (parts.length > 2 || parts.some(p => p === "")) throw invalid();
    let range: TimeRange;
    if (parts.length === 1) {
        const duration = parseDuration(parts[0]);
        if (!duration) throw invalid();
        range = { startMicros: shift(nowMicros, duration, -1), endMicros: nowMicros };
    } else {
        const [first, second] = parts;
        const start = parseDatetimeMicros(first);
        const end = parseDatetimeMicros(second);
        if (start !== undefined && end !== undefined) range = { startMicros: start, endMicros: end };
        else if (start !== undefined) {
            const duration = parseDuration(second);
            if (!duration) throw invalid();
            range = { startMicros: start, endMicros: shift(start, duration, 1) };
        } else if (end !== undefined) {
            const duration = parseDuration(first);
            if (!duration) throw invalid();
            range = { startMicros: shift(end, duration, -1), endMicros: end };
        } else {
            throw invalid();
        }
    }
    if (range.startMicros > range.endMicros) {
        throw new TimespanError(`The timespan '${text}' ends before it starts.`);
    }
    return range;
}
