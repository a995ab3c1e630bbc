// A recursive-descent parser for the KQL subset the emulator evaluates. It knows the shape of the language, not the
// tables: names are resolved later by the planner.
import { STRING_OPS, type BinaryOp, type Expr, type NamedExpr, type Operator, type Query, type SortKey, type StringOp } from "./ast.ts";
import { tokenize, type Token } from "./lexer.ts";
import { parseClockTimespanMicros, parseDatetimeMicros } from "./literals.ts";
import { syntaxError, unsupported } from "./query-errors.ts";

const COMPARISONS = new Set(["==", "!=", "<>", "<", "<=", ">", ">=", "=~", "!~"]);
const STRING_OP_SET = new Set<string>(STRING_OPS);
const TABULAR_STARTERS = new Set(["let", "union", "print", "datatable", "range", "search", "find", "set", "declare", "externaldata", "materialize", "evaluate"]);

export function parseQuery(text: string): Query {
    return new Parser(text).query();
}

class Parser {
    private readonly tokens: Token[];
    private index = 0;

    constructor(private readonly text: string) {
        this.tokens = tokenize(text);
    }

    query(): Query {
        const first = this.peek();
        if (first.type !== "ident") throw this.unexpected(first, "a table name");
        if (!first.quoted && TABULAR_STARTERS.has(first.text.toLowerCase())) {
            throw unsupported(`'${first.text}' statements`, first.pos);
        }
        this.index++;
        const operators: Operator[] = [];
        const pipes: number[] = [];
        while (this.isPunct("|")) {
            pipes.push(this.peek().pos);
            this.index++;
            operators.push(this.operator());
        }
        if (this.isPunct(";") ) {
            this.index++;
            if (this.peek().type !== "eof") throw unsupported("queries with several statements", this.peek().pos);
        }
        const end = this.peek();
        if (end.type !== "eof") throw this.unexpected(end, "'|' or the end of the query");
        return { text: this.text, table: first.text, tablePos: first.pos, operators, pipes };
    }

    private operator(): Operator {
        const start = this.peek();
        if (start.type !== "ident") throw this.unexpected(start, "a query operator");
        this.index++;
        let name = start.text;
        // Operator names like project-away are several tokens written together.
        while (this.isPunct("-") && this.peek().pos === this.previousEnd()) {
            const next = this.tokens[this.index + 1];
            if (next.type !== "ident" || next.pos !== this.peek().end) break;
            name += "-" + next.text;
            this.index += 2;
        }
        const pos = start.pos;
        switch (name) {
            case "where":
            case "filter":
                return { kind: "where", predicate: this.expression(), pos };
            case "project":
                return { kind: "project", items: this.namedList(), pos };
            case "extend":
                return { kind: "extend", items: this.namedList(), pos };
            case "project-away":
                return { kind: "project-away", columns: this.nameList(), pos };
            case "project-rename": {
                const renames: { to: string; from: string; pos: number }[] = [];
                do {
                    const to = this.name();
                    this.expectPunct("=");
                    const from = this.name();
                    renames.push({ to: to.name, from: from.name, pos: from.pos });
                } while (this.acceptPunct(","));
                return { kind: "project-rename", renames, pos };
            }
            case "summarize": {
                const aggregates = this.isKeyword("by") ? [] : this.namedList();
                let by: NamedExpr[] = [];
                if (this.isKeyword("by")) {
                    this.index++;
                    by = this.namedList();
                }
                if (aggregates.length === 0 && by.length === 0) throw this.unexpected(this.peek(), "an aggregation or 'by'");
                return { kind: "summarize", aggregates, by, pos };
            }
            case "order":
            case "sort": {
                this.expectKeyword("by");
                const keys: SortKey[] = [];
                do keys.push(this.sortKey()); while (this.acceptPunct(","));
                return { kind: "sort", keys, pos };
            }
            case "take":
            case "limit":
                return { kind: "take", count: this.count(), pos };
            case "top": {
                const count = this.count();
                this.expectKeyword("by");
                return { kind: "top", count, key: this.sortKey(), pos };
            }
            case "count":
                return { kind: "count", pos };
            case "distinct":
                if (this.acceptPunct("*")) return { kind: "distinct", columns: "*", pos };
                return { kind: "distinct", columns: this.nameList(), pos };
            default:
                throw unsupported(`the '${name}' operator`, pos);
        }
    }

    private count(): bigint {
        const token = this.peek();
        if (token.type !== "long") throw this.unexpected(token, "a row count");
        this.index++;
        return token.value;
    }

