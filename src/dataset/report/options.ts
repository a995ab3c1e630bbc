// Validation of `shadowit report`'s options: every bad value is a UserError (exit 2) saying what to do.
import { UserError } from "../errors.ts";
import { validateWorkspace } from "../m/generate.ts";

export const DEFAULT_REPORT_NAME = "Shadow IT";
/** Desktop loads RangeStart..RangeEnd in one query per table: one day keeps a 50,000-user tenant under the limits. */
export const DEFAULT_DESKTOP_DAYS = 1;
export const MAX_DESKTOP_DAYS = 31;
/** Over an export folder nothing limits a Desktop load but the files: the default loads a month. */
export const DEFAULT_FOLDER_DESKTOP_DAYS = 30;
export const DEFAULT_KEEP_DAYS = 90;
export const MAX_KEEP_DAYS = 730;
export const DEFAULT_REFRESH_DAYS = 3;
/** Discovery logs usually arrive within 15 minutes but "may take longer": refresh at least yesterday and today. */
export const MIN_REFRESH_DAYS = 2;

export interface ReportOptions {
    readonly workspace: string;
    readonly name: string;
    readonly desktopDays: number;
    readonly keepDays: number;
    readonly refreshDays: number;
    /** An export folder (absolute path) to read instead of Log Analytics. */
    readonly fromFolder?: string;
}

export interface RawReportOptions {
    workspace?: string;
    name?: string;
    days?: string | number;
    keepDays?: string | number;
    refreshDays?: string | number;
    fromFolder?: string;
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/** A project name that is a valid file name on Windows, macOS and Linux (it names the .pbip and two folders). */
export function validateName(name: string | undefined): string {
    if (name === undefined) return DEFAULT_REPORT_NAME;
    const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
    const fix = "choose a name of letters, digits, spaces, dashes or underscores";
    if (name.trim() === "") throw new UserError(`--name is empty; ${fix}`);
    const bad = [...name].find(ch => /[<>:"/\\|?*]/.test(ch) || (ch.codePointAt(0) ?? 0) < 0x20);
    if (bad !== undefined) {
        const what = (bad.codePointAt(0) ?? 0) < 0x20 ? `a control character (U+${(bad.codePointAt(0) ?? 0).toString(16).padStart(4, "0").toUpperCase()})` : `"${bad}"`;
        throw new UserError(`--name ${shown} holds ${what}, which file names cannot hold on Windows; ${fix}`);
    }
    if (/[. ]$/.test(name) || /^ /.test(name)) throw new UserError(`--name ${shown} starts or ends with a space or ends with a dot, which Windows drops from file names; ${fix}`);
    if (WINDOWS_RESERVED.test(name.split(".")[0] ?? "")) throw new UserError(`--name ${shown} is a name Windows reserves for devices; ${fix}`);
    if (name.length > 80) throw new UserError(`--name is ${name.length} characters long; the project's paths must stay short on Windows: use at most 80`);
    return name;
}

function wholeNumber(value: string | number | undefined, option: string, fallback: number, min: number, max: number): number {
    if (value === undefined) return fallback;
    const text = String(value).trim();
    const n = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
        throw new UserError(`${option} ${JSON.stringify(String(value))} is not valid: give a whole number of days from ${min} to ${max}`);
    }
    return n;
}

export function validateReportOptions(raw: RawReportOptions): ReportOptions {
    const workspace = validateWorkspace(raw.workspace);
    const name = validateName(raw.name);
    if (raw.fromFolder !== undefined && raw.fromFolder.trim() === "") throw new UserError("--from-folder needs a folder path");
    const desktopDays = raw.fromFolder === undefined
        ? wholeNumber(raw.days, "--days", DEFAULT_DESKTOP_DAYS, 1, MAX_DESKTOP_DAYS)
        : wholeNumber(raw.days, "--days", DEFAULT_FOLDER_DESKTOP_DAYS, 1, MAX_KEEP_DAYS);
    const keepDays = wholeNumber(raw.keepDays, "--keep-days", DEFAULT_KEEP_DAYS, 2, MAX_KEEP_DAYS);
    const refreshDays = wholeNumber(raw.refreshDays, "--refresh-days", DEFAULT_REFRESH_DAYS, MIN_REFRESH_DAYS, MAX_KEEP_DAYS);
    if (refreshDays > keepDays) {
        throw new UserError(`--refresh-days ${refreshDays} is more than --keep-days ${keepDays}: the days refreshed must lie within the days kept`);
    }
    return { workspace, name, desktopDays, keepDays, refreshDays, ...(raw.fromFolder !== undefined ? { fromFolder: raw.fromFolder } : {}) };
}
