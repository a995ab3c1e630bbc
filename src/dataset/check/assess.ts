// The check's verdict (pure): the workspace's facts against what the companion expects and the query API's limits.
import { asLogAnalyticsType, compareSchema, MCAS_SHADOW_IT_REPORTING, type SchemaDifference, type TableSchema } from "../../schema.ts";
import { findTable } from "../tables.ts";
import { estimatedRowBytes } from "../export/table-export.ts";
import { CHECK_DAYS, DAY_MS, M_DAY_GRAIN_COLUMNS, type StreamFacts, type WorkspaceFacts } from "./probe.ts";

/** The query API's limits per result (docs: "Query limits" of the Log Analytics API). */
export const SERVICE_ROW_LIMIT = 500_000;
export const SERVICE_BYTE_LIMIT = 100_000_000;
/** Defender for Cloud Apps' aggregate stream in Sentinel's workbook: its rows repeat the other streams' traffic. */
export const GLOBAL_VIEW_STREAM = "Global view";
/** A stream without data for longer than this is reported as stale. */
export const STALE_STREAM_DAYS = 2;

export type FindingLevel = "fail" | "warn" | "info";

export interface Finding {
    readonly level: FindingLevel;
    readonly table?: string;
    readonly message: string;
}

export interface TableReport {
    readonly name: string;
    /** Whether the companion needs the table (McasShadowItReporting) or exports it only when asked. */
    readonly required: boolean;
    readonly exists: boolean;
    readonly columns: readonly { readonly name: string; readonly type: string }[] | null;
    readonly schema: SchemaDifference | null;
    /** Every checked day, oldest first, days without rows included with 0. */
    readonly days: readonly { readonly day: string; readonly rows: number }[];
    readonly rows: number;
}

export interface StreamReport extends StreamFacts {
    /** Whole days between the stream's last row and now, null without rows. */
    readonly daysSince: number | null;
    readonly globalView: boolean;
}

export interface QueryEstimate {
    /** What runs the query: "export", "m-day" (the default M), "m-raw" (`--grain raw`). */
    readonly query: "export" | "m-day" | "m-raw";
    readonly description: string;
    /** Rows of the largest single query (one day for the M, one window for the export). */
    readonly largestRows: number;
    readonly largestBytes: number;
    /** Rows and bytes if the whole checked range is one query (Power BI Desktop's first load of the M). */
    readonly rangeRows: number | null;
    readonly rangeBytes: number | null;
    /** Queries the export would send over the checked days. */
    readonly queries: number | null;
    readonly withinLimits: boolean;
}

export interface CheckReport {
    readonly workspaceId: string;
    readonly endpoint: string;
    readonly checkedAt: string;
    readonly days: { readonly start: string; readonly end: string };
    readonly limits: { readonly rows: number; readonly bytes: number };
    readonly tables: readonly TableReport[];
    readonly streams: readonly StreamReport[] | null;
    readonly globalView: boolean | null;
    readonly estimates: readonly QueryEstimate[];
    readonly findings: readonly Finding[];
    /** False when something would fail: the command then exits 1. */
    readonly ok: boolean;
}

export interface CheckLimits {
    readonly rows: number;
    readonly bytes: number;
    /** The export's window budgets (its --row-budget and --byte-budget defaults). */
    readonly exportRowBudget: number;
    readonly exportByteBudget: number;
}

const count = (n: number) => n.toLocaleString("en-US");

function everyDay(facts: WorkspaceFacts, byDay: ReadonlyMap<string, number>): { day: string; rows: number }[] {
    const out: { day: string; rows: number }[] = [];
    for (let day = facts.days.start; day < facts.days.end; day += DAY_MS) {
        const key = new Date(day).toISOString().slice(0, 10);
        out.push({ day: key, rows: byDay.get(key) ?? 0 });
    }
    return out;
}

/** The columns one row of the default M's result has (its keys and sums), for its size. */
function mDayGrainSchema(columns: readonly { name: string; type: string }[]): TableSchema {
    const typeOf = new Map(columns.map(c => [c.name, asLogAnalyticsType(c.type)]));
    return {
        name: "m-day",
        columns: [...M_DAY_GRAIN_COLUMNS, "Records"].map(name => ({
            name,
            type: name === "AppTags" ? "string" : /Events|Bytes|Records/.test(name) ? "long" : typeOf.get(name) ?? "string",
        })),
    };
}