    private sortKey(): SortKey {
        const expr = this.expression();
        let descending = true; // Kusto sorts descending unless told otherwise
        if (this.isKeyword("asc")) {
            descending = false;
            this.index++;
        } else if (this.isKeyword("desc")) {
            this.index++;
        }
        let nullsFirst = !descending;
        if (this.isKeyword("nulls")) {
            this.index++;
            if (this.isKeyword("first")) nullsFirst = true;
            else if (this.isKeyword("last")) nullsFirst = false;
            else throw this.unexpected(this.peek(), "'first' or 'last'");
            this.index++;
        }
        return { expr, descending, nullsFirst };
    }

    private namedList(): NamedExpr[] {
        const items: NamedExpr[] = [];
        do {
            const token = this.peek();
            const next = this.tokens[this.index + 1];
            if (token.type === "ident" && next.type === "punct" && next.text === "=") {
                this.index += 2;
                const start = this.peek().pos;
                const expr = this.expression();
                items.push({ name: token.text, expr, text: this.text.slice(start, this.previousEnd()) });
            } else if (token.type === "punct" && token.text === "(") {
                throw unsupported("tuple assignments like (a, b) = ...", token.pos);
            } else {
                const expr = this.expression();
                items.push({ name: undefined, expr, text: this.text.slice(token.pos, this.previousEnd()) });
            }
        } while (this.acceptPunct(","));
        return items;
    }

    private nameList(): { name: string; pos: number }[] {
        const names: { name: string; pos: number }[] = [];
        do names.push(this.name()); while (this.acceptPunct(","));
        return names;
    }

    private name(): { name: string; pos: number } {
        const token = this.peek();
        if (token.type !== "ident") throw this.unexpected(token, "a column name");
        this.index++;
        if (this.isPunct("*") && this.peek().pos === token.end) throw unsupported("column wildcards", token.pos);
        return { name: token.text, pos: token.pos };
    }

    expression(): Expr {
        return this.orExpr();
    }

    private orExpr(): Expr {
        return this.leftAssociative(["or"], () => this.andExpr());
    }

    private andExpr(): Expr {
        return this.leftAssociative(["and"], () => this.comparison());
    }

    private comparison(): Expr {
        const left = this.additive();
        const token = this.peek();
        if (token.type === "punct" && COMPARISONS.has(token.text)) {
            this.index++;
            const op = (token.text === "<>" ? "!=" : token.text) as BinaryOp;
            return { kind: "binary", op, left, right: this.additive(), pos: token.pos };
        }
        if (token.type === "ident" && !token.quoted) {
            const word = token.text;
            if (STRING_OP_SET.has(word)) {
                this.index++;
                return { kind: "binary", op: word as StringOp, left, right: this.additive(), pos: token.pos };
            }
            if (word === "in" || word === "!in" || word === "in~" || word === "!in~") {
                this.index++;
                this.expectPunct("(");
                const list: Expr[] = [];
                if (!this.isPunct(")")) {
                    do list.push(this.additive()); while (this.acceptPunct(","));
                }
                this.expectPunct(")");
                return { kind: "in", negated: word.startsWith("!"), caseInsensitive: word.endsWith("~"), operand: left, list, pos: token.pos };
            }
            if (/^!?(between|matches|has_any|has_all|hasprefix|hassuffix|has_cs|hasprefix_cs|hassuffix_cs|like|contains_any)$/i.test(word)
                || word === "matches") {
                throw unsupported(`the '${word}' operator`, token.pos);
            }
        }
        return left;
    }

    private additive(): Expr {
        return this.leftAssociative(["+", "-"], () => this.multiplicative());
    }

    private multiplicative(): Expr {
        return this.leftAssociative(["*", "/", "%"], () => this.unary());
    }

    /** `operand (op operand)*` grouped from the left, for one precedence level's word or punctuation operators. */
    private leftAssociative(ops: readonly BinaryOp[], operand: () => Expr): Expr {
        let left = operand();
        for (;;) {
            const token = this.peek();
            const mayBeOperator = token.type === "punct" || (token.type === "ident" && !token.quoted);
            const op = mayBeOperator ? ops.find(candidate => candidate === token.text) : undefined;
            if (op === undefined) return left;
            this.index++;
            left = { kind: "binary", op, left, right: operand(), pos: token.pos };
        }
    }

