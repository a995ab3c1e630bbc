// Translates KQL scalar expressions and the aggregations of `summarize` into DuckDB SQL, each with its Log
// Analytics type. User text reaches SQL only as bound parameters (through the scope) or as identifiers checked
// against the known columns and quoted; numbers come from the parser as bigint/finite numbers and are written out here.
import type { LogAnalyticsType } from "../../schema.ts";
import type { BinaryOp, Expr } from "./ast.ts";
import type { OutputColumn } from "./planner.ts";
import { semanticError, unsupported } from "./query-errors.ts";

/**
 * The hidden column holding each row's ingestion time, read by KQL's ingestion_time(). As documented for the
 * IngestionTime policy (learn.microsoft.com/kusto/management/ingestion-time-policy): a hidden datetime column,
 * "$IngestionTime", that every record gets when it is ingested and that only ingestion_time() reads; Log
 * Analytics tables have it (learn.microsoft.com/kusto/query/ingestion-time-function lists Azure Monitor). Here a
 * row's ingestion time is the emulator clock's time when the row was appended.
 */
export const INGESTION_TIME_COLUMN = "$IngestionTime";

/** Kusto's datetime ticks start at 0001-01-01; bin() of a datetime counts from there. */
const KUSTO_EPOCH_MICROS = -62_135_596_800_000_000n;

export interface Typed {
    readonly sql: string;
    readonly type: LogAnalyticsType;
    /** The column an expression is a simple function of, for Kusto's default column names. */
    readonly sourceColumn?: string;
}

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;
export const micros = (value: bigint): string => `make_timestamp(${value.toString()}::BIGINT)`;
const isNumeric = (t: LogAnalyticsType): boolean => t === "int" || t === "long" || t === "real" || t === "decimal";
const isStringLike = (t: LogAnalyticsType): boolean => t === "string" || t === "dynamic" || t === "guid";

/** What an expression sees of the query around it. */
export interface ExpressionScope {
    /** The column of the current rows named `name`; a semantic error naming the operator otherwise. */
    column(name: string, pos: number): OutputColumn;
    /** Binds a string value and returns the SQL that reads it. */
    param(value: string): string;
    /** Whether the current rows are the table's own, carrying their hidden ingestion time. */
    tableRows(): boolean;
    /** now() for this query, fixed once per query as Kusto does. */
    readonly nowMicros: bigint;
}

export class ExpressionTranslator {
    constructor(private readonly scope: ExpressionScope) {}

