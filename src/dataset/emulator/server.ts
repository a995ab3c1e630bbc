// The HTTPS front of the emulator: routing, authentication, rate limit, faults, timeouts, gzip.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { Socket } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { gzipSync } from "node:zlib";
import type { TableSchema } from "../../schema.ts";
import type { Certificate } from "./certificate.ts";
import type { Engine } from "./engine.ts";
import type { FaultDecision, FaultInjector } from "./faults.ts";
import { runQuery, type QueryLimits, type QueryOutcome } from "./query-service.ts";
import type { RateLimiter } from "./rate-limiter.ts";
import {
    badArgument, errorBody, expiredToken, gatewayTimeout, internalError, methodNotAllowed, missingToken, pathNotFound,
    serviceUnavailable, throttled, workspaceNotFound, wrongToken, type ServiceError,
} from "./service-errors.ts";
import { parseTimespan, TimespanError } from "./timespan.ts";

export interface ServerConfig {
    readonly workspaceId: string;
    /** The accepted bearer token, or "any" to accept every non-empty token. */
    readonly token: string;
    readonly tables: readonly TableSchema[];
    readonly limits: QueryLimits;
    readonly engine: Engine;
    readonly faults: FaultInjector;
    readonly rateLimiter: RateLimiter;
    readonly log: (line: string) => void;
    /** Queries running at once; the rest wait (the service runs 5 per user). */
    readonly concurrency: number;
    /** Server timeout when the request does not say (Prefer: wait=N); the service's default is 3 minutes. */
    readonly defaultWaitSeconds: number;
}

const QUERY_PATH = /^\/v1\/workspaces\/([^/]+)\/query\/?$/i;
const BATCH_PATH = /^\/v1\/\$batch\/?$/i;
/** The service takes at most 10 queries per batch. */
const MAX_BATCH = 10;
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Past this, an oversized body is not worth reading to its end just to answer politely. */
const MAX_DRAINED_BYTES = 64 * 1024 * 1024;
const MAX_WAIT_SECONDS = 600;

class Semaphore {
    private active = 0;
    private readonly waiting: (() => void)[] = [];
    constructor(private readonly size: number) {}
    async acquire(): Promise<() => void> {
        if (this.active >= this.size) await new Promise<void>(resolve => this.waiting.push(resolve));
        this.active++;
        return () => {
            this.active--;
            this.waiting.shift()?.();
        };
    }
}

interface Preferences {
    readonly waitSeconds: number | undefined;
    readonly includeStatistics: boolean;
}

function parsePrefer(header: string | undefined): Preferences {
    let waitSeconds: number | undefined;
    let includeStatistics = false;
    for (const part of (header ?? "").split(",")) {
        const [name, value = ""] = part.split("=").map(s => s.trim().toLowerCase());
        if (name === "wait" && /^\d+(\.\d+)?$/.test(value)) waitSeconds = Math.min(Number(value), MAX_WAIT_SECONDS);
        else if (name === "include-statistics") includeStatistics = value === "true";
    }
    return { waitSeconds, includeStatistics };
}

/**
 * The body, or undefined when it is over MAX_BODY_BYTES. An oversized body is read to its end and dropped, so that
 * the client gets the 400 answer instead of a reset connection; one far beyond the limit is cut off.
 */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
                chunks.length = 0;
                if (size > MAX_DRAINED_BYTES) req.destroy();
                return;
            }
            chunks.push(chunk);
        });
        req.on("end", () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
        req.on("error", reject);
    });
}

/** The request body read as JSON; `example` shows the expected body in the error for one that is not JSON. */
async function readJsonBody(req: IncomingMessage, example: string): Promise<{ json: unknown } | { error: ServiceError }> {
    const raw = await readBody(req);
    if (raw === undefined) return { error: badArgument("RequestTooLarge", `The request body is larger than ${MAX_BODY_BYTES} bytes.`) };
    try {
        return { json: JSON.parse(raw.toString("utf8")) };
    } catch {
        return { error: badArgument("InvalidBody", `The request body is not valid JSON: send ${example}.`) };
    }
}

export class EmulatorServer {
    readonly server: Server;
    private readonly sockets = new Set<Socket>();
    private readonly semaphore: Semaphore;
    private readonly inflight = new Map<Promise<unknown>, AbortController>();
    private requests = 0;