    private unary(): Expr {
        const token = this.peek();
        if (token.type === "punct" && token.text === "-") {
            this.index++;
            const operand = this.unary();
            if (operand.kind === "long") return { ...operand, value: -operand.value, pos: token.pos };
            if (operand.kind === "real") return { ...operand, value: -operand.value, pos: token.pos };
            if (operand.kind === "timespan") return { ...operand, micros: -operand.micros, pos: token.pos };
            return { kind: "negate", operand, pos: token.pos };
        }
        if (token.type === "punct" && token.text === "+") {
            this.index++;
            return this.unary();
        }
        return this.postfix(this.primary());
    }

    private postfix(expr: Expr): Expr {
        const token = this.peek();
        if (token.type === "punct" && (token.text === "." || token.text === "[")) {
            throw unsupported("member access on dynamic values (x.y or x[i])", token.pos);
        }
        return expr;
    }

    private primary(): Expr {
        const token = this.peek();
        switch (token.type) {
            case "string":
                this.index++;
                return { kind: "string", value: token.value, pos: token.pos };
            case "long":
                this.index++;
                return { kind: "long", value: token.value, pos: token.pos };
            case "real":
                this.index++;
                return { kind: "real", value: token.value, pos: token.pos };
            case "timespan":
                this.index++;
                return { kind: "timespan", micros: token.micros, pos: token.pos };
            case "literal":
                this.index++;
                return this.literal(token.name, token.raw, token.pos);
            case "punct":
                if (token.text === "(") {
                    this.index++;
                    const inner = this.expression();
                    this.expectPunct(")");
                    return inner;
                }
                throw this.unexpected(token, "an expression");
            case "ident": {
                this.index++;
                if (!token.quoted && (token.text === "true" || token.text === "false")) {
                    return { kind: "bool", value: token.text === "true", pos: token.pos };
                }
                if (!token.quoted && this.isPunct("(")) {
                    this.index++;
                    const args: Expr[] = [];
                    if (!this.isPunct(")")) {
                        do args.push(this.expression()); while (this.acceptPunct(","));
                    }
                    this.expectPunct(")");
                    return { kind: "call", name: token.text, args, pos: token.pos };
                }
                return { kind: "column", name: token.text, pos: token.pos };
            }
            default:
                throw this.unexpected(token, "an expression");
        }
    }

    private literal(name: string, raw: string, pos: number): Expr {
        const unquoted = /^(['"]).*\1$/s.test(raw) ? raw.slice(1, -1) : raw;
        if (name === "datetime") {
            if (unquoted === "null") throw unsupported("null datetime literals", pos);
            const micros = parseDatetimeMicros(unquoted);
            if (micros === undefined) throw syntaxError(`'${raw}' is not a valid datetime literal.`, pos, `datetime(${raw})`);
            return { kind: "datetime", micros, pos };
        }
        if (name === "time" || name === "timespan") {
            const clock = parseClockTimespanMicros(unquoted);
            if (clock !== undefined) return { kind: "timespan", micros: clock, pos };
            const tokens = tokenize(unquoted);
            const single = tokens[0];
            if (tokens.length === 2 && single.type === "timespan") return { kind: "timespan", micros: single.micros, pos };
            if (tokens.length === 2 && single.type === "long") return { kind: "timespan", micros: single.value * 86_400_000_000n, pos };
            throw syntaxError(`'${raw}' is not a valid timespan literal.`, pos, `${name}(${raw})`);
        }
        throw unsupported(`${name}(...) literals`, pos);
    }

    private peek(): Token {
        return this.tokens[this.index];
    }

    private previousEnd(): number {
        return this.index === 0 ? 0 : this.tokens[this.index - 1].end;
    }

    private isPunct(text: string): boolean {
        const token = this.peek();
        return token.type === "punct" && token.text === text;
    }

    private acceptPunct(text: string): boolean {
        if (!this.isPunct(text)) return false;
        this.index++;
        return true;
    }

    private expectPunct(text: string): void {
        if (!this.acceptPunct(text)) throw this.unexpected(this.peek(), `'${text}'`);
    }

    private isKeyword(word: string): boolean {
        const token = this.peek();
        return token.type === "ident" && !token.quoted && token.text === word;
    }

    private expectKeyword(word: string): void {
        if (!this.isKeyword(word)) throw this.unexpected(this.peek(), `'${word}'`);
        this.index++;
    }

    private unexpected(token: Token, expected: string) {
        const shown = token.type === "eof" ? "<end of query>" : this.text.slice(token.pos, token.end);
        return syntaxError(`Query could not be parsed at '${shown}': expected ${expected}.`, token.pos, shown);
    }
}
