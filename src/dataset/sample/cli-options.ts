// Validation of `shadowit sample` options: each bad value is a UserError naming the option and the fix.
import { UserError } from "../errors.ts";
import { parseIsoInstant } from "../iso-instant.ts";
import { MAX_SAMPLE_DAYS } from "./options.ts";
import { SAMPLE_FORMATS, type SampleFormat } from "./write.ts";

export const MAX_CLI_ROWS = 1_000_000_000;

function show(text: string): string {
    return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

export function parseWholeNumber(option: string, text: string, min: number, max: number): number {
    const trimmed = text.trim().replace(/_/g, "");
    const value = /^-?\d+$/.test(trimmed) ? Number(trimmed) : NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
        throw new UserError(`${option} ${show(text)} is not valid: give a whole number from ${min.toLocaleString("en-US")} to ${max.toLocaleString("en-US")}`);
    }
    return value;
}

export function parseRows(text: string): number {
    return parseWholeNumber("--rows", text, 0, MAX_CLI_ROWS);
}

export function parseSeed(text: string): number {
    return parseWholeNumber("--seed", text, -2_147_483_648, 4_294_967_295);
}

export function parseDays(text: string): number {
    return parseWholeNumber("--days", text, 1, MAX_SAMPLE_DAYS);
}

/** An ISO 8601 date or date-time; without a zone it is read as UTC. */
export function parseEnd(text: string): Date {
    return new Date(parseIsoInstant(text, "--end"));
}

export function parseFormat(text: string): SampleFormat {
    if ((SAMPLE_FORMATS as readonly string[]).includes(text)) return text as SampleFormat;
    throw new UserError(`--format ${show(text)} is not valid: use one of ${SAMPLE_FORMATS.join(", ")}`);
}
