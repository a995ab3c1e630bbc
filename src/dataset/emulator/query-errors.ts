// Errors found while reading or planning a query; the server turns them into 400 BadArgumentError bodies.

export type QueryErrorKind = "SyntaxError" | "SemanticError" | "Unsupported";

export class QueryError extends Error {
    constructor(readonly kind: QueryErrorKind, message: string, readonly pos: number, readonly token?: string) {
        super(message);
        this.name = "QueryError";
    }
}

export function syntaxError(message: string, pos: number, token?: string): QueryError {
    return new QueryError("SyntaxError", message, pos, token);
}

export function semanticError(message: string, pos: number): QueryError {
    return new QueryError("SemanticError", message, pos);
}

export function unsupported(what: string, pos: number): QueryError {
    return new QueryError(
        "Unsupported",
        `The local Log Analytics emulator does not evaluate ${what}. It answers the KQL subset the companion emits ` +
        "(where, project, project-away, project-rename, extend, summarize, order/sort by, take/limit, top, count, distinct); " +
        "run this query against a real workspace instead.",
        pos,
    );
}

/** 1-based line and column of a character offset, as the service reports them. */
export function lineAndColumn(text: string, pos: number): { line: number; column: number } {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < pos && i < text.length; i++) {
        if (text[i] === "\n") {
            line++;
            lineStart = i + 1;
        }
    }
    return { line, column: pos - lineStart + 1 };
}