    /** An aggregation of `summarize` (count(), sum(x), ...): a semantic error for anything else. */
    aggregate(expr: Expr): Typed {
        if (expr.kind !== "call") {
            throw semanticError("'summarize' operator: each aggregation must be an aggregation function like count() or sum(x).", expr.pos);
        }
        const args = expr.args;
        const arity = (n: number): void => {
            if (args.length !== n) throw semanticError(`${expr.name}(): expects ${n} argument${n === 1 ? "" : "s"}.`, expr.pos);
        };
        const single = (): Typed => {
            arity(1);
            return this.expr(args[0]);
        };
        const defaultName = (arg: Expr | undefined): string => `${expr.name}_${arg?.kind === "column" ? arg.name : ""}`;
        switch (expr.name) {
            case "count":
                if (args.length > 1) arity(0);
                if (args.length === 1) {
                    const value = this.expr(args[0]);
                    return { sql: `COUNT(${value.sql})::BIGINT`, type: "long", sourceColumn: "count_" };
                }
                return { sql: "COUNT(*)::BIGINT", type: "long", sourceColumn: "count_" };
            case "countif": {
                const predicate = single();
                if (predicate.type !== "bool") throw semanticError("countif(): the predicate must be a bool.", expr.pos);
                return { sql: `(COUNT(*) FILTER (WHERE ${predicate.sql}))::BIGINT`, type: "long", sourceColumn: "countif_" };
            }
            case "sum": {
                const value = single();
                if (!isNumeric(value.type) && value.type !== "timespan") throw semanticError(`sum(): expects a number, not ${value.type}.`, expr.pos);
                const type = value.type === "real" ? "real" : value.type === "timespan" ? "timespan" : "long";
                const cast = type === "real" ? "DOUBLE" : "BIGINT";
                return { sql: `SUM(${value.sql})::${cast}`, type, sourceColumn: defaultName(args[0]) };
            }
            case "avg": {
                const value = single();
                if (!isNumeric(value.type)) throw semanticError(`avg(): expects a number, not ${value.type}.`, expr.pos);
                return { sql: `AVG(${value.sql})::DOUBLE`, type: "real", sourceColumn: defaultName(args[0]) };
            }
            case "min":
            case "max": {
                const value = single();
                if (value.type === "dynamic" || value.type === "bool") throw semanticError(`${expr.name}(): cannot compare ${value.type} values.`, expr.pos);
                return { sql: `${expr.name.toUpperCase()}(${value.sql})`, type: value.type, sourceColumn: defaultName(args[0]) };
            }
            case "dcount": {
                // Kusto's dcount() is an estimate (HyperLogLog); the emulator counts exactly, so its accuracy
                // level (a second argument) changes nothing here.
                if (args.length !== 2 || args[1].kind !== "long") arity(1);
                const value = this.expr(args[0]);
                return { sql: `COUNT(DISTINCT ${value.sql})::BIGINT`, type: "long", sourceColumn: defaultName(args[0]) };
            }
            default:
                if (SCALAR_FUNCTIONS.has(expr.name)) {
                    throw semanticError(`'summarize' operator: ${expr.name}() is not an aggregation function.`, expr.pos);
                }
                throw unsupported(`the aggregation function ${expr.name}()`, expr.pos);
        }
    }

    expr(e: Expr): Typed {
        switch (e.kind) {
            case "column": {
                const column = this.scope.column(e.name, e.pos);
                return { sql: quoteIdent(column.name), type: column.type, sourceColumn: column.name };
            }
            case "string":
                return { sql: this.scope.param(e.value), type: "string" };
            case "long":
                return { sql: `(${e.value.toString()})::BIGINT`, type: "long" };
            case "real":
                if (!Number.isFinite(e.value)) throw semanticError(`The number ${e.value} is out of range.`, e.pos);
                return { sql: `(${e.value.toString()})::DOUBLE`, type: "real" };
            case "bool":
                return { sql: e.value ? "TRUE" : "FALSE", type: "bool" };
            case "datetime":
                return { sql: micros(e.micros), type: "datetime" };
            case "timespan":
                return { sql: `(${e.micros.toString()})::BIGINT`, type: "timespan" };
            case "negate": {
                const operand = this.expr(e.operand);
                if (!isNumeric(operand.type) && operand.type !== "timespan") throw semanticError(`Cannot negate a ${operand.type} value.`, e.pos);
                if (operand.type === "int") return { sql: `(-(${operand.sql})::BIGINT)`, type: "long" };
                return { sql: `(-${operand.sql})`, type: operand.type };
            }
            case "in":
                return this.inList(e);
            case "binary":
                return this.binary(e.op, e.left, e.right, e.pos);
            case "call":
                return this.call(e.name, e.args, e.pos);
        }
    }

    private inList(e: Extract<Expr, { kind: "in" }>): Typed {
        const operand = this.expr(e.operand);
        if (e.list.length === 0) return { sql: e.negated ? "TRUE" : "FALSE", type: "bool" };
        const items = e.list.map(item => this.expr(item));
        for (const item of items) this.checkComparable(operand, item, e.pos);
        const lower = (t: Typed): string => (e.caseInsensitive ? `lower(${t.sql})` : t.sql);
        const sql = `${lower(operand)} ${e.negated ? "NOT IN" : "IN"} (${items.map(lower).join(", ")})`;
        // Kusto: a null operand is not in any list, and !in gives true for it.
        return { sql: e.negated ? `(${operand.sql} IS NULL OR ${sql})` : `(${sql})`, type: "bool" };
    }

