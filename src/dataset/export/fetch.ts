// Fetching one export window: a raw query per window; a partial result for the size or row limit is thrown
// away and the window bisected in time, so truncated rows are never written.
import type { LogsQueryClient, LogsQueryResult, LogsTable } from "@azure/monitor-query-logs";
import type { TableSchema } from "../../schema.ts";
import { UserError } from "../errors.ts";
import { countByBinQuery, rawQuery } from "../kql/index.ts";
import type { ResponseCapture } from "../logs/client.ts";
import { describeQueryFailure, isTruncatedResponse, type QueryContext } from "../logs/errors.ts";
import { bisect, formatSpan, type Span } from "./windows.ts";

export interface QueryRunner {
    readonly client: LogsQueryClient;
    readonly capture: ResponseCapture;
    readonly endpoint: string;
    readonly workspaceId: string;
    readonly limiter: RateLimiter;
    /** Server-side timeout asked for each query (the service's maximum is 600 s). */
    readonly serverTimeoutInSeconds: number;
}

/** Keeps the request rate under the service's per-user limit (requests per 30 s). */
export class RateLimiter {
    private readonly sent: number[] = [];
    constructor(private readonly perWindow: number, private readonly windowMs = 30_000) {}

    async acquire(): Promise<void> {
        for (;;) {
            const now = Date.now();
            while (this.sent.length > 0 && this.sent[0] <= now - this.windowMs) this.sent.shift();
            if (this.sent.length < this.perWindow) {
                this.sent.push(now);
                return;
            }
            await new Promise(resolve => setTimeout(resolve, this.sent[0] + this.windowMs - now + 5));
        }
    }
}

const TRUNCATED_ATTEMPTS = 3;

interface QueryAnswer {
    readonly result: LogsQueryResult;
    /** The `error` member of the raw response (with the inner errors the SDK drops), when there was one. */
    readonly rawError: unknown;
}

function rawErrorOf(body: string | undefined): unknown {
    if (body === undefined) return undefined;
    try {
        return (JSON.parse(body) as { error?: unknown }).error;
    } catch {
        return undefined;
    }
}

/** Runs one query; a truncated response (cut-off body) is retried, everything else surfaces as a UserError. */
export async function runQuery(runner: QueryRunner, ctx: QueryContext, kql: string, span: Span, counter: { requests: number }): Promise<QueryAnswer> {
    for (let attempt = 1; ; attempt++) {
        await runner.limiter.acquire();
        counter.requests++;
        const tracked = runner.capture.track();
        try {
            const result = await runner.client.queryWorkspace(
                runner.workspaceId, kql,
                { startTime: new Date(span.start), endTime: new Date(span.end) },
                { serverTimeoutInSeconds: runner.serverTimeoutInSeconds, requestOptions: { headers: tracked.headers } },
            );
            const body = runner.capture.take(tracked.id);
            // Parsing the body again costs a second JSON.parse: only done for the rare partial result.
            return { result, rawError: result.status === "PartialFailure" ? rawErrorOf(body) : undefined };
        } catch (error) {
            runner.capture.take(tracked.id);
            if (isTruncatedResponse(error) && attempt < TRUNCATED_ATTEMPTS) {
                await new Promise(resolve => setTimeout(resolve, 250 * attempt));
                continue;
            }
            throw describeQueryFailure(error, ctx, attempt);
        }
    }
}

/** A partial error the service gives for a result above its row or size limit. */
export function isResultTooLarge(partialError: unknown): boolean {
    const text = JSON.stringify(partialError ?? {});
    return /E_QUERY_RESULT_SET_TOO_LARGE|record count limit|data size limit|result set has exceeded|row limit|size limit/i.test(text);
}

/** The most specific message of a (nested) service error: the innermost one, where the service says why. */
function partialErrorText(partialError: unknown): string {
    const messages: string[] = [];
    const walk = (node: unknown, depth: number): void => {
        if (!node || typeof node !== "object" || depth > 8) return;
        const n = node as { message?: unknown; details?: unknown; innererror?: unknown };
        if (typeof n.message === "string") messages.push(n.message);
        if (Array.isArray(n.details)) for (const d of n.details) walk(d, depth + 1);
        walk(n.innererror, depth + 1);
    };
    walk(partialError, 0);
    const code = (partialError as { code?: unknown } | undefined)?.code;
    const message = messages.at(-1) ?? JSON.stringify(partialError ?? {});
    return `${typeof code === "string" ? code : "PartialError"}: ${message.slice(0, 300)}`;
}

