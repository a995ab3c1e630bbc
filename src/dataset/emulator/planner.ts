// Translates a parsed KQL query into one DuckDB SQL statement plus the Log Analytics types of its output columns:
// each tabular operator becomes a CTE over the one before; its expressions are translated by expressions.ts.
// User text reaches SQL only as bound parameters ($n) or as identifiers checked against the known columns and quoted.
import type { LogAnalyticsType, TableSchema } from "../../schema.ts";
import type { NamedExpr, Operator, Query, SortKey } from "./ast.ts";
import { ExpressionTranslator, micros, quoteIdent } from "./expressions.ts";
import { semanticError } from "./query-errors.ts";

export interface OutputColumn {
    readonly name: string;
    readonly type: LogAnalyticsType;
}

export interface QueryPlan {
    readonly sql: string;
    readonly params: string[];
    readonly columns: OutputColumn[];
}

export interface PlanContext {
    readonly tables: readonly TableSchema[];
    /** The request's timespan, applied to TimeGenerated (both ends inclusive). */
    readonly range?: { readonly startMicros: bigint; readonly endMicros: bigint };
    /** now() for this query, fixed once per query as Kusto does. */
    readonly nowMicros: bigint;
    /** Rows to return at most (the planner adds LIMIT limit). */
    readonly limit: number;
    /**
     * The name Kusto gives an unnamed expression: `form` says where it stands (a projected or extended column, an
     * aggregate, a summarize key), `prefix` is the query before the operator. Without it, simple defaults apply.
     */
    readonly nameOf?: (prefix: string, form: NamingForm, itemText: string) => string | undefined;
}

export type NamingForm = "column" | "aggregate" | "key";

const ORDER = "__shadowit_order";

export function planQuery(query: Query, context: PlanContext): QueryPlan {
    return new Planner(context).plan(query);
}

class Planner {
    private readonly params: string[] = [];
    private readonly ctes: string[] = [];
    private columns: OutputColumn[] = [];
    private ordered = false;
    /** Whether the current rows are the table's own, carrying their hidden ingestion time. */
    private tableRows = true;
    private operatorName = "";
    private prefix = "";

    private readonly expressions: ExpressionTranslator;

    constructor(private readonly context: PlanContext) {
        this.expressions = new ExpressionTranslator({
            column: (name, pos) => this.column(name, pos),
            param: value => this.param(value),
            tableRows: () => this.tableRows,
            nowMicros: context.nowMicros,
        });
    }

    plan(query: Query): QueryPlan {
        const table = this.context.tables.find(t => t.name === query.table);
        if (!table) {
            throw semanticError(`Failed to resolve table or column expression named '${query.table}'`, query.tablePos);
        }
        this.columns = table.columns.map(c => ({ name: c.name, type: c.type }));
        let base = `SELECT * FROM ${quoteIdent(table.name)}`;
        const range = this.context.range;
        if (range && table.columns.some(c => c.name === "TimeGenerated")) {
            base += ` WHERE "TimeGenerated" >= ${micros(range.startMicros)} AND "TimeGenerated" <= ${micros(range.endMicros)}`;
        }
        this.ctes.push(base);
        query.operators.forEach((op, i) => {
            this.prefix = query.text.slice(0, query.pipes[i]);
            this.operator(op);
            // Rows keep their ingestion time only while they are the table's own rows: filtered, sorted or cut.
            if (op.kind !== "where" && op.kind !== "sort" && op.kind !== "take" && op.kind !== "top") this.tableRows = false;
        });
        const names = this.columns.map(c => quoteIdent(c.name)).join(", ");
        const last = `s${this.ctes.length - 1}`;
        const order = this.ordered ? ` ORDER BY ${quoteIdent(ORDER)}` : "";
        const withClause = this.ctes.map((sql, i) => `s${i} AS (${sql})`).join(",\n");
        const sql = `WITH ${withClause}\nSELECT ${names} FROM ${last}${order} LIMIT ${Math.max(0, Math.floor(this.context.limit))}`;
        return { sql, params: this.params, columns: this.columns };
    }

    private get previous(): string {
        return `s${this.ctes.length - 1}`;
    }

    private carriedOrder(): string {
        return this.ordered ? `, ${quoteIdent(ORDER)}` : "";
    }

    private operator(op: Operator): void {
        this.operatorName = op.kind;
        switch (op.kind) {
            case "where": {
                const predicate = this.expressions.expr(op.predicate);
                if (predicate.type !== "bool") {
                    throw semanticError(`'where' operator: the predicate must be a bool, not ${predicate.type}.`, op.pos);
                }
                this.ctes.push(`SELECT * FROM ${this.previous} WHERE ${predicate.sql}`);
                return;
            }
            case "project":
                this.project(op.items, false);
                return;
            case "extend":
                this.project(op.items, true);
                return;
            case "project-away": {
                const away = new Set<string>();
                for (const c of op.columns) {
                    this.column(c.name, c.pos);
                    away.add(c.name);
                }
                const kept = this.columns.filter(c => !away.has(c.name));
                this.select(kept.map(c => ({ sql: quoteIdent(c.name), column: c })));
                return;
            }
            case "project-rename": {
                const renamed = new Map<string, string>();
                for (const r of op.renames) {
                    this.column(r.from, r.pos);
                    renamed.set(r.from, r.to);
                }
                const next = this.columns.map(c => ({
                    sql: quoteIdent(c.name),
                    column: { name: renamed.get(c.name) ?? c.name, type: c.type },
                }));
                this.select(next);
                return;
            }
            case "summarize":
                this.summarize(op.aggregates, op.by);
                return;
            case "sort":
                this.sort(op.keys);
                return;
            case "take":
                this.ctes.push(`SELECT * FROM ${this.previous}${this.ordered ? ` ORDER BY ${quoteIdent(ORDER)}` : ""} LIMIT ${op.count.toString()}`);
                return;
            case "top":
                this.sort([op.key]);
                this.ctes.push(`SELECT * FROM ${this.previous} ORDER BY ${quoteIdent(ORDER)} LIMIT ${op.count.toString()}`);
                return;
            case "count":
                this.ctes.push(`SELECT COUNT(*)::BIGINT AS "Count" FROM ${this.previous}`);
                this.columns = [{ name: "Count", type: "long" }];
                this.ordered = false;
                return;
            case "distinct": {
                const chosen = op.columns === "*" ? this.columns : op.columns.map(c => this.column(c.name, c.pos));
                const list = chosen.map(c => quoteIdent(c.name)).join(", ");
                this.ctes.push(`SELECT DISTINCT ${list} FROM ${this.previous}`);
                this.columns = chosen.map(c => ({ ...c }));
                this.ordered = false;
                return;
            }
        }
    }