    private checkComparable(a: Typed, b: Typed, pos: number): void {
        const same = a.type === b.type || (isNumeric(a.type) && isNumeric(b.type)) || (isStringLike(a.type) && b.type === "string" && a.type !== "dynamic");
        if (!same) throw semanticError(`Cannot compare values of types ${a.type} and ${b.type}. Try adding explicit casts.`, pos);
    }

    private binary(op: BinaryOp, leftExpr: Expr, rightExpr: Expr, pos: number): Typed {
        const left = this.expr(leftExpr);
        const right = this.expr(rightExpr);
        switch (op) {
            case "and":
            case "or":
                if (left.type !== "bool" || right.type !== "bool") throw semanticError(`'${op}' expects bool operands.`, pos);
                return { sql: `(${left.sql} ${op.toUpperCase()} ${right.sql})`, type: "bool" };
            case "==":
            case "!=":
            case "<":
            case "<=":
            case ">":
            case ">=": {
                this.checkComparable(left, right, pos);
                const sqlOp = op === "==" ? "=" : op === "!=" ? "<>" : op;
                return { sql: `(${left.sql} ${sqlOp} ${right.sql})`, type: "bool" };
            }
            case "=~":
            case "!~":
                if (!isStringLike(left.type) || !isStringLike(right.type)) throw semanticError(`'${op}' compares strings.`, pos);
                return { sql: `(lower(${left.sql}) ${op === "=~" ? "=" : "<>"} lower(${right.sql}))`, type: "bool" };
            case "+":
            case "-":
            case "*":
            case "/":
            case "%":
                return this.arithmetic(op, left, right, pos);
            default:
                return this.stringOperator(op, left, right, pos);
        }
    }

    private arithmetic(op: "+" | "-" | "*" | "/" | "%", left: Typed, right: Typed, pos: number): Typed {
        if (left.type === "datetime" && right.type === "timespan" && (op === "+" || op === "-")) {
            return { sql: `(${left.sql} ${op} to_microseconds(${right.sql}))`, type: "datetime" };
        }
        if (left.type === "timespan" && right.type === "datetime" && op === "+") {
            return { sql: `(${right.sql} + to_microseconds(${left.sql}))`, type: "datetime" };
        }
        if (left.type === "datetime" && right.type === "datetime" && op === "-") {
            return { sql: `(epoch_us(${left.sql}) - epoch_us(${right.sql}))`, type: "timespan" };
        }
        if (left.type === "timespan" && right.type === "timespan" && (op === "+" || op === "-")) {
            return { sql: `(${left.sql} ${op} ${right.sql})`, type: "timespan" };
        }
        if (left.type === "timespan" && right.type === "timespan" && op === "/") {
            return { sql: `(${left.sql}::DOUBLE / ${right.sql}::DOUBLE)`, type: "real" };
        }
        if (left.type === "timespan" && isNumeric(right.type) && (op === "*" || op === "/")) {
            return { sql: `CAST(trunc(${left.sql}::DOUBLE ${op} ${right.sql}::DOUBLE) AS BIGINT)`, type: "timespan" };
        }
        if (!isNumeric(left.type) || !isNumeric(right.type)) {
            throw semanticError(`The operator '${op}' cannot be applied to ${left.type} and ${right.type}.`, pos);
        }
        // Kusto computes integer arithmetic in long, even int with int.
        const type: LogAnalyticsType = left.type === "real" || right.type === "real" ? "real" : "long";
        if (type === "real") return { sql: `(${left.sql}::DOUBLE ${op} ${right.sql}::DOUBLE)`, type };
        const cast = "BIGINT";
        if (op === "/") {
            // Kusto divides integers by truncating toward zero; division by zero gives null here.
            return { sql: `CAST(trunc(${left.sql}::DOUBLE / NULLIF(${right.sql}, 0)::DOUBLE) AS ${cast})`, type };
        }
        if (op === "%") return { sql: `(${left.sql} % NULLIF(${right.sql}, 0))::${cast}`, type };
        return { sql: `(${left.sql}::BIGINT ${op} ${right.sql}::BIGINT)::${cast}`, type };
    }

