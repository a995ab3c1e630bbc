// What happens to one query once the request is authenticated: check it with the Kusto language service, plan it
// for DuckDB, run it under the limits, and encode the answer body.
import type { TableSchema } from "../../schema.ts";
import { analyzeKql, type KqlDiagnostic } from "../kusto/analyze.ts";
import type { Engine } from "./engine.ts";
import { kustoColumns, kustoNameOf } from "./kusto-schema.ts";
import { parseQuery } from "./parser.ts";
import { planQuery, type OutputColumn, type PlanContext, type QueryPlan } from "./planner.ts";
import { QueryError, semanticError, syntaxError, unsupported } from "./query-errors.ts";
import { partialError, queryRejected, type ServiceError } from "./service-errors.ts";
import type { TimeRange } from "./timespan.ts";

export interface QueryLimits {
    readonly rowLimit: number;
    readonly sizeLimitBytes: number;
}

export interface QueryRequest {
    readonly query: string;
    readonly range: TimeRange | undefined;
    readonly nowMicros: bigint;
    readonly includeStatistics: boolean;
    readonly signal?: AbortSignal;
}

export type QueryOutcome =
    | { readonly ok: true; readonly body: string; readonly rowCount: number; readonly partial: boolean }
    | { readonly ok: false; readonly error: ServiceError };

/** Kusto.Language numbers its syntax diagnostics below KS100 and its binding (semantic) ones from KS100. */
function diagnosticToError(query: string, d: KqlDiagnostic): QueryError {
    const number = Number(/^KS(\d+)$/.exec(d.code)?.[1] ?? "999");
    const token = query.slice(d.start, d.start + Math.max(d.length, 1)) || "<end of query>";
    if (number < 100) return syntaxError(`Query could not be parsed at '${token}': ${d.message}`, d.start, token);
    const name = /^The name '(.+)' does not refer to any known (column|table)/.exec(d.message);
    if (name) {
        const kind = name[2] === "table" ? "table or column" : "scalar";
        return semanticError(`Failed to resolve ${kind} expression named '${name[1]}'`, d.start);
    }
    return semanticError(d.message, d.start);
}

/** The last safety net: a column Kusto would name or type differently is refused, never answered. */
export function checkAgainstKusto(planned: readonly OutputColumn[], bound: readonly { name: string; type: string }[] | undefined): void {
    if (!bound) return;
    if (bound.length !== planned.length) {
        throw unsupported(`this query's shape (Kusto returns ${bound.length} columns, the emulator's translation ${planned.length})`, 0);
    }
    planned.forEach((column, i) => {
        if (column.name !== bound[i].name || column.type !== bound[i].type) {
            throw unsupported(`this query's column ${i + 1} as Kusto does (Kusto: ${bound[i].name} of type ${bound[i].type}; `
                + `the emulator: ${column.name} of type ${column.type})`, 0);
        }
    });
}

/** Reads and translates a query that the Kusto language service accepts, naming and typing columns as Kusto. */
export function planKql(query: string, context: Omit<PlanContext, "nameOf">): QueryPlan {
    const plan = planQuery(parseQuery(query), { ...context, nameOf: kustoNameOf(context.tables) });
    checkAgainstKusto(plan.columns, kustoColumns(query, context.tables));
    return plan;
}

export async function runQuery(engine: Engine, tables: readonly TableSchema[], limits: QueryLimits, request: QueryRequest): Promise<QueryOutcome> {
    const started = process.hrtime.bigint();
    const diagnostics = analyzeKql(request.query, tables);
    if (diagnostics.length > 0) return { ok: false, error: queryRejected(request.query, diagnosticToError(request.query, diagnostics[0])) };
    let plan;
    try {
        // One row past the limit tells a result that fits from one that was cut.
        plan = planKql(request.query, { tables, range: request.range, nowMicros: request.nowMicros, limit: limits.rowLimit + 1 });
    } catch (error) {
        if (error instanceof QueryError) return { ok: false, error: queryRejected(request.query, error) };
        throw error;
    }
    const result = await engine.execute(plan, limits, request.signal);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const table = `{"name":"PrimaryResult","columns":${JSON.stringify(result.columns)},"rows":[${result.rows.join(",")}]}`;
    let body = `{"tables":[${table}]`;
    if (request.includeStatistics) {
        body += `,"statistics":${JSON.stringify({
            query: {
                executionTime: seconds,
                resourceUsage: { cache: { memory: { hits: 0, misses: 0, total: 0 } }, cpu: { "query execution threads": 2 } },
                datasetStatistics: [{ tableRowCount: result.rows.length, tableSize: result.bytes }],
            },
        })}`;
    }
    if (result.truncated) {
        const limit = result.truncated === "rows" ? limits.rowLimit : limits.sizeLimitBytes;
        body += `,"error":${JSON.stringify(partialError(result.truncated, limit))}`;
    }
    body += "}";
    return { ok: true, body, rowCount: result.rows.length, partial: result.truncated !== false };
}
