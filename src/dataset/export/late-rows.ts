// Rows that arrive late: Log Analytics ingests a row some time after its TimeGenerated, usually within minutes, and
// Defender for Cloud Apps says new discovery data "usually" arrives within 15 minutes but can take longer. The
// export's overlap re-reads the last minutes before the watermark; rows later than that are found through
// ingestion_time() (learn.microsoft.com/kusto/query/ingestion-time-function: when the record was ingested and ready
// for query; approximate, and two overlapping ingestions may carry either order).
//
// The rule (also in README "Export"): a run that completes records `ingestedBefore` = its "now" minus
// INGESTION_MARGIN_MS (for the approximation and a modest clock difference with the service). The next incremental
// run asks for the days of the covered range that hold rows ingested at or after that instant, and reads each such
// day again from its start: a day read again replaces that day's rows in its file, so a late row is exported once
// and nothing is duplicated. Manifests of earlier versions have no mark: late rows are looked for from the first
// completed run of this version on.
import type { TableSchema } from "../../schema.ts";
import { UserError } from "../errors.ts";
import { lateRowsByDayQuery } from "../kql/index.ts";
import type { QueryContext } from "../logs/errors.ts";
import { runQuery, type FetchStats, type QueryRunner } from "./fetch.ts";
import type { ManifestTable } from "./manifest.ts";
import { formatSpan, startOfUtcDay, utcDay, type Span } from "./windows.ts";

export const INGESTION_MARGIN_MS = 15 * 60_000;

/** The `ingestedBefore` mark a run that started at `now` may record. */
export function ingestionMark(now: number): string {
    return new Date(now - INGESTION_MARGIN_MS).toISOString();
}

/**
 * Refuses a manifest entry that claims to have read beyond now: a hand-edited manifest or one written on a machine
 * whose clock was ahead would otherwise make every later run read nothing.
 */
export function assertNotInFuture(manifestPath: string, table: string, entry: ManifestTable | undefined, now: number): void {
    if (!entry) return;
    const claims: [string, string | null | undefined][] = [
        ["watermark", entry.watermark], ["covered range's end", entry.covered?.end], ["ingestedBefore", entry.ingestedBefore],
    ];
    for (const [what, value] of claims) {
        if (value === null || value === undefined || Date.parse(value) <= now) continue;
        throw new UserError(
            `the export manifest ${manifestPath} says ${table} was read up to ${value} (its ${what}), which is later than now ` +
            `(${new Date(now).toISOString()}): the manifest was edited, or written on a machine whose clock was ahead. Nothing was ` +
            "queried. Check this machine's clock; then move manifest.json away (the day files stay and are listed again) and " +
            "rerun with --since to read again from a date you choose.",
            1,
        );
    }
}

/** The UTC day starts (epoch ms) in `span` holding rows ingested at or after `since`, oldest first. */
export async function lateRowDays(runner: QueryRunner, schema: TableSchema, span: Span, since: number, stats: FetchStats): Promise<{ day: number; rows: number }[]> {
    const ctx: QueryContext = { workspaceId: runner.workspaceId, table: schema.name, window: formatSpan(span), endpoint: runner.endpoint };
    const kql = lateRowsByDayQuery(schema, { start: new Date(span.start), end: new Date(span.end) }, new Date(since));
    const { result } = await runQuery(runner, ctx, kql, span, stats);
    if (result.status === "PartialFailure") {
        throw new UserError(`the query for late rows returned a partial result for workspace ${runner.workspaceId}, table ${schema.name}, window ${ctx.window}; rerun to try again`);
    }
    const primary = result.tables[0];
    if (!primary) return [];
    const timeIndex = primary.columnDescriptors.findIndex(c => c.type === "datetime");
    const countIndex = primary.columnDescriptors.findIndex(c => c.type === "long" || c.type === "int");
    const days: { day: number; rows: number }[] = [];
    for (const row of primary.rows) {
        const time = row[timeIndex];
        const ms = time instanceof Date ? time.getTime() : Date.parse(String(time));
        const rows = Number(row[countIndex]);
        if (!Number.isNaN(ms) && rows > 0) days.push({ day: startOfUtcDay(ms), rows });
    }
    return days.sort((a, b) => a.day - b.day);
}

/**
 * For an incremental run: the range to read, moved back to the start of the oldest covered day that received late
 * rows since the previous run's mark, and a note saying so; the range unchanged when there are none (or no mark).
 */
export async function includeLateRows(
    runner: QueryRunner, schema: TableSchema, previous: ManifestTable | undefined, range: Span | undefined, until: number,
): Promise<{ range: Span | undefined; note?: string }> {
    if (!previous?.covered || !previous.ingestedBefore) return { range };
    const coveredStart = Date.parse(previous.covered.start);
    const checkedEnd = Math.min(Date.parse(previous.covered.end), range?.start ?? Infinity);
    if (checkedEnd <= coveredStart) return { range };
    const since = Date.parse(previous.ingestedBefore);
    const late = await lateRowDays(runner, schema, { start: coveredStart, end: checkedEnd }, since, { requests: 0, bisections: 0 });
    if (late.length === 0) return { range };
    const start = Math.max(coveredStart, late[0].day);
    const end = range?.end ?? until;
    if (start >= end) return { range };
    const rows = late.reduce((n, d) => n + d.rows, 0);
    const note = `${schema.name}: ${rows} row(s) ingested since ${previous.ingestedBefore} have times in days already exported ` +
        `(${late.map(d => utcDay(d.day)).join(", ")}): reading again from ${new Date(start).toISOString()}`;
    return { range: { start: Math.min(start, range?.start ?? start), end }, note };
}