    private stringOperator(op: string, left: Typed, right: Typed, pos: number): Typed {
        if (!isStringLike(left.type) && !isNumeric(left.type)) throw semanticError(`'${op}' applies to strings, not ${left.type}.`, pos);
        if (!isStringLike(right.type)) throw semanticError(`'${op}' expects a string on its right.`, pos);
        const negated = op.startsWith("!");
        const base = op.replace(/^!/, "");
        const caseSensitive = base.endsWith("_cs");
        const name = base.replace(/_cs$/, "");
        const text = (t: Typed): string => {
            const asText = isNumeric(t.type) ? `CAST(${t.sql} AS VARCHAR)` : t.sql;
            return caseSensitive ? asText : `lower(${asText})`;
        };
        let sql: string;
        if (name === "contains") sql = `contains(${text(left)}, ${text(right)})`;
        else if (name === "startswith") sql = `starts_with(${text(left)}, ${text(right)})`;
        else if (name === "endswith") sql = `ends_with(${text(left)}, ${text(right)})`;
        else {
            // has: the right side is a whole term of the left; terms are runs of ASCII letters and digits.
            const term = `regexp_replace(${text(right)}, '([\\\\.^$|?*+()\\[\\]{}])', '\\\\\\1', 'g')`;
            sql = `(${text(right)} = '' OR regexp_matches(${text(left)}, '(^|[^A-Za-z0-9])' || ${term} || '($|[^A-Za-z0-9])'))`;
        }
        sql = `COALESCE(${sql}, FALSE)`;
        return { sql: negated ? `(NOT ${sql})` : sql, type: "bool" };
    }