    /** Replaces the stage's columns with the given expressions, keeping the row order. */
    private select(items: { sql: string; column: OutputColumn }[]): void {
        const list = items.map(i => `${i.sql} AS ${quoteIdent(i.column.name)}`).join(", ");
        this.ctes.push(`SELECT ${list}${this.carriedOrder()} FROM ${this.previous}`);
        this.columns = items.map(i => i.column);
    }

    private project(items: readonly NamedExpr[], extend: boolean): void {
        const output: { sql: string; column: OutputColumn }[] = extend
            ? this.columns.map(c => ({ sql: quoteIdent(c.name), column: c }))
            : [];
        let generated = 0;
        for (const item of items) {
            const typed = this.expressions.expr(item.expr);
            let name = item.name;
            if (name === undefined) {
                if (item.expr.kind === "column") name = item.expr.name;
                else name = this.kustoName("column", item.text);
                // Kusto numbers the columns it cannot name (Column1, Column2, ...) across the whole list.
                if (name === undefined || /^Column\d+$/.test(name)) {
                    do name = `Column${++generated}`; while (output.some(o => o.column.name === name));
                }
            }
            const column = { name, type: typed.type };
            const existing = output.findIndex(o => o.column.name === name);
            if (existing >= 0 && extend) output[existing] = { sql: typed.sql, column };
            else if (existing >= 0) throw semanticError(`'project' operator: the column '${name}' is named twice.`, item.expr.pos);
            else output.push({ sql: typed.sql, column });
        }
        this.select(output);
    }

    private summarize(aggregates: readonly NamedExpr[], by: readonly NamedExpr[]): void {
        const keys: { sql: string; column: OutputColumn }[] = [];
        const used = new Set<string>();
        const unique = (name: string): string => {
            let candidate = name;
            for (let n = 1; used.has(candidate); n++) candidate = `${name}${n}`;
            used.add(candidate);
            return candidate;
        };
        let generated = 0;
        for (const key of by) {
            const typed = this.expressions.expr(key.expr);
            if (typed.type === "dynamic") {
                throw semanticError("'summarize' operator: a dynamic value cannot be a group key; use tostring().", key.expr.pos);
            }
            const name = unique(key.name ?? this.kustoName("key", key.text) ?? typed.sourceColumn ?? `Column${++generated}`);
            keys.push({ sql: typed.sql, column: { name, type: typed.type } });
        }
        const aggs: { sql: string; column: OutputColumn }[] = [];
        for (const agg of aggregates) {
            const typed = this.expressions.aggregate(agg.expr);
            const name = agg.name ?? this.kustoName("aggregate", agg.text) ?? typed.sourceColumn ?? "Column1";
            aggs.push({ sql: typed.sql, column: { name: unique(name), type: typed.type } });
        }
        const list = [...keys, ...aggs].map(i => `${i.sql} AS ${quoteIdent(i.column.name)}`).join(", ");
        const group = keys.length > 0 ? ` GROUP BY ${keys.map((_, i) => String(i + 1)).join(", ")}` : "";
        this.ctes.push(`SELECT ${list} FROM ${this.previous}${group}`);
        this.columns = [...keys, ...aggs].map(i => i.column);
        this.ordered = false;
    }

    private sort(keys: readonly SortKey[]): void {
        const order = keys.map(k => {
            const typed = this.expressions.expr(k.expr);
            if (typed.type === "dynamic") throw semanticError("'order by': dynamic values cannot be sorted; use tostring().", k.expr.pos);
            return `${typed.sql} ${k.descending ? "DESC" : "ASC"} NULLS ${k.nullsFirst ? "FIRST" : "LAST"}`;
        });
        // Ties keep their earlier order, so a sort after a sort is stable like Kusto's.
        if (this.ordered) order.push(quoteIdent(ORDER));
        const keep = this.columns.map(c => quoteIdent(c.name)).join(", ");
        this.ctes.push(`SELECT ${keep}, row_number() OVER (ORDER BY ${order.join(", ")}) AS ${quoteIdent(ORDER)} FROM ${this.previous}`);
        this.ordered = true;
    }

    private kustoName(form: NamingForm, itemText: string): string | undefined {
        return this.context.nameOf?.(this.prefix, form, itemText);
    }

    private column(name: string, pos: number): OutputColumn {
        const column = this.columns.find(c => c.name === name);
        if (!column) {
            throw semanticError(`'${this.operatorName}' operator: Failed to resolve scalar expression named '${name}'`, pos);
        }
        return column;
    }

    private param(value: string): string {
        this.params.push(value);
        return `$${this.params.length}::VARCHAR`;
    }
}
