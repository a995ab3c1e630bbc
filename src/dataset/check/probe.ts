// What `shadowit check` reads from a workspace: a handful of small queries (no row data), each answered as facts
// for the pure assessment in assess.ts.
import type { LogsTable } from "@azure/monitor-query-logs";
import { MCAS_SHADOW_IT_REPORTING, type TableSchema } from "../../schema.ts";
import { TABLES } from "../tables.ts";
import { UserError } from "../errors.ts";
import { aggregateQuery, countByBinQuery, kqlIdentifier, schemaProbeQuery } from "../kql/index.ts";
import type { QueryRunner } from "../export/fetch.ts";
import { DAY_MS, formatSpan, type Span } from "../export/windows.ts";
import { describeQueryFailure, serviceError, type QueryContext } from "../logs/errors.ts";

export { DAY_MS };
/** Days of row counts the check looks at (today, partial, included). */
export const CHECK_DAYS = 30;
/** How far back the last data of each stream is looked for (Sentinel's default retention). */
export const STREAM_LOOKBACK_DAYS = 90;

export interface TableFacts {
    readonly name: string;
    /** The columns as the workspace returns them, in its order; null when the workspace has no such table. */
    readonly columns: readonly { readonly name: string; readonly type: string }[] | null;
    /** Rows per UTC day (yyyy-mm-dd) over the checked days; days without rows are absent. */
    readonly rowsByDay: ReadonlyMap<string, number>;
}

export interface StreamFacts {
    readonly name: string;
    readonly lastSeen: string | null;
    readonly rows: number;
}