    private call(name: string, args: readonly Expr[], pos: number): Typed {
        const arity = (min: number, max = min): void => {
            if (args.length < min || args.length > max) {
                throw semanticError(`${name}(): expects ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? "" : "s"}, got ${args.length}.`, pos);
            }
        };
        const typedArgs = (): Typed[] => args.map(a => this.expr(a));
        switch (name) {
            case "ingestion_time": {
                // Documented (learn.microsoft.com/kusto/query/ingestion-time-function): the time the record was
                // ingested, only in the context of a table's rows; elsewhere (after project, summarize, ...) null.
                arity(0);
                return { sql: this.scope.tableRows() ? quoteIdent(INGESTION_TIME_COLUMN) : "NULL::TIMESTAMP", type: "datetime" };
            }
            case "now": {
                arity(0, 1);
                const offset = args.length === 1 ? this.expectTimespan(this.expr(args[0]), name, pos) : "0";
                return { sql: `(${micros(this.scope.nowMicros)} + to_microseconds(${offset}))`, type: "datetime" };
            }
            case "ago": {
                arity(1);
                const span = this.expectTimespan(this.expr(args[0]), name, pos);
                return { sql: `(${micros(this.scope.nowMicros)} - to_microseconds(${span}))`, type: "datetime" };
            }
            case "bin":
            case "floor": {
                arity(2);
                const [value, size] = typedArgs();
                return this.bin(value, size, undefined, pos);
            }
            case "bin_at": {
                arity(3);
                const [value, size, at] = typedArgs();
                return this.bin(value, size, at, pos);
            }
            case "startofday":
            case "startofmonth":
            case "startofyear": {
                arity(1);
                const [value] = typedArgs();
                if (value.type !== "datetime") throw semanticError(`${name}(): expects a datetime.`, pos);
                const unit = name === "startofday" ? "day" : name === "startofmonth" ? "month" : "year";
                return { sql: `date_trunc('${unit}', ${value.sql})::TIMESTAMP`, type: "datetime", sourceColumn: value.sourceColumn };
            }
            case "tostring": {
                arity(1);
                const [value] = typedArgs();
                return { sql: this.toStringSql(value), type: "string", sourceColumn: value.sourceColumn };
            }
            case "tolong":
            case "toint":
            case "todouble":
            case "toreal": {
                arity(1);
                const [value] = typedArgs();
                const type: LogAnalyticsType = name === "tolong" ? "long" : name === "toint" ? "int" : "real";
                const cast = type === "long" ? "BIGINT" : type === "int" ? "INTEGER" : "DOUBLE";
                let sql: string;
                if (value.type === "real" && type !== "real") sql = `TRY_CAST(trunc(${value.sql}) AS ${cast})`;
                else if (value.type === "datetime") sql = type === "real" ? `(epoch_us(${value.sql}) * 10 + 621355968000000000)::DOUBLE` : `TRY_CAST(epoch_us(${value.sql}) * 10 + 621355968000000000 AS ${cast})`;
                else if (value.type === "timespan") sql = `TRY_CAST(${value.sql} * 10 AS ${cast})`;
                else if (isStringLike(value.type) && type !== "real") sql = `TRY_CAST(trunc(TRY_CAST(trim(${value.sql}) AS DOUBLE)) AS ${cast})`;
                else sql = `TRY_CAST(${value.sql} AS ${cast})`;
                return { sql, type, sourceColumn: value.sourceColumn };
            }
            case "iff":
            case "iif": {
                arity(3);
                const [condition, whenTrue, whenFalse] = typedArgs();
                if (condition.type !== "bool") throw semanticError(`${name}(): the first argument must be a bool.`, pos);
                let type = whenTrue.type;
                if (whenTrue.type !== whenFalse.type) {
                    if (isNumeric(whenTrue.type) && isNumeric(whenFalse.type)) {
                        type = whenTrue.type === "real" || whenFalse.type === "real" ? "real" : "long";
                    } else {
                        throw semanticError(`${name}(): both branches must have the same type (got ${whenTrue.type} and ${whenFalse.type}).`, pos);
                    }
                }
                const cast = type === "real" ? "::DOUBLE" : type === "long" ? "::BIGINT" : "";
                return { sql: `(CASE WHEN ${condition.sql} THEN ${whenTrue.sql}${cast} ELSE ${whenFalse.sql}${cast} END)`, type };
            }
            case "strcat": {
                if (args.length === 0) arity(1, 64);
                const parts = typedArgs().map(a => `COALESCE(${this.toStringSql(a)}, '')`);
                return { sql: `concat(${parts.join(", ")})`, type: "string" };
            }
            case "tolower":
            case "toupper": {
                arity(1);
                const [value] = typedArgs();
                return { sql: `${name === "tolower" ? "lower" : "upper"}(${this.toStringSql(value)})`, type: "string", sourceColumn: value.sourceColumn };
            }
            case "strlen": {
                arity(1);
                const [value] = typedArgs();
                return { sql: `length(${this.toStringSql(value)})::BIGINT`, type: "long" };
            }
            case "isempty":
            case "isnotempty": {
                arity(1);
                const [value] = typedArgs();
                const empty = isStringLike(value.type) ? `(${value.sql} IS NULL OR ${value.sql} = '')` : `(${value.sql} IS NULL)`;
                return { sql: name === "isempty" ? empty : `(NOT ${empty})`, type: "bool" };
            }
            case "isnull":
            case "isnotnull": {
                arity(1);
                const [value] = typedArgs();
                // Kusto strings are never null: isnull("") is false.
                const isNull = value.type === "string" ? "FALSE" : `(${value.sql} IS NULL)`;
                return { sql: name === "isnull" ? isNull : `(NOT ${isNull})`, type: "bool" };
            }
            case "not": {
                arity(1);
                const [value] = typedArgs();
                if (value.type !== "bool") throw semanticError("not(): expects a bool.", pos);
                return { sql: `(NOT ${value.sql})`, type: "bool" };
            }
            case "array_length": {
                arity(1);
                const [value] = typedArgs();
                if (value.type !== "dynamic") throw semanticError("array_length(): expects a dynamic array.", pos);
                return { sql: `(CASE WHEN json_type(${value.sql}) = 'ARRAY' THEN json_array_length(${value.sql})::BIGINT END)`, type: "long" };
            }
            default:
                if (AGGREGATE_FUNCTIONS.has(name)) {
                    throw semanticError(`${name}(): an aggregation function can only be used in 'summarize'.`, pos);
                }
                throw unsupported(`the function ${name}()`, pos);
        }
    }

