// KQL builders: pure functions from a table (and a time window) to query text. The Log Analytics emulator
// implements exactly the KQL subset used here; keep to it (see README of the emulator) when adding queries.
import type { TableSchema } from "../../schema.ts";
import { kqlDatetime, kqlIdentifier } from "./literals.ts";
import { companionTable, TIME_COLUMN } from "../tables.ts";
import { resolveTable } from "./tables.ts";

/** A half-open time window [start, end) on TimeGenerated. */
export interface TimeWindow {
    readonly start: Date;
    readonly end: Date;
}

/**
 * The bounds as KQL expressions rather than dates: used to build query templates whose bounds come from
 * elsewhere (the Power Query M generator splices its RangeStart/RangeEnd parameters in). Callers must pass
 * trusted text only; use a TimeWindow for values.
 */
export interface WindowExpressions {
    readonly startExpr: string;
    readonly endExpr: string;
}

export type QueryWindow = TimeWindow | WindowExpressions;

export type BinSize = "1h" | "1d";
export type AggregateGrain = "day" | "hour" | "none";
export const AGGREGATE_GRAINS: readonly AggregateGrain[] = ["day", "hour", "none"];

function windowFilter(window: QueryWindow | undefined): string[] {
    if (!window) return [];
    let start: string;
    let end: string;
    if ("startExpr" in window) {
        start = window.startExpr;
        end = window.endExpr;
    } else {
        start = kqlDatetime(window.start);
        end = kqlDatetime(window.end);
        if (window.start.getTime() >= window.end.getTime()) {
            throw new RangeError(`empty time window: start ${window.start.toISOString()} is not before end ${window.end.toISOString()}`);
        }
    }
    return [`| where ${TIME_COLUMN} >= ${start} and ${TIME_COLUMN} < ${end}`];
}

function lines(...parts: string[]): string {
    return parts.join("\n");
}

/** Every column of the schema in its order, oldest first (the tie-break keys the schema lacks are left out). */
export function rawQuery(table: string | TableSchema, window?: QueryWindow): string {
    const schema = resolveTable(table);
    const columns = schema.columns.map(c => kqlIdentifier(c.name));
    const present = new Set(schema.columns.map(c => c.name));
    const tiebreak = (companionTable(schema.name)?.tiebreak ?? []).filter(c => present.has(c));
    const order = [TIME_COLUMN, ...tiebreak].map(c => `${kqlIdentifier(c)} asc`);
    return lines(
        kqlIdentifier(schema.name),
        ...windowFilter(window),
        `| project ${columns.join(", ")}`,
        `| order by ${order.join(", ")}`,
    );
}

/**
 * No row, only the table's columns as the workspace has them: the service answers an empty result with its
 * columns (names and types, in the table's order), and a table the workspace lacks with a SemanticError.
 */
export function schemaProbeQuery(table: string | TableSchema): string {
    return `${kqlIdentifier(resolveTable(table).name)}\n| take 0`;
}

/** Row counts per time bin, oldest first: used to plan export windows under the service's limits. */
export function countByBinQuery(table: string | TableSchema, window: QueryWindow | undefined, bin: BinSize): string {
    const schema = resolveTable(table);
    if (bin !== "1h" && bin !== "1d") throw new RangeError(`unsupported bin size ${JSON.stringify(bin)}: use 1h or 1d`);
    return lines(
        kqlIdentifier(schema.name),
        ...windowFilter(window),
        `| summarize Rows = count() by ${TIME_COLUMN} = bin(${TIME_COLUMN}, ${bin})`,
        `| order by ${TIME_COLUMN} asc`,
    );
}

/**
 * Rows per UTC day (of TimeGenerated) in `window` that were ingested at or after `ingestedSince`: how the export finds
 * rows that arrived after it had read their time. ingestion_time() is when the record was ingested and ready for
 * query (learn.microsoft.com/kusto/query/ingestion-time-function); it is used right on the table's rows, where it
 * is defined.
 */
export function lateRowsByDayQuery(table: string | TableSchema, window: TimeWindow, ingestedSince: Date): string {
    const schema = resolveTable(table);
    return lines(
        kqlIdentifier(schema.name),
        ...windowFilter(window),
        `| where ingestion_time() >= ${kqlDatetime(ingestedSince)}`,
        `| summarize Rows = count() by ${TIME_COLUMN} = bin(${TIME_COLUMN}, 1d)`,
        `| order by ${TIME_COLUMN} asc`,
    );
}

/**
 * Aggregates per day or hour (TimeGenerated is the start of the bin) or over the whole window ("none": then
 * TimeGenerated is the first time a group was seen in the window and LastSeen the last, so an incremental
 * refresh partition still has a datetime column within its range).
 */
export function aggregateQuery(table: string | TableSchema, grain: AggregateGrain, window?: QueryWindow): string {
    const schema = resolveTable(table);
    const spec = companionTable(schema.name)?.aggregate;
    if (!spec) throw new RangeError(`no aggregate is defined for ${schema.name}`);
    let measures = spec.measures;
    let keys = spec.keys;
    switch (grain) {
        case "day":
            keys = [`${TIME_COLUMN} = bin(${TIME_COLUMN}, 1d)`, ...keys];
            break;
        case "hour":
            keys = [`${TIME_COLUMN} = bin(${TIME_COLUMN}, 1h)`, ...keys];
            break;
        case "none":
            measures = [`${TIME_COLUMN} = min(${TIME_COLUMN})`, `LastSeen = max(${TIME_COLUMN})`, ...measures];
            break;
        default:
            throw new RangeError(`unsupported grain ${JSON.stringify(grain)}: use ${AGGREGATE_GRAINS.join(", ")}`);
    }
    return lines(
        kqlIdentifier(schema.name),
        ...windowFilter(window),
        `| summarize ${measures.join(", ")} by ${keys.join(", ")}`,
    );
}