function primaryTable(result: LogsQueryResult): LogsTable | undefined {
    return result.status === "Success" ? result.tables[0] : result.partialTables[0];
}

export interface WindowPiece {
    readonly span: Span;
    readonly table: LogsTable;
}

export interface FetchStats {
    requests: number;
    bisections: number;
}

/**
 * Fetches every row of `table` in `span`, calling `onPiece` with each complete piece in time order. A
 * PartialFailure for size/row limits splits the span in two (down to `minWindowMs`); any other partial
 * failure is an error. Nothing from a partial result is ever passed on.
 */
export async function fetchWindow(
    runner: QueryRunner, table: TableSchema, span: Span, minWindowMs: number, stats: FetchStats,
    onPiece: (piece: WindowPiece) => Promise<void>,
): Promise<void> {
    const ctx: QueryContext = { workspaceId: runner.workspaceId, table: table.name, window: formatSpan(span), endpoint: runner.endpoint };
    const kql = rawQuery(table, { start: new Date(span.start), end: new Date(span.end) });
    const { result, rawError } = await runQuery(runner, ctx, kql, span, stats);
    if (result.status === "PartialFailure") {
        if (!isResultTooLarge(rawError ?? result.partialError)) {
            throw new UserError(
                `the service returned a partial result (${partialErrorText(rawError ?? result.partialError)}) for workspace ${runner.workspaceId}, ` +
                `table ${table.name}, window ${ctx.window}; its rows were not written. Rerun to try again; if it persists, lower --row-budget.`,
            );
        }
        const halves = bisect(span, minWindowMs);
        if (!halves) {
            throw new UserError(
                `the result for workspace ${runner.workspaceId}, table ${table.name}, window ${ctx.window} is still above the service's ` +
                `row or size limit (${partialErrorText(rawError ?? result.partialError)}) in a window of ${minWindowMs} ms: it cannot be exported row by row; ` +
                "its rows were not written. Export an aggregate instead (shadowit m) or ask for the limit to be raised.",
            );
        }
        stats.bisections++;
        for (const half of halves) await fetchWindow(runner, table, half, minWindowMs, stats, onPiece);
        return;
    }
    const primary = primaryTable(result);
    if (!primary) throw new UserError(`the service answered without a result table for workspace ${runner.workspaceId}, table ${table.name}, window ${ctx.window}`);
    await onPiece({ span, table: primary });
}

/** Row counts per UTC hour over `span` (epoch ms of the hour → rows). */
export async function countRowsByHour(runner: QueryRunner, table: TableSchema, span: Span, stats: FetchStats): Promise<Map<number, number>> {
    const ctx: QueryContext = { workspaceId: runner.workspaceId, table: table.name, window: formatSpan(span), endpoint: runner.endpoint };
    const kql = countByBinQuery(table, { start: new Date(span.start), end: new Date(span.end) }, "1h");
    const { result } = await runQuery(runner, ctx, kql, span, stats);
    if (result.status === "PartialFailure") {
        throw new UserError(`the row count query returned a partial result (${partialErrorText(result.partialError)}) for workspace ${runner.workspaceId}, table ${table.name}, window ${ctx.window}; rerun to try again`);
    }
    const primary = result.tables[0];
    const counts = new Map<number, number>();
    if (!primary) return counts;
    const timeIndex = primary.columnDescriptors.findIndex(c => c.type === "datetime");
    const countIndex = primary.columnDescriptors.findIndex(c => c.type === "long" || c.type === "int");
    if (timeIndex < 0 || countIndex < 0) {
        throw new UserError(`the row count query for workspace ${runner.workspaceId}, table ${table.name} answered without a time and a count column`);
    }
    for (const row of primary.rows) {
        const time = row[timeIndex];
        const count = Number(row[countIndex]);
        const ms = time instanceof Date ? time.getTime() : Date.parse(String(time));
        if (!Number.isNaN(ms) && Number.isFinite(count)) counts.set(ms, (counts.get(ms) ?? 0) + count);
    }
    return counts;
}
