// One parser for the ISO 8601 instants the commands take (export --since/--until, sample and emulator --end).
// Date.parse and new Date() roll impossible dates over (2026-02-30 becomes 2026-03-02), so each field is checked
// against the calendar before the instant is built.
import { UserError } from "./errors.ts";

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

function show(text: string): string {
    return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

function daysInMonth(year: number, month: number): number {
    return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Milliseconds since the epoch of `text`: a date alone is midnight UTC, a date-time without a zone is UTC, a zone is
 * Z, ±hh:mm or ±hhmm. Fractions of a second beyond milliseconds are truncated. `flag` names the option in errors.
 */
export function parseIsoInstant(text: string, flag: string): number {
    const trimmed = text.trim();
    const match = ISO_INSTANT.exec(trimmed);
    if (!match) {
        throw new UserError(`${flag} ${show(text)} is not an ISO 8601 date or date-time: use e.g. 2026-11-01 or 2026-11-01T06:00:00Z (UTC unless a zone is given)`);
    }
    const [, yearText, monthText, dayText, hourText = "0", minuteText = "0", secondText = "0", fraction = "", zone = "Z"] = match;
    const [year, month, day, hour, minute, second] = [yearText, monthText, dayText, hourText, minuteText, secondText].map(Number);
    const invalid = (why: string) => new UserError(`${flag} ${show(text)} is not a valid date: ${why}`);
    if (month < 1 || month > 12) throw invalid(`there is no month ${monthText} (01-12)`);
    const lastDay = daysInMonth(year, month);
    if (day < 1 || day > lastDay) throw invalid(`${MONTHS[month - 1]} ${year} has no day ${dayText} (it has ${lastDay} days)`);
    if (hour > 23) throw invalid(`there is no hour ${hourText} (00-23)`);
    if (minute > 59) throw invalid(`there is no minute ${minuteText} (00-59)`);
    if (second > 59) throw invalid(`there is no second ${secondText} (00-59)`);
    let offsetMinutes = 0;
    if (zone.toUpperCase() !== "Z") {
        const zoneHours = Number(zone.slice(1, 3));
        const zoneMinutes = Number(zone.slice(-2));
        if (zoneHours > 23 || zoneMinutes > 59) throw invalid(`${zone} is not a time zone offset (-23:59 to +23:59)`);
        offsetMinutes = (zone.startsWith("-") ? -1 : 1) * (zoneHours * 60 + zoneMinutes);
    }
    const milliseconds = Number(fraction.padEnd(3, "0").slice(0, 3));
    // setUTCFullYear, unlike Date.UTC, keeps years 0-99 as written.
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    date.setUTCHours(hour, minute, second, milliseconds);
    return date.getTime() - offsetMinutes * 60_000;
}
