// Sample tenant options and the values they resolve to.

/** The sample tenant's Log Analytics workspace ID (also its rows' TenantId). */
export const SAMPLE_WORKSPACE_ID = "5a3e7c1d-9b42-4f08-8d6e-2c71b0a4e915";

export const DEFAULT_SAMPLE_SEED = 20_240_501;
export const DEFAULT_SAMPLE_ROWS = 20_000;
export const DEFAULT_SAMPLE_DAYS = 30;
export const MAX_SAMPLE_DAYS = 3650;

export interface SampleOptions {
    seed?: number;
    /**
     * McasShadowItReporting records of the per-source streams (default 20000), without the Global view rows that
     * sum them; the other tables are proportional.
     */
    rows?: number;
    /** Days of data before `end` (default 30). */
    days?: number;
    /** Exclusive end of the data; default: the start of the UTC hour that `now` falls in. */
    end?: Date;
    /** The clock the default end is read from (default: the wall clock). */
    now?: Date;
    /**
     * Whether McasShadowItReporting carries Defender's aggregate "Global view" stream beside the per-source streams
     * (default true, as real tenants do); false gives a tenant whose streams are all per-source.
     */
    globalView?: boolean;
    /** TenantId written in every row (default SAMPLE_WORKSPACE_ID). */
    workspaceId?: string;
}

export interface ResolvedSampleOptions {
    readonly seed: number;
    readonly rows: number;
    readonly days: number;
    readonly startMs: number;
    readonly endMs: number;
    readonly workspaceId: string;
}

export function startOfCurrentUtcHour(now = Date.now()): Date {
    return new Date(Math.floor(now / 3_600_000) * 3_600_000);
}

/** Validates options (RangeError on nonsense: the CLI turns its own checks into UserErrors first). */
export function resolveSampleOptions(opts: SampleOptions = {}): ResolvedSampleOptions {
    const seed = opts.seed ?? DEFAULT_SAMPLE_SEED;
    const rows = opts.rows ?? DEFAULT_SAMPLE_ROWS;
    const days = opts.days ?? DEFAULT_SAMPLE_DAYS;
    const end = opts.end ?? startOfCurrentUtcHour((opts.now ?? new Date()).getTime());
    if (!Number.isSafeInteger(seed)) throw new RangeError(`sample seed must be an integer, got ${seed}`);
    if (!Number.isSafeInteger(rows) || rows < 0) throw new RangeError(`sample rows must be a non-negative integer, got ${rows}`);
    if (!Number.isInteger(days) || days < 1 || days > MAX_SAMPLE_DAYS) {
        throw new RangeError(`sample days must be an integer from 1 to ${MAX_SAMPLE_DAYS}, got ${days}`);
    }
    if (!(end instanceof Date) || Number.isNaN(end.getTime())) throw new RangeError("sample end must be a valid date");
    const endMs = end.getTime();
    return { seed, rows, days, startMs: endMs - days * 86_400_000, endMs, workspaceId: opts.workspaceId ?? SAMPLE_WORKSPACE_ID };
}

/** SecurityAlert rows for a given McasShadowItReporting row count: about 1.5 %, at least one a week. */
export function alertCount(rows: number, days: number): number {
    if (rows === 0) return 0;
    return Math.max(Math.ceil(days / 7), Math.round(rows * 0.015));
}

/** SigninLogs rows: about one for every five discovery records. */
export function signinCount(rows: number): number {
    return Math.round(rows * 0.2);
}
