// A small DAX evaluator for the tests: it computes the generated model's measures, as their TMDL writes them, over
// tables held in memory, so that a test can compare the report's figures with figures computed another way.
//
// It knows exactly the part of DAX the generated measures use and throws on anything else, so that a new measure
// cannot pass unevaluated. The semantics follow Microsoft's DAX reference (learn.microsoft.com/dax):
// - filters flow from the one side of a relationship to its many side (single cross-filter direction, the
//   default of a many-to-one relationship); a fact row whose key has no match belongs to the dimension's blank row
//   and is kept only while the dimension is not filtered;
// - CALCULATE turns the row context into filters (context transition) that replace the filters on those columns,
//   then applies its filter arguments: a boolean filter replaces the filters on its one column, KEEPFILTERS
//   intersects with them, ALLSELECTED() restores the filters outside the visual (the query's own groupings go);
// - a measure reference is an implicit CALCULATE;
// - SUM, DISTINCTCOUNT, COUNTROWS, SUMX and MAXX over no rows return BLANK; DISTINCTCOUNT counts BLANK as a value;
//   DIVIDE returns BLANK for a zero or blank denominator; BLANK is 0 in arithmetic and comparisons, and BLANK + BLANK
//   is BLANK;
// - ISFILTERED(T) is true when a column of T is filtered directly; ISCROSSFILTERED(T) also when a filter reaches T
//   through relationships.

export type DaxValue = string | number | boolean | null;

export interface DaxTable {
    readonly name: string;
    readonly columns: readonly string[];
    readonly rows: readonly Readonly<Record<string, DaxValue>>[];
}

export interface DaxRelationship {
    /** The many side. */
    readonly fromTable: string;
    readonly fromColumn: string;
    /** The one side. */
    readonly toTable: string;
    readonly toColumn: string;
}

export interface DaxMeasure {
    readonly table: string;
    readonly name: string;
    readonly expression: string;
}

export interface DaxModel {
    readonly tables: readonly DaxTable[];
    readonly relationships: readonly DaxRelationship[];
    readonly measures: readonly DaxMeasure[];
}

/** A column filter: the values a column may take. */
export interface ColumnFilter {
    readonly table: string;
    readonly column: string;
    readonly values: readonly DaxValue[];
}

// ---------------------------------------------------------------------------------------------------------------
// Tokens and syntax

type Token =
    | { kind: "number"; value: number }
    | { kind: "string"; value: string }
    | { kind: "table"; value: string }
    | { kind: "bracket"; value: string }
    | { kind: "name"; value: string }
    | { kind: "op"; value: string };

function tokenize(text: string): Token[] {
    const tokens: Token[] = [];
    let i = 0;
    const fail = (what: string): never => { throw new Error(`DAX: ${what} at offset ${i} of ${JSON.stringify(text)}`); };
    while (i < text.length) {
        const c = text[i] as string;
        if (/\s/.test(c)) { i++; continue; }
        if (text.startsWith("//", i) || text.startsWith("--", i)) {
            while (i < text.length && text[i] !== "\n") i++;
            continue;
        }
        if (c === "'" || c === "\"" || c === "[") {
            const close = c === "[" ? "]" : c;
            let value = "";
            i++;
            for (;;) {
                if (i >= text.length) fail(`unterminated ${c}`);
                if (text[i] === close) {
                    if (close !== "]" && text[i + 1] === close) { value += close; i += 2; continue; }
                    if (close === "]" && text[i + 1] === "]") { value += "]"; i += 2; continue; }
                    i++;
                    break;
                }
                value += text[i];
                i++;
            }
            tokens.push({ kind: c === "'" ? "table" : c === "\"" ? "string" : "bracket", value });
            continue;
        }
        const number = /^\d+(\.\d+)?/.exec(text.slice(i));
        if (number) { tokens.push({ kind: "number", value: Number(number[0]) }); i += number[0].length; continue; }
        const name = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i));
        if (name) { tokens.push({ kind: "name", value: name[0] }); i += name[0].length; continue; }
        const op = /^(<>|<=|>=|&&|\|\||[=<>+\-*/&(),])/.exec(text.slice(i));
        if (op) { tokens.push({ kind: "op", value: op[0] }); i += op[0].length; continue; }
        fail(`unexpected character ${JSON.stringify(c)}`);
    }
    return tokens;
}