function schemaFindings(table: TableReport, expected: TableSchema, findings: Finding[]): void {
    const diff = table.schema;
    if (!diff) return;
    const isMcas = expected.name === MCAS_SHADOW_IT_REPORTING.name;
    const neededByM = diff.missing.filter(c => M_DAY_GRAIN_COLUMNS.includes(c.name));
    if (isMcas && neededByM.length > 0) {
        findings.push({
            level: "fail", table: table.name,
            message: `${table.name} lacks ${neededByM.map(c => c.name).join(", ")}: the generated M (every grain) groups or sums by them and its query would fail, ` +
                "and the visual's fields would be missing. Check the Defender for Cloud Apps data connector; exports still keep the columns the table has.",
        });
    }
    const otherMissing = diff.missing.filter(c => !isMcas || !M_DAY_GRAIN_COLUMNS.includes(c.name));
    if (otherMissing.length > 0) {
        findings.push({
            level: "warn", table: table.name,
            message: `${table.name} lacks ${otherMissing.map(c => c.name).join(", ")}: \`shadowit m --grain raw\` projects every documented column and would fail; ` +
                "exports keep the columns the table has.",
        });
    }
    if (diff.retyped.length > 0) {
        const listed = diff.retyped.map(c => `${c.name} is ${c.actual} (expected ${c.expected})`).join(", ");
        findings.push({
            level: "info", table: table.name,
            message: `in ${table.name}, ${listed}: exports store each column as the workspace declares it and mark the difference in ` +
                "manifest.json; the M converts by the type the service reports.",
        });
    }
    if (diff.extra.length > 0) {
        findings.push({
            level: "info", table: table.name,
            message: `${table.name} has ${diff.extra.length} column(s) the companion does not list (${diff.extra.map(c => c.name).join(", ")}): exports keep them.`,
        });
    }
}

function streamReports(facts: WorkspaceFacts): StreamReport[] | null {
    if (!facts.streams) return null;
    return [...facts.streams]
        .map(s => ({
            ...s,
            daysSince: s.lastSeen === null ? null : Math.max(0, Math.floor((facts.now - Date.parse(s.lastSeen)) / DAY_MS)),
            globalView: s.name.trim().toLowerCase() === GLOBAL_VIEW_STREAM.toLowerCase(),
        }))
        .sort((a, b) => (b.lastSeen ?? "").localeCompare(a.lastSeen ?? "") || a.name.localeCompare(b.name));
}

function estimate(
    query: QueryEstimate["query"], description: string, days: readonly { rows: number }[], rowBytes: number, limits: CheckLimits,
): QueryEstimate {
    const largestRows = Math.max(0, ...days.map(d => d.rows));
    const rangeRows = days.reduce((n, d) => n + d.rows, 0);
    return {
        query, description, largestRows, largestBytes: largestRows * rowBytes, rangeRows, rangeBytes: rangeRows * rowBytes, queries: null,
        withinLimits: largestRows <= limits.rows && largestRows * rowBytes <= limits.bytes,
    };
}

/** The export splits each day into windows under its budgets (and bisects below them): its queries and largest window. */
function exportEstimate(days: readonly { rows: number }[], rowBytes: number, limits: CheckLimits): QueryEstimate {
    const budget = Math.max(1, Math.min(limits.exportRowBudget, Math.floor(limits.exportByteBudget / rowBytes)));
    const windows = days.reduce((n, d) => n + Math.ceil(d.rows / budget), 0);
    const largestRows = Math.min(budget, Math.max(0, ...days.map(d => d.rows)));
    return {
        query: "export",
        description: `shadowit export: windows of at most ${count(budget)} rows (its --row-budget and --byte-budget), split further when a window comes back partial`,
        largestRows, largestBytes: largestRows * rowBytes, rangeRows: null, rangeBytes: null,
        // One schema query, one hourly count per 31 days, then the windows.
        queries: windows + 2,
        withinLimits: true,
    };
}

