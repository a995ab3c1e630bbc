// Turning query failures into messages a user can act on: what failed (workspace, table, window), the HTTP
// status and service code, and what to do next.
import { UserError } from "../errors.ts";
import { TokenDeadlineError } from "./credential.ts";
import { DeadlineError, formatSeconds } from "./transport.ts";

export interface QueryContext {
    readonly workspaceId: string;
    readonly table: string;
    /** The window as text, `start–end` in ISO 8601. */
    readonly window: string;
    readonly endpoint: string;
    /**
     * The sentence that ends every message: what was kept and how to go on. Default: the export's (files kept,
     * rerun to resume); a command that writes nothing says its own.
     */
    readonly afterFailure?: string;
}

const EXPORT_AFTER_FAILURE = "Files exported so far are kept; rerun the same command to resume.";

interface ErrorLike {
    name?: string;
    message?: string;
    code?: string;
    statusCode?: number;
    details?: unknown;
}

const NETWORK_CODES = new Set([
    "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ESOCKETTIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EPIPE", "ENETUNREACH", "EHOSTUNREACH",
]);
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|DEPTH_ZERO/;

function firstLine(text: string, max = 300): string {
    const line = text.split("\n")[0].trim();
    return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** The service's own error code and innermost message from a RestError's details (the `error` body). */
export function serviceError(error: ErrorLike): { code?: string; message?: string; inner?: string } {
    const details = error.details as { error?: { code?: string; message?: string; innererror?: unknown; details?: unknown } } | undefined;
    const body = details?.error;
    if (!body || typeof body !== "object") return {};
    let inner: string | undefined;
    let node: unknown = body.innererror;
    for (let depth = 0; node && typeof node === "object" && depth < 8; depth++) {
        const n = node as { message?: unknown; code?: unknown; innererror?: unknown };
        if (typeof n.message === "string") inner = `${typeof n.code === "string" ? `${n.code}: ` : ""}${n.message}`;
        node = n.innererror;
    }
    return { code: body.code, message: body.message, inner };
}

/** A response that was cut off or is not JSON (a truncated body): worth another attempt. */
export function isTruncatedResponse(error: unknown): boolean {
    const e = error as ErrorLike;
    return e?.name === "RestError" && (e.code === "PARSE_ERROR" || /parsing the response body/i.test(e.message ?? ""));
}

const countAttempts = (n: number): string => `${n} ${n === 1 ? "attempt" : "attempts"}`;

function where(ctx: QueryContext): string {
    return `workspace ${ctx.workspaceId}, table ${ctx.table}, window ${ctx.window}`;
}

/** The message of a request that missed one of its deadlines: which one, the option that sets it, what to check. */
function describeDeadline(error: DeadlineError, ctx: QueryContext, resume: string): string {
    const limit = formatSeconds(error.limitMs);
    if (error.phase === "connect") {
        return `could not connect to ${ctx.endpoint} within the ${limit} connect timeout (--connect-timeout) for ${where(ctx)}: ` +
            "the connection (TCP and TLS) was not set up in time, as when a firewall drops packets or a proxy stalls. " +
            `Check the network, a proxy (HTTPS_PROXY) and --endpoint; on a slow link raise --connect-timeout. ${resume}`;
    }
    if (error.phase === "response") {
        return `${ctx.endpoint} did not start to answer within the ${limit} response timeout (--response-timeout) for ${where(ctx)}; ` +
            "the service was asked to give up on the query sooner (Prefer: wait), so something on the way (a proxy, a firewall) has stalled. " +
            `Check the network and a proxy (HTTPS_PROXY); if the service is only slow, raise --response-timeout. ${resume}`;
    }
    return `the answer from ${ctx.endpoint} for ${where(ctx)} was not complete within the ${limit} transfer timeout (--transfer-timeout): ` +
        "it started and then stalled; nothing of it was written. Check the network and a proxy (HTTPS_PROXY); on a slow link raise " +
        `--transfer-timeout or lower --row-budget. ${resume}`;
}

/** Builds the UserError for a failed query (a runtime failure: exit code 1); `attempts` counts the requests really sent. */
export function describeQueryFailure(error: unknown, ctx: QueryContext, attempts = 1): UserError {
    if (error instanceof UserError) return error;
    const message = queryFailureMessage(error, ctx, attempts);
    return new UserError(message, 1);
}

function queryFailureMessage(error: unknown, ctx: QueryContext, attempts: number): string {
    const e = (error ?? {}) as ErrorLike;
    const status = e.statusCode;
    const service = serviceError(e);
    const code = service.code ?? e.code;
    const statusText = status !== undefined ? `HTTP ${status}${code ? ` ${code}` : ""}` : code ?? e.name ?? "error";
    // The head is followed by ". <advice>": a detail that ends a sentence keeps only its own full stop.
    const detail = firstLine(service.inner ?? service.message ?? e.message ?? String(error)).replace(/\.+$/, "");
    const head = `query failed (${statusText}) for ${where(ctx)}: ${detail}`;
    const resume = ctx.afterFailure ?? EXPORT_AFTER_FAILURE;
    if (error instanceof DeadlineError) return describeDeadline(error, ctx, resume);
    if (error instanceof TokenDeadlineError) {
        return `could not get an access token within ${formatSeconds(error.limitMs)} (--connect-timeout plus --response-timeout) for ${where(ctx)}: ` +
            "the sign-in (Microsoft Entra ID, or the Azure CLI) did not answer, as when a proxy or firewall is in the way. Check the network " +
            `and a proxy (HTTPS_PROXY), run "az login" again, or use --device-code. ${resume}`;
    }
    if (e.name === "CredentialUnavailableError" || e.name === "AuthenticationError" || e.name === "AggregateAuthenticationError"
        || e.name === "AuthenticationRequiredError") {
        return `could not get a token for ${where(ctx)}: ${firstLine(e.message ?? "", 400)}. Sign in with "az login" ` +
            `(add --tenant <tenant ID> for another directory), or run with --device-code. ${resume}`;
    }
    if (status === 401) {
        return `${head}. The token was refused or has expired: sign in again ("az login", or --device-code; for the emulator pass its current token with --token/SHADOWIT_TOKEN). ${resume}`;
    }
    if (status === 403) {
        return `${head}. Access denied: the signed-in identity needs the "Log Analytics Reader" role (or Microsoft Sentinel Reader) on this workspace, and the token must be for this tenant (--tenant). ${resume}`;
    }
    if (status === 404) {
        return `${head}. The workspace was not found: check --workspace (the Workspace ID GUID on the Log Analytics workspace's Overview page, not its resource ID) and --endpoint for sovereign clouds.`;
    }
    if (status === 400) {
        const missingTable = /Failed to resolve table|resolve table or column expression/i.test(`${service.inner ?? ""} ${service.message ?? ""}`);
        const advice = missingTable
            ? `The table ${ctx.table} does not exist in this workspace: check that its data connector (Microsoft Defender for Cloud Apps / Entra ID) sends data to it.`
            : "The service refused the query: this is a bug in shadowit if the workspace is a Log Analytics workspace; please report it with this message.";
        return `${head}. ${advice}`;
    }
    if (status === 429) {
        return `${head}. Still throttled after ${countAttempts(attempts)} with the service's Retry-After: the workspace allows about 200 requests per 30 seconds per user; wait a minute, then rerun (or lower --concurrency). ${resume}`;
    }
    if (status === 504 || status === 408) {
        return `${head}. The query timed out: rerun with a smaller --row-budget so that each window asks for fewer rows. ${resume}`;
    }
    if (status !== undefined && status >= 500) {
        return `${head}. The service is unavailable after ${countAttempts(attempts)}; try again later. ${resume}`;
    }
    if (isTruncatedResponse(error)) {
        return `query failed for ${where(ctx)}: the response was cut off or is not valid JSON after ${countAttempts(attempts)} (nothing of it was written). Check the network or proxy, then rerun. ${resume}`;
    }
    if (e.code && TLS_CODES.test(e.code)) {
        return `cannot connect securely to ${ctx.endpoint} (${e.code}) for ${where(ctx)}: for the local emulator pass its CA certificate with --ca (or SHADOWIT_CA_FILE). ${resume}`;
    }
    if ((e.code && NETWORK_CODES.has(e.code)) || /socket hang up|ECONNRESET|aborted/i.test(e.message ?? "")) {
        return `cannot reach ${ctx.endpoint} (${e.code ?? firstLine(e.message ?? "")}) for ${where(ctx)} after ${countAttempts(attempts)}: check the network, a proxy (HTTPS_PROXY) and --endpoint. ${resume}`;
    }
    return `${head}. ${resume}`;
}