export type DaxNode =
    | { kind: "number"; value: number }
    | { kind: "string"; value: string }
    | { kind: "column"; table: string; column: string }
    | { kind: "tableRef"; table: string }
    | { kind: "measureRef"; name: string }
    | { kind: "variable"; name: string }
    | { kind: "call"; name: string; args: DaxNode[] }
    | { kind: "unary"; op: string; operand: DaxNode }
    | { kind: "binary"; op: string; left: DaxNode; right: DaxNode }
    | { kind: "let"; variables: { name: string; value: DaxNode }[]; body: DaxNode };

const BINARY_LEVELS: readonly (readonly string[])[] = [["||"], ["&&"], ["=", "<>", "<", ">", "<=", ">="], ["&"], ["+", "-"], ["*", "/"]];

export function parseDax(text: string): DaxNode {
    const tokens = tokenize(text);
    let at = 0;
    const peek = (): Token | undefined => tokens[at];
    const fail = (what: string): never => {
        const token = tokens[at];
        throw new Error(`DAX: ${what} at token ${at} (${token ? JSON.stringify(token.value) : "end"}) of ${JSON.stringify(text)}`);
    };
    const isOp = (value: string): boolean => { const t = peek(); return t?.kind === "op" && t.value === value; };
    const isName = (value: string): boolean => { const t = peek(); return t?.kind === "name" && t.value.toUpperCase() === value; };
    const expectOp = (value: string): void => { if (!isOp(value)) fail(`expected ${value}`); at++; };

    function expression(): DaxNode {
        if (isName("VAR")) return variables();
        if (isName("NOT") && tokens[at + 1]?.kind !== "op") {
            at++;
            return { kind: "unary", op: "NOT", operand: binary(2) };
        }
        return binary(0);
    }

    function variables(): DaxNode {
        const list: { name: string; value: DaxNode }[] = [];
        while (isName("VAR")) {
            at++;
            const name = peek();
            if (name?.kind !== "name") return fail("expected a variable name");
            at++;
            expectOp("=");
            list.push({ name: name.value, value: expression() });
        }
        if (!isName("RETURN")) fail("expected RETURN");
        at++;
        return { kind: "let", variables: list, body: expression() };
    }

    function binary(level: number): DaxNode {
        if (level >= BINARY_LEVELS.length) return unary();
        if (level === 2 && isName("NOT") && tokens[at + 1]?.kind !== "op") {
            at++;
            return { kind: "unary", op: "NOT", operand: binary(2) };
        }
        let left = binary(level + 1);
        for (;;) {
            const t = peek();
            if (t?.kind !== "op" || !(BINARY_LEVELS[level] as readonly string[]).includes(t.value)) return left;
            at++;
            left = { kind: "binary", op: t.value, left, right: binary(level + 1) };
        }
    }

    function unary(): DaxNode {
        if (isOp("-")) { at++; return { kind: "unary", op: "-", operand: unary() }; }
        if (isOp("+")) { at++; return unary(); }
        return primary();
    }

    function primary(): DaxNode {
        const t = peek();
        if (t === undefined) return fail("unexpected end");
        at++;
        switch (t.kind) {
            case "number": return { kind: "number", value: t.value };
            case "string": return { kind: "string", value: t.value };
            case "bracket": return { kind: "measureRef", name: t.value };
            case "table": {
                const next = peek();
                if (next?.kind === "bracket") { at++; return { kind: "column", table: t.value, column: next.value }; }
                return { kind: "tableRef", table: t.value };
            }
            case "op":
                if (t.value === "(") { const inner = expression(); expectOp(")"); return inner; }
                return fail(`unexpected ${t.value}`);
            case "name": {
                if (isOp("(")) {
                    at++;
                    const args: DaxNode[] = [];
                    if (!isOp(")")) {
                        for (;;) {
                            args.push(expression());
                            if (isOp(",")) { at++; continue; }
                            break;
                        }
                    }
                    expectOp(")");
                    return { kind: "call", name: t.value.toUpperCase(), args };
                }
                const next = peek();
                if (next?.kind === "bracket") { at++; return { kind: "column", table: t.value, column: next.value }; }
                return { kind: "variable", name: t.value };
            }
        }
    }

    const result = expression();
    if (at !== tokens.length) fail("unexpected text after the expression");
    return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation

/** A table value: named columns ("Table[Column]") and rows of values. */
interface TableValue {
    readonly columns: readonly string[];
    readonly rows: readonly (readonly DaxValue[])[];
}

type Value = DaxValue | TableValue;

const columnKey = (table: string, column: string): string => `${table}[${column}]`;

/** Filters by column key; `null` for "no filter" is never stored. */
type Filters = ReadonlyMap<string, ReadonlySet<DaxValue>>;

interface Context {
    readonly filters: Filters;
    /** The filters outside the visual's own groupings, for ALLSELECTED(). */
    readonly selected: Filters;
    /** The current row context: values by column key. */
    readonly row: ReadonlyMap<string, DaxValue>;
    readonly variables: ReadonlyMap<string, Value>;
}

function isTable(value: Value): value is TableValue {
    return value !== null && typeof value === "object";
}

function scalar(value: Value, what: string): DaxValue {
    if (isTable(value)) throw new Error(`DAX: ${what} gave a table where a value was expected`);
    return value;
}

function toNumber(value: DaxValue): number {
    if (value === null) return 0;
    if (typeof value === "number") return value;
    if (typeof value === "boolean") return value ? 1 : 0;
    throw new Error(`DAX: cannot use the text ${JSON.stringify(value)} as a number`);
}

function truthy(value: DaxValue): boolean {
    if (value === null) return false;
    if (typeof value === "boolean") return value;
    if (typeof value === "number") return value !== 0;
    throw new Error(`DAX: cannot use the text ${JSON.stringify(value)} as a condition`);
}

function compare(op: string, left: DaxValue, right: DaxValue): boolean {
    // BLANK takes the other side's type: 0, "" or FALSE.
    const blankOf = (other: DaxValue): DaxValue => (typeof other === "string" ? "" : typeof other === "boolean" ? false : 0);
    const l = left === null ? blankOf(right) : left;
    const r = right === null ? blankOf(left) : right;
    if (typeof l !== typeof r) throw new Error(`DAX: cannot compare ${JSON.stringify(left)} with ${JSON.stringify(right)}`);
    const a = typeof l === "string" ? l.toLowerCase() : l;
    const b = typeof r === "string" ? r.toLowerCase() : r;
    switch (op) {
        case "=": return a === b;
        case "<>": return a !== b;
        case "<": return (a as number) < (b as number);
        case ">": return (a as number) > (b as number);
        case "<=": return (a as number) <= (b as number);
        case ">=": return (a as number) >= (b as number);
        default: throw new Error(`DAX: unknown comparison ${op}`);
    }
}

export class DaxEvaluator {
    private readonly tables = new Map<string, DaxTable>();
    private readonly measures = new Map<string, { measure: DaxMeasure; node: DaxNode }>();
    private readonly visibleCache = new Map<string, readonly Readonly<Record<string, DaxValue>>[]>();

    constructor(private readonly model: DaxModel) {
        for (const table of model.tables) this.tables.set(table.name, table);
        for (const measure of model.measures) {
            if (this.measures.has(measure.name)) throw new Error(`DAX: two measures named ${measure.name}`);
            this.measures.set(measure.name, { measure, node: parseDax(measure.expression) });
        }
        for (const r of model.relationships) {
            this.column(r.fromTable, r.fromColumn);
            this.column(r.toTable, r.toColumn);
        }
    }

    /** A measure's value with the given filters, all of them outside the visual (a card, or the report's slicers). */
    measure(name: string, filters: readonly ColumnFilter[] = []): DaxValue {
        const map = this.filterMap(filters);
        return this.evaluateMeasure(name, { filters: map, selected: map, row: new Map(), variables: new Map() });
    }

    /**
     * A visual's query as Power BI sends it (SUMMARIZECOLUMNS): one row per combination of the grouping columns'
     * values that exists in their table under the outer filters, each measure evaluated with that combination
     * added as filters; rows whose measures are all BLANK are left out.
     */
    query(groupBy: readonly { table: string; column: string }[], measures: readonly string[], outer: readonly ColumnFilter[] = []): { keys: DaxValue[]; values: DaxValue[] }[] {
        const selected = this.filterMap(outer);
        const tables = new Set(groupBy.map(g => g.table));
        if (tables.size > 1) throw new Error("DAX: the evaluator groups by columns of one table only");
        const [table] = [...tables];
        const combos = new Map<string, DaxValue[]>();
        if (table !== undefined) {
            for (const row of this.visibleRows(table, selected)) {
                const keys = groupBy.map(g => row[this.column(g.table, g.column)] ?? null);
                combos.set(JSON.stringify(keys), keys);
            }
        } else {
            combos.set("[]", []);
        }
        const result: { keys: DaxValue[]; values: DaxValue[] }[] = [];
        for (const keys of combos.values()) {
            const filters = new Map(selected);
            groupBy.forEach((g, i) => filters.set(columnKey(g.table, g.column), new Set([keys[i] ?? null])));
            const values = measures.map(m => this.evaluateMeasure(m, { filters, selected, row: new Map(), variables: new Map() }));
            if (values.some(v => v !== null)) result.push({ keys, values });
        }
        return result;
    }

    private filterMap(filters: readonly ColumnFilter[]): Map<string, ReadonlySet<DaxValue>> {
        const map = new Map<string, ReadonlySet<DaxValue>>();
        for (const f of filters) {
            this.column(f.table, f.column);
            const key = columnKey(f.table, f.column);
            const values = new Set(f.values);
            const existing = map.get(key);
            map.set(key, existing ? new Set([...existing].filter(v => values.has(v))) : values);
        }
        return map;
    }

    private table(name: string): DaxTable {
        const table = this.tables.get(name);
        if (!table) throw new Error(`DAX: no table ${JSON.stringify(name)} in the model`);
        return table;
    }

    /** The column's name as the table spells it (DAX names are case-insensitive). */
    private column(tableName: string, column: string): string {
        const table = this.table(tableName);
        const found = table.columns.find(c => c.toLowerCase() === column.toLowerCase());
        if (found === undefined) throw new Error(`DAX: no column ${columnKey(tableName, column)} in the model`);
        return found;
    }

    private evaluateMeasure(name: string, context: Context): DaxValue {
        const entry = [...this.measures.values()].find(m => m.measure.name.toLowerCase() === name.toLowerCase());
        if (!entry) throw new Error(`DAX: no measure [${name}] in the model`);
        // A measure is evaluated in a CALCULATE: the row context becomes filters, and variables do not reach in.
        const filters = this.transition(context);
        return scalar(this.evaluate(entry.node, { ...context, filters, row: new Map(), variables: new Map() }), `[${name}]`);
    }

    /** Context transition: every column of the row context filters to its value, replacing other filters on it. */
    private transition(context: Context): Map<string, ReadonlySet<DaxValue>> {
        const filters = new Map(context.filters);
        for (const [key, value] of context.row) filters.set(key, new Set([value]));
        return filters;
    }

    /** Whether a filter reaches a table: on its own columns, or on a table it relates to (many side to one side). */
    private isCrossFiltered(table: string, filters: Filters, seen = new Set<string>()): boolean {
        if (this.isFiltered(table, filters)) return true;
        seen.add(table);
        return this.model.relationships.some(r => r.fromTable === table && !seen.has(r.toTable) && this.isCrossFiltered(r.toTable, filters, seen));
    }

    private isFiltered(table: string, filters: Filters): boolean {
        const prefix = `${table}[`;
        return [...filters.keys()].some(k => k.startsWith(prefix));
    }

    private visibleRows(tableName: string, filters: Filters): readonly Readonly<Record<string, DaxValue>>[] {
        const cacheKey = `${tableName}\u0000${JSON.stringify([...filters].map(([k, v]) => [k, [...v]]).sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)))}`;
        const cached = this.visibleCache.get(cacheKey);
        if (cached) return cached;
        const table = this.table(tableName);
        const own: [string, ReadonlySet<DaxValue>][] = [];
        for (const [key, values] of filters) {
            if (key.startsWith(`${tableName}[`)) own.push([this.column(tableName, key.slice(tableName.length + 1, -1)), values]);
        }
        const related: [string, ReadonlySet<DaxValue>][] = [];
        for (const r of this.model.relationships) {
            if (r.fromTable !== tableName || !this.isCrossFiltered(r.toTable, filters)) continue;
            const keys = new Set(this.visibleRows(r.toTable, filters).map(row => row[r.toColumn] ?? null));
            related.push([r.fromColumn, keys]);
        }
        const rows = table.rows.filter(row => own.every(([c, values]) => values.has(row[c] ?? null))
            && related.every(([c, keys]) => { const v = row[c] ?? null; return v !== null && keys.has(v); }));
        this.visibleCache.set(cacheKey, rows);
        return rows;
    }

    private columnValues(node: DaxNode, context: Context, what: string): DaxValue[] {
        if (node.kind !== "column") throw new Error(`DAX: ${what} takes a column`);
        const column = this.column(node.table, node.column);
        return this.visibleRows(node.table, context.filters).map(row => row[column] ?? null);
    }

    private tableArgument(node: DaxNode | undefined, context: Context, what: string): TableValue {
        if (node === undefined) throw new Error(`DAX: ${what} needs a table`);
        const value = this.evaluate(node, context);
        if (!isTable(value)) throw new Error(`DAX: ${what} needs a table`);
        return value;
    }

    private iterate(node: DaxNode, args: DaxNode[], context: Context): DaxValue[] {
        if (args.length !== 2) throw new Error(`DAX: ${node.kind === "call" ? node.name : ""} takes a table and an expression`);
        const table = this.tableArgument(args[0], context, "an iterator");
        return table.rows.map(values => {
            const row = new Map(context.row);
            table.columns.forEach((c, i) => row.set(c, values[i] ?? null));
            return scalar(this.evaluate(args[1] as DaxNode, { ...context, row }), "an iterator's expression");
        });
    }

    private calculate(args: DaxNode[], context: Context): Value {
        const [expression, ...modifiers] = args;
        if (expression === undefined) throw new Error("DAX: CALCULATE needs an expression");
        let filters = this.transition(context);
        const inner: Context = { ...context, row: new Map() };
        for (const modifier of modifiers) {
            if (modifier.kind === "call" && modifier.name === "ALLSELECTED") {
                if (modifier.args.length !== 0) throw new Error("DAX: the evaluator knows ALLSELECTED() without arguments only");
                filters = new Map(context.selected);
                continue;
            }
            if (modifier.kind === "call" && modifier.name === "TREATAS") {
                // TREATAS(<one-column table>, T[c]): the table's values, evaluated in CALCULATE's outer context, filter T[c].
                const [values, target] = modifier.args;
                if (modifier.args.length !== 2 || target?.kind !== "column") throw new Error("DAX: the evaluator knows TREATAS(<one-column table>, <column>) only");
                const table = this.tableArgument(values, context, "TREATAS");
                if (table.columns.length !== 1) throw new Error("DAX: the evaluator knows TREATAS over a one-column table only");
                filters.set(columnKey(target.table, this.column(target.table, target.column)), new Set(table.rows.map(r => r[0] ?? null)));
                continue;
            }
            if (modifier.kind === "call" && modifier.name !== "KEEPFILTERS") {
                throw new Error(`DAX: the evaluator does not know ${modifier.name}() as a CALCULATE filter: teach it before a measure uses it`);
            }
            const keep = modifier.kind === "call";
            const predicate = keep ? (modifier as { args: DaxNode[] }).args[0] : modifier;
            if (keep && (modifier as { args: DaxNode[] }).args.length !== 1) throw new Error("DAX: KEEPFILTERS takes one filter");
            const [key, allowed] = this.booleanFilter(predicate as DaxNode, inner);
            const existing = filters.get(key);
            filters.set(key, keep && existing ? new Set([...existing].filter(v => allowed.has(v))) : allowed);
        }
        return this.evaluate(expression, { ...inner, filters });
    }

    /** A boolean filter argument: a predicate over one column, applied to every value of that column in its table. */
    private booleanFilter(predicate: DaxNode, context: Context): [string, Set<DaxValue>] {
        const columns = new Set<string>();
        const walk = (node: DaxNode): void => {
            if (node.kind === "column") columns.add(columnKey(node.table, this.column(node.table, node.column)));
            else if (node.kind === "measureRef" || node.kind === "tableRef") throw new Error("DAX: a filter argument of the evaluator compares one column with values");
            else if (node.kind === "call") node.args.forEach(walk);
            else if (node.kind === "unary") walk(node.operand);
            else if (node.kind === "binary") { walk(node.left); walk(node.right); }
            else if (node.kind === "let") throw new Error("DAX: VAR in a filter argument is not known to the evaluator");
        };
        walk(predicate);
        if (columns.size !== 1) throw new Error(`DAX: a filter argument must name exactly one column, it names ${columns.size}`);
        const [key] = [...columns] as [string];
        const match = /^(.*)\[(.*)\]$/.exec(key) as RegExpExecArray;
        const table = this.table(match[1] as string);
        const all = new Set(table.rows.map(row => row[match[2] as string] ?? null));
        const allowed = new Set<DaxValue>();
        for (const value of all) {
            const row = new Map(context.row);
            row.set(key, value);
            if (truthy(scalar(this.evaluate(predicate, { ...context, row }), "a filter"))) allowed.add(value);
        }
        return [key, allowed];
    }

    private evaluate(node: DaxNode, context: Context): Value {
        switch (node.kind) {
            case "number": return node.value;
            case "string": return node.value;
            case "measureRef": return this.evaluateMeasure(node.name, context);
            case "variable": {
                const upper = node.name.toUpperCase();
                if (upper === "TRUE" || upper === "FALSE") throw new Error("DAX: write TRUE() or FALSE()");
                const value = context.variables.get(node.name);
                if (value === undefined) throw new Error(`DAX: unknown name ${node.name}`);
                return value;
            }
            case "column": {
                const key = columnKey(node.table, this.column(node.table, node.column));
                if (!context.row.has(key)) throw new Error(`DAX: ${key} is used outside a row context that has it`);
                return context.row.get(key) ?? null;
            }
            case "tableRef": {
                const table = this.table(node.table);
                return {
                    columns: table.columns.map(c => columnKey(table.name, c)),
                    rows: this.visibleRows(table.name, context.filters).map(row => table.columns.map(c => row[c] ?? null)),
                };
            }
            case "let": {
                const variables = new Map(context.variables);
                for (const v of node.variables) variables.set(v.name, this.evaluate(v.value, { ...context, variables }));
                return this.evaluate(node.body, { ...context, variables });
            }
            case "unary": {
                const value = scalar(this.evaluate(node.operand, context), node.op);
                if (node.op === "NOT") return !truthy(value);
                if (node.op === "-") return value === null ? null : -toNumber(value);
                throw new Error(`DAX: unknown operator ${node.op}`);
            }
            case "binary": {
                const left = scalar(this.evaluate(node.left, context), node.op);
                const right = scalar(this.evaluate(node.right, context), node.op);
                switch (node.op) {
                    case "+": case "-": case "*": {
                        if (left === null && right === null) return null;
                        const a = toNumber(left), b = toNumber(right);
                        return node.op === "+" ? a + b : node.op === "-" ? a - b : a * b;
                    }
                    case "/": {
                        const b = toNumber(right);
                        if (b === 0) throw new Error("DAX: division by zero (use DIVIDE)");
                        return toNumber(left) / b;
                    }
                    case "&&": return truthy(left) && truthy(right);
                    case "||": return truthy(left) || truthy(right);
                    case "&": throw new Error("DAX: text concatenation is not known to the evaluator");
                    default: return compare(node.op, left, right);
                }
            }
            case "call": return this.call(node, context);
        }
    }

    private call(node: Extract<DaxNode, { kind: "call" }>, context: Context): Value {
        const { args } = node;
        const arity = (n: number): void => {
            if (args.length !== n) throw new Error(`DAX: ${node.name} takes ${n} argument${n === 1 ? "" : "s"}, has ${args.length}`);
        };
        const value = (i: number): DaxValue => scalar(this.evaluate(args[i] as DaxNode, context), node.name);
        const tableName = (i: number): string => {
            const arg = args[i];
            if (arg?.kind !== "tableRef") throw new Error(`DAX: ${node.name} takes a table name`);
            this.table(arg.table);
            return arg.table;
        };
        switch (node.name) {
            case "IF": {
                if (args.length !== 2 && args.length !== 3) throw new Error("DAX: IF takes 2 or 3 arguments");
                if (truthy(value(0))) return value(1);
                return args.length === 3 ? value(2) : null;
            }
            case "NOT": arity(1); return !truthy(value(0));
            case "ISBLANK": arity(1); return value(0) === null;
            case "ISFILTERED": arity(1); return this.isFiltered(tableName(0), context.filters);
            case "ISCROSSFILTERED": arity(1); return this.isCrossFiltered(tableName(0), context.filters);
            case "DIVIDE": {
                if (args.length !== 2) throw new Error("DAX: the evaluator knows DIVIDE with 2 arguments");
                const numerator = value(0), denominator = value(1);
                if (denominator === null || toNumber(denominator) === 0) return null;
                return numerator === null ? null : toNumber(numerator) / toNumber(denominator);
            }
            case "SUM": {
                arity(1);
                const values = this.columnValues(args[0] as DaxNode, context, "SUM").filter(v => v !== null);
                return values.length === 0 ? null : values.reduce<number>((s, v) => s + toNumber(v), 0);
            }
            case "DISTINCTCOUNT": {
                arity(1);
                const values = this.columnValues(args[0] as DaxNode, context, "DISTINCTCOUNT");
                return values.length === 0 ? null : new Set(values.map(v => (typeof v === "string" ? v.toLowerCase() : v))).size;
            }
            case "COUNTROWS": {
                arity(1);
                const rows = this.tableArgument(args[0], context, "COUNTROWS").rows.length;
                return rows === 0 ? null : rows;
            }
            case "VALUES": {
                arity(1);
                const arg = args[0] as DaxNode;
                if (arg.kind !== "column") throw new Error("DAX: the evaluator knows VALUES of a column only");
                const key = columnKey(arg.table, this.column(arg.table, arg.column));
                const distinct = new Map<string, DaxValue>();
                for (const v of this.columnValues(arg, context, "VALUES")) distinct.set(JSON.stringify(v), v);
                return { columns: [key], rows: [...distinct.values()].map(v => [v]) };
            }
            case "SUMMARIZE": {
                const table = tableName(0);
                const groups = args.slice(1).map(a => {
                    if (a.kind !== "column" || a.table !== table) throw new Error("DAX: the evaluator knows SUMMARIZE by columns of its own table only");
                    return this.column(a.table, a.column);
                });
                const distinct = new Map<string, DaxValue[]>();
                for (const row of this.visibleRows(table, context.filters)) {
                    const keys = groups.map(g => row[g] ?? null);
                    distinct.set(JSON.stringify(keys), keys);
                }
                return { columns: groups.map(g => columnKey(table, g)), rows: [...distinct.values()] };
            }
            case "SUMX": {
                const values = this.iterate(node, args, context).filter(v => v !== null);
                return values.length === 0 ? null : values.reduce<number>((s, v) => s + toNumber(v), 0);
            }
            case "MAXX": {
                const values = this.iterate(node, args, context).filter(v => v !== null);
                return values.length === 0 ? null : Math.max(...values.map(toNumber));
            }
            case "CALCULATE": return this.calculate(args, context);
            default: throw new Error(`DAX: the evaluator does not know ${node.name}(): teach it before a measure uses it`);
        }
    }
}
