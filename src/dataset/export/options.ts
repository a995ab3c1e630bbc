// Validation of export options: every bad input becomes a specific UserError before anything is queried.
import { UserError } from "../errors.ts";
import { parseIsoInstant } from "../iso-instant.ts";
import { resolveTable } from "../kql/index.ts";
import { workspaceIdOf, type ConnectionOptions } from "../logs/connection.ts";
import { DEFAULT_DEADLINES, type Deadlines } from "../logs/transport.ts";
import { REQUIRED_TABLE } from "../tables.ts";
import type { ExportFormat } from "./manifest.ts";
import type { ProgressMode } from "./progress.ts";
import { DAY_MS } from "./windows.ts";

export interface ExportOptions extends ConnectionOptions {
    /** Log Analytics workspace ID (a GUID). */
    readonly workspace: string;
    /** Output folder; files go to `<out>/<workspaceId>/…`. */
    readonly out: string;
    /** Start of the range (ISO 8601; a date-time without zone is read as UTC). Default: incremental, else 30 days. */
    readonly since?: string | Date;
    /** Days back from `until` (a positive integer); exclusive with `since`. */
    readonly days?: number | string;
    /** End of the range (exclusive; default now, never later than now). */
    readonly until?: string | Date;
    readonly format?: ExportFormat;
    /** Tables to export (default McasShadowItReporting). */
    readonly tables?: readonly string[];
    /** Minutes re-read before the watermark on an incremental run (default 15). */
    readonly overlapMinutes?: number | string;
    /** Most rows a window should ask for (default 200,000; the service's limit is 500,000). */
    readonly rowBudget?: number | string;
    /** Most bytes (uncompressed JSON, estimated) a window should ask for (default 48 MB; the limit is ~100 MB). */
    readonly byteBudget?: number | string;
    /** Windows queried at a time (default 3; the service runs 5 at a time per user). */
    readonly concurrency?: number | string;
    /** Smallest window a bisection may produce, in ms (default 1000). */
    readonly minWindowMs?: number;
    /** Requests allowed per 30 seconds (default 180, under the service's 200). */
    readonly requestsPer30s?: number;
    /** Seconds to open a connection, TCP and TLS (default 30). */
    readonly connectTimeout?: number | string;
    /** Seconds from a request to the first byte of its answer (default 300); the service is asked to stop sooner. */
    readonly responseTimeout?: number | string;
    /** Seconds from the first byte of an answer to its last (default 300). */
    readonly transferTimeout?: number | string;
    /** How often progress says what a long pending request is waiting for, in ms (default 30,000). */
    readonly waitNoticeMs?: number;
    readonly progress?: ProgressMode;
    /** The current time (tests); default the clock. */
    readonly now?: Date;
}

export interface ResolvedOptions {
    readonly workspaceId: string;
    /** The current time (epoch ms, whole seconds). */
    readonly now: number;
    readonly out: string;
    readonly since?: number;
    readonly days?: number;
    readonly until: number;
    readonly format: ExportFormat;
    readonly tables: readonly string[];
    readonly overlapMs: number;
    readonly rowBudget: number;
    readonly byteBudget: number;
    readonly concurrency: number;
    readonly minWindowMs: number;
    readonly requestsPer30s: number;
    readonly deadlines: Deadlines;
    /** The server timeout asked for (Prefer: wait), shorter than the response deadline. */
    readonly serverTimeoutSeconds: number;
    readonly waitNoticeMs: number;
    readonly progress: ProgressMode;
}

export const DEFAULT_DAYS = 30;
export const DEFAULT_ROW_BUDGET = 200_000;
export const DEFAULT_BYTE_BUDGET = 48_000_000;
export const SERVICE_ROW_LIMIT = 500_000;
/** The longest server timeout the query API accepts (Prefer: wait), in seconds. */
export const SERVICE_MAX_WAIT_SECONDS = 600;
export const MAX_TIMEOUT_SECONDS = 3600;

/**
 * The server timeout to ask for with a response deadline of `responseMs`: up to 30 s shorter (a quarter of it for
 * short deadlines), so that a slow query ends in the service's own timeout error before the deadline gives up
 * on the connection; at least 1 s and at most the service's 600 s.
 */
export function serverTimeoutFor(responseMs: number): number {
    const seconds = responseMs / 1000;
    const margin = Math.max(1, Math.min(30, Math.ceil(seconds / 4)));
    return Math.max(1, Math.min(SERVICE_MAX_WAIT_SECONDS, Math.floor(seconds - margin)));
}