    constructor(private readonly config: ServerConfig, certificate: Certificate) {
        this.semaphore = new Semaphore(config.concurrency);
        this.server = createServer({ cert: certificate.cert, key: certificate.key }, (req, res) => {
            this.handle(req, res).catch((error: unknown) => {
                this.config.log(`internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
                if (!res.headersSent) this.sendError(req, res, internalError("The emulator failed while answering; see its log."), randomUUID());
                else res.destroy();
            });
        });
        this.server.on("secureConnection", socket => {
            this.sockets.add(socket);
            socket.on("close", () => this.sockets.delete(socket));
        });
    }

    requestCount(): number {
        return this.requests;
    }

    listen(port: number): Promise<number> {
        return new Promise((resolve, reject) => {
            const onError = (error: NodeJS.ErrnoException): void => reject(error);
            this.server.once("error", onError);
            this.server.listen(port, "127.0.0.1", () => {
                this.server.off("error", onError);
                const address = this.server.address();
                resolve(typeof address === "object" && address ? address.port : port);
            });
        });
    }

    /** Stops listening, drops open connections, and interrupts running queries; resolves when all have ended. */
    async close(): Promise<void> {
        const closed = new Promise<void>(resolve => this.server.close(() => resolve()));
        for (const socket of this.sockets) socket.destroy();
        for (const abort of this.inflight.values()) abort.abort();
        await Promise.allSettled([...this.inflight.keys()]);
        await closed;
    }

    private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
        const started = Date.now();
        const correlationId = randomUUID();
        const url = new URL(req.url ?? "/", "https://127.0.0.1");
        const done = (status: number, detail = ""): void =>
            this.config.log(`${req.method ?? "?"} ${url.pathname} ${status}${detail ? " " + detail : ""} ${Date.now() - started} ms`);
        const fail = (error: ServiceError): void => {
            this.sendError(req, res, error, correlationId);
            done(error.status, error.error.code);
        };

        const match = QUERY_PATH.exec(url.pathname);
        const batch = BATCH_PATH.test(url.pathname);
        if (!match && !batch) return fail(pathNotFound(url.pathname));
        if (req.method !== "POST" && (batch || req.method !== "GET")) return fail(methodNotAllowed(req.method ?? ""));
        this.requests++;

        const fault = this.config.faults.decide();
        const deadlineMs = started + 1000 * (parsePrefer(header(req, "prefer")).waitSeconds ?? this.config.defaultWaitSeconds);
        if (fault.latencyMs > 0) {
            await delay(Math.min(fault.latencyMs, Math.max(0, deadlineMs - Date.now())));
            if (Date.now() >= deadlineMs && fault.latencyMs > 0) return fail(gatewayTimeout(Math.round((deadlineMs - started) / 1000)));
        }
        if (fault.fault === "drop") {
            req.socket.destroy();
            return done(0, "connection dropped (fault)");
        }
        if (fault.fault === "503") return fail(serviceUnavailable(fault.retryAfterSeconds));
        if (fault.fault === "429") return fail(throttled(fault.retryAfterSeconds, "an injected fault"));

        const auth = this.authenticate(req, fault);
        if (auth.error) return fail(auth.error);
        if (!match) {
            const answer = await this.batch(req, auth.token, started, deadlineMs);
            if ("error" in answer) return fail(answer.error);
            this.send(req, res, 200, answer.body, correlationId, {}, fault);
            return done(200, `batch of ${answer.count}`);
        }
        if (match[1].toLowerCase() !== this.config.workspaceId.toLowerCase()) return fail(workspaceNotFound(decodeURIComponent(match[1])));
        const wait = this.config.rateLimiter.admit(auth.token);
        if (wait > 0) return fail(throttled(wait, this.config.rateLimiter.describe()));

        const input = await this.readInput(req, url);
        if ("error" in input) return fail(input.error);
        const preferences = parsePrefer(header(req, "prefer"));
        const outcome = await this.execute(input.query, input.timespan, preferences.includeStatistics, started, deadlineMs);
        if (!outcome.ok) return fail(outcome.error);
        const headers: Record<string, string> = {};
        if (preferences.includeStatistics) headers["Preference-Applied"] = "include-statistics=true";
        this.send(req, res, 200, outcome.body, correlationId, headers, fault);
        done(200, `${outcome.rowCount} rows${outcome.partial ? " (PartialError)" : ""}${fault.fault === "truncate" ? " (body truncated: fault)" : ""}`);
    }

    /** Runs one query under the concurrency limit and the server timeout. */
    private async execute(query: string, timespan: string | undefined, includeStatistics: boolean, startedMs: number,
        deadlineMs: number): Promise<QueryOutcome> {
        const nowMicros = BigInt(Date.now()) * 1000n;
        let range;
        try {
            range = timespan === undefined ? undefined : parseTimespan(timespan, nowMicros);
        } catch (error) {
            if (error instanceof TimespanError) return { ok: false, error: badArgument("InvalidTimespan", error.message) };
            throw error;
        }
        const release = await this.semaphore.acquire();
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(), Math.max(0, deadlineMs - Date.now()));
        try {
            const running = runQuery(this.config.engine, this.config.tables, this.config.limits, {
                query, range, nowMicros, includeStatistics, signal: abort.signal,
            });
            // After a timeout the interrupted query rejects with nobody waiting for it.
            running.catch(() => undefined);
            this.inflight.set(running, abort);
            void running.finally(() => this.inflight.delete(running)).catch(() => undefined);
            const outcome = await Promise.race([
                running,
                new Promise<"timeout">(resolve => abort.signal.addEventListener("abort", () => resolve("timeout"))),
            ]);
            if (outcome === "timeout") return { ok: false, error: gatewayTimeout(Math.round((deadlineMs - startedMs) / 1000)) };
            return outcome;
        } finally {
            clearTimeout(timer);
            release();
        }
    }

    /** POST /v1/$batch: up to 10 queries, each answered with its own status, like the service's batch API. */
    private async batch(req: IncomingMessage, token: string, startedMs: number, deadlineMs: number): Promise<{ body: string; count: number } | { error: ServiceError }> {
        const read = await readJsonBody(req, '{"requests": [...]}');
        if ("error" in read) return read;
        const requests = (read.json as { requests?: unknown } | null)?.requests;
        if (!Array.isArray(requests) || requests.length === 0 || requests.length > MAX_BATCH) {
            return { error: badArgument("InvalidBatch", `'requests' must be a list of 1 to ${MAX_BATCH} queries.`) };
        }
        const answers: string[] = [];
        for (const item of requests as unknown[]) {
            const entry = (typeof item === "object" && item !== null ? item : {}) as Record<string, unknown>;
            const id = typeof entry.id === "string" ? entry.id : "";
            const itemError = (error: ServiceError): string => JSON.stringify({
                id, status: error.status, ...(error.headers ? { headers: error.headers } : {}), body: errorBody(error, randomUUID()),
            });
            const body = (typeof entry.body === "object" && entry.body !== null ? entry.body : {}) as Record<string, unknown>;
            if (id === "" || typeof body.query !== "string" || body.query.trim() === "") {
                answers.push(itemError(badArgument("InvalidBatchItem", "Each batch item needs an 'id' and a body with a non-empty 'query'.")));
                continue;
            }
            const workspace = typeof entry.workspace === "string" ? entry.workspace : "";
            const others = Array.isArray(body.workspaces) ? body.workspaces : [];
            const unknown = [workspace, ...others].find(w => typeof w !== "string" || w.toLowerCase() !== this.config.workspaceId.toLowerCase());
            if (unknown !== undefined) {
                answers.push(itemError(workspaceNotFound(String(unknown))));
                continue;
            }
            const wait = this.config.rateLimiter.admit(token);
            if (wait > 0) {
                answers.push(itemError(throttled(wait, this.config.rateLimiter.describe())));
                continue;
            }
            const headers = (typeof entry.headers === "object" && entry.headers !== null ? entry.headers : {}) as Record<string, unknown>;
            const preferHeader = Object.entries(headers).find(([name]) => name.toLowerCase() === "prefer")?.[1];
            const preferences = parsePrefer(typeof preferHeader === "string" ? preferHeader : undefined);
            const itemDeadline = preferences.waitSeconds === undefined ? deadlineMs : Math.min(deadlineMs, Date.now() + 1000 * preferences.waitSeconds);
            const timespan = typeof body.timespan === "string" && body.timespan.trim() !== "" ? body.timespan : undefined;
            const outcome = await this.execute(body.query, timespan, preferences.includeStatistics, startedMs, itemDeadline);
            answers.push(outcome.ok ? `{"id":${JSON.stringify(id)},"status":200,"body":${outcome.body}}` : itemError(outcome.error));
        }
        return { body: `{"responses":[${answers.join(",")}]}`, count: answers.length };
    }

    private authenticate(req: IncomingMessage, fault: FaultDecision): { token: string; error?: undefined } | { error: ServiceError } {
        const authorization = header(req, "authorization") ?? "";
        const bearer = /^Bearer\s+(\S.*)$/i.exec(authorization.trim());
        if (!bearer) return { error: missingToken() };
        if (fault.expiredToken) return { error: expiredToken() };
        const token = bearer[1].trim();
        if (this.config.token !== "any" && token !== this.config.token) return { error: wrongToken() };
        return { token };
    }

    private async readInput(req: IncomingMessage, url: URL): Promise<{ query: string; timespan: string | undefined } | { error: ServiceError }> {
        let query: unknown;
        let timespan: unknown;
        let workspaces: unknown;
        if (req.method === "GET") {
            query = url.searchParams.get("query") ?? undefined;
            timespan = url.searchParams.get("timespan") ?? undefined;
            const listed = url.searchParams.get("workspaces");
            workspaces = listed ? listed.split(",") : undefined;
        } else {
            const read = await readJsonBody(req, '{"query": "...", "timespan": "..."}');
            if ("error" in read) return read;
            const body = read.json;
            if (typeof body !== "object" || body === null || Array.isArray(body)) {
                return { error: badArgument("InvalidBody", "The request body must be a JSON object with a 'query' string.") };
            }
            ({ query, timespan, workspaces } = body as Record<string, unknown>);
        }
        if (typeof query !== "string" || query.trim() === "") {
            return { error: badArgument("QueryValidationError", "The query is missing: send a non-empty 'query'.") };
        }
        if (timespan !== undefined && timespan !== null && typeof timespan !== "string") {
            return { error: badArgument("InvalidTimespan", "The timespan must be an ISO 8601 interval string.") };
        }
        if (workspaces !== undefined && workspaces !== null) {
            if (!Array.isArray(workspaces) || workspaces.some(w => typeof w !== "string")) {
                return { error: badArgument("InvalidWorkspaces", "'workspaces' must be a list of workspace IDs.") };
            }
            const unknown = (workspaces as string[]).find(w => w.toLowerCase() !== this.config.workspaceId.toLowerCase());
            if (unknown !== undefined) return { error: workspaceNotFound(unknown) };
        }
        return { query, timespan: typeof timespan === "string" && timespan.trim() !== "" ? timespan : undefined };
    }

    private sendError(req: IncomingMessage, res: ServerResponse, error: ServiceError, correlationId: string): void {
        this.send(req, res, error.status, JSON.stringify(errorBody(error, correlationId)), correlationId, error.headers ?? {});
    }

    private send(req: IncomingMessage, res: ServerResponse, status: number, body: string, correlationId: string,
        extraHeaders: Readonly<Record<string, string>>, fault?: FaultDecision): void {
        let payload = Buffer.from(body, "utf8");
        const headers: Record<string, string> = {
            "Content-Type": "application/json; charset=utf-8",
            "x-ms-request-id": correlationId,
            "x-ms-correlation-request-id": correlationId,
            Vary: "Accept-Encoding",
            ...extraHeaders,
        };
        const clientRequestId = header(req, "x-ms-client-request-id");
        if (clientRequestId) headers["x-ms-client-request-id"] = clientRequestId;
        if (/\bgzip\b/i.test(header(req, "accept-encoding") ?? "")) {
            payload = gzipSync(payload);
            headers["Content-Encoding"] = "gzip";
        }
        headers["Content-Length"] = String(payload.length);
        res.writeHead(status, headers);
        if (fault?.fault === "truncate") {
            res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => res.destroy());
            return;
        }
        res.end(payload);
    }
}

function header(req: IncomingMessage, name: string): string | undefined {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(",") : value;
}
