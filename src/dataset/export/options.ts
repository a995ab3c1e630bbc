// Validation of export options: every bad input becomes a specific UserError before anything is queried.
import { isGuid } from "../../schema.ts";
import { UserError } from "../errors.ts";
import { parseIsoInstant } from "../iso-instant.ts";
import { resolveTable } from "../kql/index.ts";
import type { ExportFormat } from "./manifest.ts";
import type { ProgressMode } from "./progress.ts";
import { DAY_MS } from "./windows.ts";

export interface ExportOptions {
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
    readonly tenant?: string;
    readonly deviceCode?: boolean;
    /** A fixed bearer token (the emulator's), else env SHADOWIT_TOKEN, else Azure credentials. */
    readonly token?: string;
    /** Query API base URL including /v1 (else env SHADOWIT_LOGS_ENDPOINT, else the public cloud). */
    readonly endpoint?: string;
    /** PEM file of a CA to trust (else env SHADOWIT_CA_FILE). */
    readonly ca?: string;
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
    readonly progress: ProgressMode;
}

export const DEFAULT_DAYS = 30;
export const DEFAULT_ROW_BUDGET = 200_000;
export const DEFAULT_BYTE_BUDGET = 48_000_000;
export const SERVICE_ROW_LIMIT = 500_000;

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

export function resolveOptions(options: ExportOptions): ResolvedOptions {
    const workspace = String(options.workspace ?? "").trim();
    if (!isGuid(workspace)) {
        throw new UserError(
            `--workspace ${JSON.stringify(workspace.slice(0, 80))} is not a workspace ID: use the Workspace ID GUID from the ` +
            "Log Analytics workspace's Overview page (like 0b5f6d4c-1a2b-4c3d-8e9f-001122334455), not its name or resource ID",
        );
    }
    if (typeof options.out !== "string" || options.out.trim() === "") throw new UserError("--out is required: the folder to export into");
    const format = options.format ?? "parquet";
    if (format !== "parquet" && format !== "csv") throw new UserError(`--format ${JSON.stringify(String(format))} is not supported: use parquet or csv`);
    const tables = [...new Set((options.tables && options.tables.length > 0 ? options.tables : ["McasShadowItReporting"])
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
    return {
        workspaceId: workspace.toLowerCase(),
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
        progress: options.progress ?? "auto",
    };
}