/** Parses an ISO 8601 instant; a date alone is midnight UTC, a date-time without a zone is read as UTC. */
export function parseInstant(text: string | Date, flag: string): number {
    if (text instanceof Date) {
        if (Number.isNaN(text.getTime())) throw new UserError(`${flag} is not a valid date`);
        return text.getTime();
    }
    return parseIsoInstant(text, flag);
}

function positiveInteger(value: number | string, flag: string, max: number): number {
    const text = String(value).trim();
    const n = Number(text);
    if (text === "" || !/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
        throw new UserError(`${flag} must be a positive whole number, got ${JSON.stringify(String(value).slice(0, 40))}`);
    }
    if (n > max) throw new UserError(`${flag} ${n} is too large (at most ${max})`);
    return n;
}

function nonNegativeNumber(value: number | string, flag: string, max: number): number {
    const n = Number(String(value).trim());
    if (String(value).trim() === "" || !Number.isFinite(n) || n < 0 || n > max) {
        throw new UserError(`${flag} must be a number from 0 to ${max}, got ${JSON.stringify(String(value).slice(0, 40))}`);
    }
    return n;
}

function timeoutMs(value: number | string | undefined, flag: string, fallbackMs: number): number {
    if (value === undefined) return fallbackMs;
    const text = String(value).trim();
    const seconds = Number(text);
    if (text === "" || !Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_TIMEOUT_SECONDS) {
        throw new UserError(`${flag} must be a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS}, got ${JSON.stringify(String(value).slice(0, 40))}`);
    }
    return Math.round(seconds * 1000);
}

export function resolveOptions(options: ExportOptions): ResolvedOptions {
    const workspaceId = workspaceIdOf(options.workspace);
    if (typeof options.out !== "string" || options.out.trim() === "") throw new UserError("--out is required: the folder to export into");
    const format = options.format ?? "parquet";
    if (format !== "parquet" && format !== "csv") throw new UserError(`--format ${JSON.stringify(String(format))} is not supported: use parquet or csv`);
    const tables = [...new Set((options.tables && options.tables.length > 0 ? options.tables : [REQUIRED_TABLE.name])
        .flatMap(t => t.split(",")).map(t => t.trim()).filter(t => t !== ""))];
    for (const t of tables) resolveTable(t);
    const now = Math.floor((options.now ?? new Date()).getTime() / 1000) * 1000;
    let until = options.until !== undefined ? parseInstant(options.until, "--until") : now;
    if (until > now) until = now;
    if (options.since !== undefined && options.days !== undefined) {
        throw new UserError("--since and --days both give the start of the range: pass one of them");
    }
    const days = options.days !== undefined ? positiveInteger(options.days, "--days", 36_500) : undefined;
    let since = options.since !== undefined ? parseInstant(options.since, "--since") : undefined;
    if (days !== undefined) since = until - days * DAY_MS;
    if (since !== undefined && since >= until) {
        throw new UserError(`--since ${new Date(since).toISOString()} is not before --until ${new Date(until).toISOString()}${options.until === undefined ? " (now)" : ""}: the range is empty`);
    }
    const rowBudget = options.rowBudget !== undefined ? positiveInteger(options.rowBudget, "--row-budget", SERVICE_ROW_LIMIT) : DEFAULT_ROW_BUDGET;
    const byteBudget = options.byteBudget !== undefined ? positiveInteger(options.byteBudget, "--byte-budget", 100_000_000) : DEFAULT_BYTE_BUDGET;
    const concurrency = options.concurrency !== undefined ? positiveInteger(options.concurrency, "--concurrency", 5) : 3;
    const overlapMinutes = options.overlapMinutes !== undefined ? nonNegativeNumber(options.overlapMinutes, "--overlap", 7 * 24 * 60) : 15;
    const deadlines: Deadlines = {
        connectMs: timeoutMs(options.connectTimeout, "--connect-timeout", DEFAULT_DEADLINES.connectMs),
        responseMs: timeoutMs(options.responseTimeout, "--response-timeout", DEFAULT_DEADLINES.responseMs),
        transferMs: timeoutMs(options.transferTimeout, "--transfer-timeout", DEFAULT_DEADLINES.transferMs),
    };
    return {
        workspaceId,
        now,
        out: options.out,
        since,
        days,
        until,
        format,
        tables,
        overlapMs: Math.round(overlapMinutes * 60_000),
        rowBudget,
        byteBudget,
        concurrency,
        minWindowMs: options.minWindowMs ?? 1000,
        requestsPer30s: options.requestsPer30s ?? 180,
        deadlines,
        serverTimeoutSeconds: serverTimeoutFor(deadlines.responseMs),
        waitNoticeMs: options.waitNoticeMs ?? 30_000,
        progress: options.progress ?? "auto",
    };
}