export interface WorkspaceFacts {
    readonly workspaceId: string;
    readonly endpoint: string;
    readonly now: number;
    /** The checked days: [start of the first day, now). */
    readonly days: Span;
    readonly tables: readonly TableFacts[];
    /** McasShadowItReporting's streams over the lookback, when the table exists. */
    readonly streams: readonly StreamFacts[] | null;
    /** Rows per day the default M (day grain) returns, when the table exists and has the columns it groups by. */
    readonly mDayGrainRowsByDay: ReadonlyMap<string, number> | null;
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The answer of a query that names a table the workspace lacks: 400 SemanticError "Failed to resolve table". */
function isMissingTable(error: unknown): boolean {
    const e = error as { statusCode?: number; message?: string };
    if (e?.statusCode !== 400) return false;
    const service = serviceError(e);
    return /Failed to resolve table/i.test(`${service.inner ?? ""} ${service.message ?? ""} ${e.message ?? ""}`);
}

async function query(runner: QueryRunner, table: string, kql: string, span: Span): Promise<LogsTable | "missing-table"> {
    const ctx: QueryContext = {
        workspaceId: runner.workspaceId, table, window: formatSpan(span), endpoint: runner.endpoint,
        afterFailure: "The check writes nothing; rerun it once this is fixed.",
    };
    await runner.limiter.acquire();
    let result;
    try {
        result = await runner.client.queryWorkspace(runner.workspaceId, kql, { startTime: new Date(span.start), endTime: new Date(span.end) },
            { serverTimeoutInSeconds: runner.serverTimeoutInSeconds });
    } catch (error) {
        if (isMissingTable(error)) return "missing-table";
        throw describeQueryFailure(error, ctx);
    }
    if (result.status !== "Success") {
        throw new UserError(`the check query of ${table} came back partial for workspace ${runner.workspaceId} (${result.partialError?.message ?? "no reason given"}); rerun to try again`, 1);
    }
    const primary = result.tables[0];
    if (!primary) throw new UserError(`workspace ${runner.workspaceId} answered a check query of ${table} without a result table; rerun to try again`, 1);
    return primary;
}

function columnIndex(table: LogsTable, type: "datetime" | "count" | "string"): number {
    return table.columnDescriptors.findIndex(c => (type === "count" ? c.type === "long" || c.type === "int" : c.type === type));
}

/** Rows of a `summarize … by TimeGenerated` result, by UTC day. */
function countsByDay(table: LogsTable): Map<string, number> {
    const time = columnIndex(table, "datetime");
    const count = columnIndex(table, "count");
    const out = new Map<string, number>();
    if (time < 0 || count < 0) return out;
    for (const row of table.rows) {
        const value = row[time];
        const ms = value instanceof Date ? value.getTime() : Date.parse(String(value));
        if (Number.isNaN(ms)) continue;
        const day = dayOf(ms);
        out.set(day, (out.get(day) ?? 0) + Number(row[count]));
    }
    return out;
}

/** The columns the default M groups by and sums: without all of them its query fails. */
export const M_DAY_GRAIN_COLUMNS = [
    "TimeGenerated", "StreamName", "AppName", "AppId", "AppCategory", "AppScore", "AppTags", "UserName", "EnrichedUserName",
    "TotalEvents", "BlockedEvents", "UploadedBytes", "DownloadedBytes", "TotalBytes",
];

export async function gatherFacts(runner: QueryRunner, now: number, tables: readonly TableSchema[] = TABLES): Promise<WorkspaceFacts> {
    const firstDay = Math.floor(now / DAY_MS) * DAY_MS - (CHECK_DAYS - 1) * DAY_MS;
    const days: Span = { start: firstDay, end: now };
    const window = { start: new Date(days.start), end: new Date(days.end) };
    const facts: TableFacts[] = [];
    let streams: StreamFacts[] | null = null;
    let mDayGrainRowsByDay: Map<string, number> | null = null;
    for (const expected of tables) {
        const schema = await query(runner, expected.name, schemaProbeQuery(expected), days);
        if (schema === "missing-table") {
            facts.push({ name: expected.name, columns: null, rowsByDay: new Map() });
            continue;
        }
        const columns = schema.columnDescriptors.map(c => ({ name: c.name ?? "", type: c.type ?? "string" }));
        const names = new Set(columns.map(c => c.name));
        let rowsByDay = new Map<string, number>();
        if (names.has("TimeGenerated")) {
            const counted = await query(runner, expected.name, countByBinQuery(expected, window, "1d"), days);
            if (counted !== "missing-table") rowsByDay = countsByDay(counted);
        }
        facts.push({ name: expected.name, columns, rowsByDay });
        if (expected.name !== MCAS_SHADOW_IT_REPORTING.name) continue;
        if (names.has("StreamName") && names.has("TimeGenerated")) {
            const lookback: Span = { start: now - STREAM_LOOKBACK_DAYS * DAY_MS, end: now };
            const kql = `${kqlIdentifier(expected.name)}\n| summarize LastSeen = max(TimeGenerated), Rows = count() by StreamName`;
            const answered = await query(runner, expected.name, kql, lookback);
            if (answered !== "missing-table") {
                const name = columnIndex(answered, "string");
                const last = columnIndex(answered, "datetime");
                const count = columnIndex(answered, "count");
                streams = answered.rows.map(row => {
                    const seen = row[last];
                    const ms = seen instanceof Date ? seen.getTime() : seen === null || seen === undefined ? Number.NaN : Date.parse(String(seen));
                    return { name: String(row[name] ?? ""), lastSeen: Number.isNaN(ms) ? null : new Date(ms).toISOString(), rows: Number(row[count]) };
                });
            }
        }
        if (M_DAY_GRAIN_COLUMNS.every(c => names.has(c))) {
            const kql = `${aggregateQuery(expected, "day", window)}\n| summarize Rows = count() by TimeGenerated`;
            const answered = await query(runner, expected.name, kql, days);
            if (answered !== "missing-table") mDayGrainRowsByDay = countsByDay(answered);
        }
    }
    return { workspaceId: runner.workspaceId, endpoint: runner.endpoint, now, days, tables: facts, streams, mDayGrainRowsByDay };
}
