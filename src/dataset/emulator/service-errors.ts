// Error bodies in the shapes the Log Analytics query API answers with.
import { lineAndColumn, type QueryError } from "./query-errors.ts";

export interface ErrorInfo {
    readonly code: string;
    readonly message: string;
    readonly correlationId?: string;
    readonly innererror?: ErrorInfo | Readonly<Record<string, unknown>>;
    readonly details?: readonly Readonly<Record<string, unknown>>[];
}

export interface ServiceError {
    readonly status: number;
    readonly error: ErrorInfo;
    readonly headers?: Readonly<Record<string, string>>;
}

const withId = (error: ErrorInfo, correlationId: string): ErrorInfo => ({
    message: error.message, code: error.code, correlationId, ...(error.innererror ? { innererror: error.innererror } : {}),
});

export function errorBody(error: ServiceError, correlationId: string): { error: ErrorInfo } {
    return { error: withId(error.error, correlationId) };
}

export function missingToken(): ServiceError {
    return {
        status: 401,
        error: { code: "AuthenticationFailed", message: "Valid authentication was not provided: send 'Authorization: Bearer <token>'." },
        headers: { "WWW-Authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token"' },
    };
}

/** What the service says of a token it will not take (403) or no longer takes (401); the inner error says why. */
const INVALID_AUTHENTICATION = { code: "InvalidAuthenticationToken", message: "The provided authentication is not valid for this resource." } as const;

export function wrongToken(): ServiceError {
    return {
        status: 403,
        error: {
            ...INVALID_AUTHENTICATION,
            innererror: { code: "InvalidTokenError", message: "The token is not the one this workspace accepts." },
        },
    };
}

export function expiredToken(): ServiceError {
    return {
        status: 401,
        error: {
            ...INVALID_AUTHENTICATION,
            innererror: { code: "ExpiredAuthenticationToken", message: "The access token has expired: get a new token and retry." },
        },
        headers: { "WWW-Authenticate": 'Bearer error="invalid_token", error_description="The access token expiry UTC time is in the past"' },
    };
}

export function workspaceNotFound(workspaceId: string): ServiceError {
    return {
        status: 404,
        error: {
            code: "WorkspaceNotFoundError",
            message: `The workspace could not be found`,
            innererror: { code: "WorkspaceNotFoundError", message: `Workspace '${workspaceId}' does not exist or you do not have access to it.` },
        },
    };
}

export function pathNotFound(path: string): ServiceError {
    return { status: 404, error: { code: "PathNotFoundError", message: `The requested path does not exist: ${path}` } };
}

export function methodNotAllowed(method: string): ServiceError {
    return { status: 405, error: { code: "MethodNotAllowed", message: `The method ${method} is not allowed here: use POST or GET.` }, headers: { Allow: "GET, POST" } };
}

export function badArgument(code: string, message: string, inner?: Record<string, unknown>): ServiceError {
    return {
        status: 400,
        error: {
            code: "BadArgumentError",
            message: "The request had some invalid properties",
            innererror: { code, message, ...(inner ? { innererror: inner } : {}) },
        },
    };
}

/** A 400 for a query the Kusto language service or the emulator's own reader rejects. */
export function queryRejected(query: string, error: QueryError): ServiceError {
    const { line, column } = lineAndColumn(query, error.pos);
    switch (error.kind) {
        case "SyntaxError":
            return badArgument("SyntaxError", "A recognition error occurred in the query.", {
                code: "SYN0002", message: error.message, line, pos: column, token: error.token ?? "",
            });
        case "SemanticError":
            return badArgument("SemanticError", "A semantic error occurred.", { code: "SEM0100", message: error.message, line, pos: column });
        case "Unsupported":
            return badArgument("SemanticError", "A semantic error occurred.", { code: "EmulatorUnsupportedQuery", message: error.message, line, pos: column });
    }
}

export function throttled(retryAfterSeconds: number, limit: string): ServiceError {
    return {
        status: 429,
        error: {
            code: "ThrottledError",
            message: `Too many requests: the limit is ${limit}. Retry after ${retryAfterSeconds} seconds.`,
        },
        headers: { "Retry-After": String(retryAfterSeconds) },
    };
}

export function serviceUnavailable(retryAfterSeconds: number): ServiceError {
    return {
        status: 503,
        error: { code: "ServiceUnavailableError", message: "The service is temporarily unavailable. Retry later." },
        headers: { "Retry-After": String(retryAfterSeconds) },
    };
}

export function gatewayTimeout(seconds: number): ServiceError {
    return {
        status: 504,
        error: {
            code: "GatewayTimeout",
            message: `The query did not finish within the ${seconds} second timeout.`,
            innererror: { code: "QueryTimeout", message: "Shorten the time range or aggregate in the query, or raise the server timeout (Prefer: wait=N, at most 600)." },
        },
    };
}

export function internalError(message: string): ServiceError {
    return { status: 500, error: { code: "InternalServerError", message } };
}

const LIMIT_HELP = "see https://aka.ms/kustoquerylimits";

/** The `error` member of a 200 answer whose rows were cut at a limit. */
export function partialError(reason: "rows" | "size", limit: number): ErrorInfo {
    const what = reason === "rows"
        ? `Query result set has exceeded the internal record count limit ${limit} (E_QUERY_RESULT_SET_TOO_LARGE; ${LIMIT_HELP})`
        : `Query result set has exceeded the internal data size limit ${limit} (E_QUERY_RESULT_SET_TOO_LARGE; ${LIMIT_HELP})`;
    return {
        code: "PartialError",
        message: "There were some errors when processing your query.",
        details: [{
            code: "EngineError",
            message: "Something went wrong processing your query on the server.",
            innererror: { code: "-2133196797", message: what, severity: 2, severityName: "Error" },
        }],
    };
}