export function assess(facts: WorkspaceFacts, limits: CheckLimits): CheckReport {
    const findings: Finding[] = [];
    const tables: TableReport[] = facts.tables.map(t => {
        const expected = findTable(t.name);
        const days = everyDay(facts, t.rowsByDay);
        return {
            name: t.name,
            required: t.name === MCAS_SHADOW_IT_REPORTING.name,
            exists: t.columns !== null,
            columns: t.columns,
            schema: t.columns && expected ? compareSchema(expected, t.columns) : null,
            days,
            rows: days.reduce((n, d) => n + d.rows, 0),
        };
    });
    for (const table of tables) {
        if (!table.exists) {
            findings.push(table.required
                ? {
                    level: "fail", table: table.name,
                    message: `the workspace has no ${table.name} table: export and the M would fail. Connect Microsoft Defender for Cloud Apps to ` +
                        "Microsoft Sentinel with Cloud Discovery logs turned on, then wait for the first discovery data (it can take hours).",
                }
                : { level: "info", table: table.name, message: `the workspace has no ${table.name} table: \`shadowit export --table ${table.name}\` would fail; the dashboard does not need it.` });
            continue;
        }
        const expected = findTable(table.name);
        if (expected) schemaFindings(table, expected, findings);
        if (table.columns && !table.columns.some(c => c.name === "TimeGenerated" && asLogAnalyticsType(c.type) === "datetime")) {
            findings.push({ level: "fail", table: table.name, message: `${table.name} has no datetime TimeGenerated column: exports and the M filter and split on it and would fail.` });
        }
        if (table.required && table.rows === 0) {
            findings.push({
                level: "warn", table: table.name,
                message: `${table.name} has no rows in the last ${CHECK_DAYS} days: the dashboard would be empty. Check that Cloud Discovery data sources upload logs.`,
            });
        }
    }

    const streams = streamReports(facts);
    const globalView = streams ? streams.some(s => s.globalView) : null;
    if (globalView) {
        findings.push({
            level: "warn", table: MCAS_SHADOW_IT_REPORTING.name,
            message: `a "${GLOBAL_VIEW_STREAM}" stream is present: it is Defender for Cloud Apps' aggregate of the other streams, so its rows repeat their ` +
                `traffic and totals over all streams count it twice. Filter StreamName in the report: either "${GLOBAL_VIEW_STREAM}" alone, or every stream but it.`,
        });
    }
    for (const stream of streams ?? []) {
        if (stream.daysSince !== null && stream.daysSince > STALE_STREAM_DAYS) {
            findings.push({
                level: "warn", table: MCAS_SHADOW_IT_REPORTING.name,
                message: `stream "${stream.name}" has sent nothing for ${stream.daysSince} days (last data ${stream.lastSeen}): check its log collector or data source.`,
            });
        }
    }

    const estimates: QueryEstimate[] = [];
    const mcas = tables.find(t => t.required && t.exists);
    if (mcas?.columns) {
        const rawBytes = estimatedRowBytes({ name: mcas.name, columns: mcas.columns.map(c => ({ name: c.name, type: asLogAnalyticsType(c.type) })) });
        estimates.push(exportEstimate(mcas.days, rawBytes, limits));
        if (facts.mDayGrainRowsByDay) {
            const dayGrain = estimate("m-day", "shadowit m (default --grain day): one row per day, stream, app, score, tags and user",
                everyDay(facts, facts.mDayGrainRowsByDay), estimatedRowBytes(mDayGrainSchema(mcas.columns)), limits);
            estimates.push(dayGrain);
        }
        estimates.push(estimate("m-raw", "shadowit m --grain raw: every row", mcas.days, rawBytes, limits));
    }
    for (const e of estimates) limitFindings(e, limits, findings);

    const ok = !findings.some(f => f.level === "fail");
    return {
        workspaceId: facts.workspaceId,
        endpoint: facts.endpoint,
        checkedAt: new Date(facts.now).toISOString(),
        days: { start: new Date(facts.days.start).toISOString(), end: new Date(facts.days.end).toISOString() },
        limits: { rows: limits.rows, bytes: limits.bytes },
        tables, streams, globalView, estimates, findings, ok,
    };
}

function limitFindings(e: QueryEstimate, limits: CheckLimits, findings: Finding[]): void {
    const table = MCAS_SHADOW_IT_REPORTING.name;
    const limitText = `${count(limits.rows)} rows / about ${count(Math.round(limits.bytes / 1e6))} MB per query`;
    if (e.query === "m-day" || e.query === "m-raw") {
        const what = e.query === "m-day" ? "the default M (day grain)" : "the M with --grain raw";
        if (!e.withinLimits) {
            findings.push({
                level: e.query === "m-day" ? "fail" : "warn", table,
                message: `${what} would exceed the query limit (${limitText}) on its busiest day: ${count(e.largestRows)} rows, about ` +
                    `${count(Math.round(e.largestBytes / 1e6))} MB. Even a one-day refresh partition would fail: use \`shadowit export\` and ` +
                    "`shadowit m --from-folder` instead" + (e.query === "m-raw" ? ", or the default day grain." : "."),
            });
        } else if (e.rangeRows !== null && e.rangeBytes !== null && (e.rangeRows > limits.rows || e.rangeBytes > limits.bytes)) {
            findings.push({
                level: "warn", table,
                message: `${what} over all ${CHECK_DAYS} days in one query (Power BI Desktop's first load) would exceed the query limit (${limitText}): ` +
                    `${count(e.rangeRows)} rows. Set RangeStart/RangeEnd to a few days in Desktop and let incremental refresh load day partitions (the busiest day has ${count(e.largestRows)} rows).`,
            });
        }
    }
}
