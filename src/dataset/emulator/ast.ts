// The syntax tree of the KQL subset the emulator evaluates. Positions are character offsets into the query text.

export type Expr =
    | { readonly kind: "column"; readonly name: string; readonly pos: number }
    | { readonly kind: "string"; readonly value: string; readonly pos: number }
    | { readonly kind: "long"; readonly value: bigint; readonly pos: number }
    | { readonly kind: "real"; readonly value: number; readonly pos: number }
    | { readonly kind: "bool"; readonly value: boolean; readonly pos: number }
    /** datetime(...) literal, in microseconds since the Unix epoch. */
    | { readonly kind: "datetime"; readonly micros: bigint; readonly pos: number }
    /** 1d, 2h, 30m, 10s, 100ms, time(...) literal, in microseconds. */
    | { readonly kind: "timespan"; readonly micros: bigint; readonly pos: number }
    | { readonly kind: "call"; readonly name: string; readonly args: readonly Expr[]; readonly pos: number }
    | { readonly kind: "negate"; readonly operand: Expr; readonly pos: number }
    | { readonly kind: "binary"; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly pos: number }
    | {
        readonly kind: "in"; readonly negated: boolean; readonly caseInsensitive: boolean;
        readonly operand: Expr; readonly list: readonly Expr[]; readonly pos: number;
    };

export type BinaryOp =
    | "and" | "or"
    | "==" | "!=" | "<" | "<=" | ">" | ">=" | "=~" | "!~"
    | "+" | "-" | "*" | "/" | "%"
    | StringOp;

export const STRING_OPS = [
    "has", "!has", "has_cs", "!has_cs",
    "contains", "!contains", "contains_cs", "!contains_cs",
    "startswith", "!startswith", "startswith_cs", "!startswith_cs",
    "endswith", "!endswith", "endswith_cs", "!endswith_cs",
] as const;
export type StringOp = typeof STRING_OPS[number];

export interface NamedExpr {
    /** The name given with `name = expr`, or undefined to let Kusto's naming rules decide. */
    readonly name: string | undefined;
    readonly expr: Expr;
    /** The expression's source text, to ask Kusto the name it would give. */
    readonly text: string;
}

export interface SortKey {
    readonly expr: Expr;
    readonly descending: boolean;
    readonly nullsFirst: boolean;
}

export type Operator =
    | { readonly kind: "where"; readonly predicate: Expr; readonly pos: number }
    | { readonly kind: "project"; readonly items: readonly NamedExpr[]; readonly pos: number }
    | { readonly kind: "project-away"; readonly columns: readonly { name: string; pos: number }[]; readonly pos: number }
    | { readonly kind: "project-rename"; readonly renames: readonly { to: string; from: string; pos: number }[]; readonly pos: number }
    | { readonly kind: "extend"; readonly items: readonly NamedExpr[]; readonly pos: number }
    | { readonly kind: "summarize"; readonly aggregates: readonly NamedExpr[]; readonly by: readonly NamedExpr[]; readonly pos: number }
    | { readonly kind: "sort"; readonly keys: readonly SortKey[]; readonly pos: number }
    | { readonly kind: "take"; readonly count: bigint; readonly pos: number }
    | { readonly kind: "top"; readonly count: bigint; readonly key: SortKey; readonly pos: number }
    | { readonly kind: "count"; readonly pos: number }
    | { readonly kind: "distinct"; readonly columns: readonly { name: string; pos: number }[] | "*"; readonly pos: number };

export interface Query {
    readonly text: string;
    readonly table: string;
    readonly tablePos: number;
    readonly operators: readonly Operator[];
    /** Offset of the '|' before each operator: text.slice(0, pipes[i]) is the query before operator i. */
    readonly pipes: readonly number[];
}