    private expectTimespan(value: Typed, name: string, pos: number): string {
        if (value.type !== "timespan") throw semanticError(`${name}(): expects a timespan like 1d or 2h, not ${value.type}.`, pos);
        return value.sql;
    }

    private bin(value: Typed, size: Typed, at: Typed | undefined, pos: number): Typed {
        if (value.type === "datetime") {
            if (size.type !== "timespan") throw semanticError("bin(): a datetime is binned by a timespan like 1d or 1h.", pos);
            if (at && at.type !== "datetime") throw semanticError("bin_at(): the fixed point of a datetime bin must be a datetime.", pos);
            const origin = at ? `epoch_us(${at.sql})` : `(${KUSTO_EPOCH_MICROS.toString()})::BIGINT`;
            const span = `NULLIF(${size.sql}, 0)`;
            const sql = `make_timestamp((floor((epoch_us(${value.sql}) - ${origin})::DOUBLE / ${span}::DOUBLE)::BIGINT * ${span} + ${origin})::BIGINT)`;
            return { sql, type: "datetime", sourceColumn: value.sourceColumn };
        }
        if (value.type === "timespan" && size.type === "timespan") {
            const span = `NULLIF(${size.sql}, 0)`;
            return { sql: `(floor(${value.sql}::DOUBLE / ${span}::DOUBLE)::BIGINT * ${span})`, type: "timespan", sourceColumn: value.sourceColumn };
        }
        if (isNumeric(value.type) && isNumeric(size.type)) {
            const origin = at ? at.sql : "0";
            if (at && !isNumeric(at.type)) throw semanticError("bin_at(): the fixed point must be a number.", pos);
            const type: LogAnalyticsType = value.type === "real" || size.type === "real" ? "real" : "long";
            const cast = type === "real" ? "DOUBLE" : "BIGINT";
            const sql = `CAST(floor((${value.sql} - ${origin})::DOUBLE / NULLIF(${size.sql}, 0)::DOUBLE) * ${size.sql} + ${origin} AS ${cast})`;
            return { sql, type, sourceColumn: value.sourceColumn };
        }
        throw semanticError(`bin(): cannot bin a ${value.type} by a ${size.type}.`, pos);
    }

    private toStringSql(value: Typed): string {
        switch (value.type) {
            case "string":
            case "dynamic":
            case "guid":
                return value.sql;
            case "datetime":
                // Kusto writes whole seconds without a fraction, otherwise seven fractional digits.
                return `(CASE WHEN epoch_us(${value.sql}) % 1000000 = 0 THEN strftime(${value.sql}, '%Y-%m-%dT%H:%M:%SZ') `
                    + `ELSE strftime(${value.sql}, '%Y-%m-%dT%H:%M:%S.%f') || '0Z' END)`;
            case "bool":
                return `(CASE WHEN ${value.sql} THEN 'true' WHEN NOT ${value.sql} THEN 'false' END)`;
            case "real":
                return `(CASE WHEN ${value.sql} = trunc(${value.sql}) AND abs(${value.sql}) < 1e15 THEN CAST(CAST(${value.sql} AS BIGINT) AS VARCHAR) ELSE CAST(${value.sql} AS VARCHAR) END)`;
            case "int":
            case "long":
            case "decimal":
                return `CAST(${value.sql} AS VARCHAR)`;
            case "timespan":
                throw unsupported("tostring() of a timespan", 0);
        }
    }
}

const SCALAR_FUNCTIONS = new Set(["ingestion_time", "now", "ago", "bin", "floor", "bin_at", "startofday", "startofmonth", "startofyear", "tostring",
    "tolong", "toint", "todouble", "toreal", "iff", "iif", "strcat", "tolower", "toupper", "strlen", "isempty", "isnotempty",
    "isnull", "isnotnull", "not", "array_length"]);
const AGGREGATE_FUNCTIONS = new Set(["count", "countif", "sum", "avg", "min", "max", "dcount", "dcountif", "sumif", "make_set",
    "make_list", "arg_max", "arg_min", "percentile", "percentiles", "stdev", "variance", "any", "take_any"]);
