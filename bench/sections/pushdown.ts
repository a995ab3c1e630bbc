import { BenchContext, today } from "../lib/context";
import { KqlModule, loadCompanion } from "../lib/companion";
import { calendarDays, DAY_MS, postQuery, QueryBody, timespanOf } from "../lib/logsHttp";
import { Figure, SectionResult } from "../lib/report";
import { fixed, megabytes, thousands } from "../lib/stats";

const TABLE = "McasShadowItReporting";
const TARGET_ROW_RATIO = 10;
const USER_KEYS = ", UserName, EnrichedUserName";

interface Transfer {
    rows: number;
    uncompressedBytes: number;
    gzipBytes: number;
    requests: number;
    partial: number;
}

/**
 * A 30-day refresh of the sample tenant as Power BI's incremental refresh would run it (one query per UTC
 * calendar day, through the query API's HTTP responses): the raw rows (`rawQuery`) against the KQL that `shadowit m`
 * emits (`aggregateQuery(…, "day")`). Each body is fetched uncompressed and with gzip to count both sizes.
 */
export async function runPushdown(ctx: BenchContext): Promise<SectionResult> {
    const kql = await loadCompanion<KqlModule>(ctx.root, "src/dataset/kql/index.ts", "the KQL builders");
    const { emulator: em, rows, sizeNote } = await ctx.sampleEmulator();
    const windows = calendarDays(new Date(ctx.sampleEnd.getTime() - 30 * DAY_MS), ctx.sampleEnd);
    const measure = async (build: (w: { start: Date; end: Date }) => string): Promise<Transfer> => {
        const t: Transfer = { rows: 0, uncompressedBytes: 0, gzipBytes: 0, requests: 0, partial: 0 };
        for (const window of windows) {
            const query = build(window);
            const plain = await postQuery(em, query, timespanOf(window), false);
            if (plain.status !== 200) throw new Error(`emulator answered ${plain.status} for ${timespanOf(window)}: ${plain.body.slice(0, 300)}`);
            const zipped = await postQuery(em, query, timespanOf(window), true);
            const body = JSON.parse(plain.body) as QueryBody;
            if (body.error) t.partial++;
            t.rows += body.tables?.[0]?.rows.length ?? 0;
            t.uncompressedBytes += Buffer.byteLength(plain.body);
            t.gzipBytes += zipped.gzip ? zipped.wireBytes : Number.NaN;
            t.requests += 2;
        }
        return t;
    };
    console.log(`bench pushdown: ${windows.length} UTC calendar days, raw and aggregated, over ${thousands(rows)} sample rows`);
    const raw = await measure(w => kql.rawQuery(TABLE, w));
    const aggregated = await measure(w => kql.aggregateQuery(TABLE, "day", w));
    // Diagnostic: the same KQL without the user keys, to show what they cost (not what `shadowit m` sends).
    const withoutUsers = (w: { start: Date; end: Date }) => kql.aggregateQuery(TABLE, "day", w).replace(USER_KEYS, "");
    const probe = kql.aggregateQuery(TABLE, "day", windows[0]);
    const noUsers = probe.includes(USER_KEYS) ? await measure(withoutUsers) : null;
    const rowRatio = raw.rows / aggregated.rows;
    const met = rowRatio >= TARGET_ROW_RATIO;
    const gz = (t: Transfer) => Number.isFinite(t.gzipBytes) ? megabytes(t.gzipBytes) : "not compressed by the server";
    const figures: Figure[] = [
        {
            name: "Raw (rawQuery), 30 days",
            value: `${thousands(raw.rows)} rows; ${megabytes(raw.uncompressedBytes)} JSON, ${gz(raw)} gzip`,
            target: "", verdict: "no target",
            note: raw.partial ? `${raw.partial} window(s) came back as PartialError (truncated): the raw refresh hits the service's limits.` : undefined,
        },
        {
            name: "Aggregated (aggregateQuery day, as `shadowit m`), 30 days",
            value: `${thousands(aggregated.rows)} rows; ${megabytes(aggregated.uncompressedBytes)} JSON, ${gz(aggregated)} gzip`,
            target: "", verdict: "no target",
        },
        {
            name: "Fewer rows transferred",
            value: `${fixed(rowRatio)}× fewer rows; ${fixed(raw.uncompressedBytes / aggregated.uncompressedBytes)}× fewer bytes `
                + `uncompressed, ${fixed(raw.gzipBytes / aggregated.gzipBytes)}× fewer gzip`,
            target: `≥ ${TARGET_ROW_RATIO}× fewer rows`,
            verdict: ctx.judge(met),
            note: met || ctx.options.quick ? undefined
                : "the aggregation keys (day, stream, app, category, score, tags and user) leave "
                    + `${fixed(100 * aggregated.rows / raw.rows)} % of the rows as groups in this tenant`
                    + (noUsers ? `; without the two user keys the same query returns ${thousands(noUsers.rows)} rows `
                        + `(${fixed(raw.rows / noUsers.rows)}× fewer than raw), so the per-user grain is what costs the reduction.` : "."),
        },
    ];
    if (noUsers) {
        figures.push({
            name: "Diagnostic: aggregated without UserName/EnrichedUserName keys",
            value: `${thousands(noUsers.rows)} rows; ${megabytes(noUsers.uncompressedBytes)} JSON, ${gz(noUsers)} gzip`,
            target: "", verdict: "no target",
        });
    }
    const details = [
        `Emulator with ${thousands(rows)} sample rows (30 days). ${sizeNote}`,
        "",
        `The sample's 30 days fall on ${windows.length} UTC calendar days: one query per day, as the daily partitions of `
            + "an incremental refresh (RangeStart/RangeEnd at midnight) run them. Each day is queried with `timespan` set to the window and the KQL's own `where TimeGenerated` "
            + "filter, once with `Accept-Encoding: identity` (uncompressed bytes, rows counted from the body) and once "
            + "with `Accept-Encoding: gzip` (bytes on the wire).",
    ];
    return { id: "pushdown", title: "5. Pushdown: raw rows against the aggregated KQL", command: ctx.command("pushdown"), date: today(), figures, details };
}
