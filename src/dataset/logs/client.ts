// The Log Analytics query client: always the SDK's LogsQueryClient, pointed at the public cloud, a sovereign
// cloud or the local emulator (an HTTPS endpoint trusted through its CA certificate).
import { readFileSync } from "node:fs";
import type { TokenCredential } from "@azure/identity";
import { LogsQueryClient, type LogsQueryClientOptions } from "@azure/monitor-query-logs";
import { UserError } from "../errors.ts";
import { createSafeHttpClient, DEFAULT_DEADLINES, type Deadlines } from "./transport.ts";

export const DEFAULT_LOGS_ENDPOINT = "https://api.loganalytics.io/v1";

export interface LogsClientOptions {
    readonly credential: TokenCredential;
    /** Base URL including the API version, e.g. https://api.loganalytics.io/v1 (default). */
    readonly endpoint?: string;
    /** PEM file of an extra CA to trust (the emulator's self-signed certificate). */
    readonly caFile?: string;
    /** PEM text of an extra CA to trust (takes precedence over caFile). */
    readonly ca?: string;
    /** Further client options (retryOptions, tlsOptions, …), merged over the defaults. */
    readonly clientOptions?: LogsQueryClientOptions;
    /** Deadlines of each request's phases (default DEFAULT_DEADLINES). */
    readonly deadlines?: Deadlines;
}

/** Validates an endpoint URL: HTTPS only, since the SDK never sends a bearer token over plain http. */
export function normalizeEndpoint(endpoint: string): string {
    let url: URL;
    try {
        url = new URL(endpoint);
    } catch {
        throw new UserError(`--endpoint ${JSON.stringify(endpoint.slice(0, 200))} is not a URL: use the query API base URL, e.g. ${DEFAULT_LOGS_ENDPOINT}`);
    }
    if (url.protocol !== "https:") {
        throw new UserError(`--endpoint ${url.href} must use https (bearer tokens are never sent over plain http); e.g. ${DEFAULT_LOGS_ENDPOINT}`);
    }
    return url.href.replace(/\/+$/, "");
}

/**
 * The token scope for an endpoint. Sovereign clouds have their own audience (api.loganalytics.us,
 * api.loganalytics.azure.cn); any other host (the emulator) uses the public one.
 */
export function scopeForEndpoint(endpoint: string): string {
    const url = new URL(endpoint);
    if (/^api\.loganalytics\./i.test(url.hostname)) return `${url.protocol}//${url.host}/.default`;
    return "https://api.loganalytics.io/.default";
}

export function readCaFile(file: string): string {
    let pem: string;
    try {
        pem = readFileSync(file, "utf8");
    } catch (error) {
        throw new UserError(`cannot read the CA certificate --ca ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; pass the PEM file the emulator wrote (or unset SHADOWIT_CA_FILE)`);
    }
    if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
        throw new UserError(`--ca ${file} is not a PEM certificate (no "-----BEGIN CERTIFICATE-----" line)`);
    }
    return pem;
}

type PipelinePolicy = Parameters<LogsQueryClient["pipeline"]["addPolicy"]>[0];

const CAPTURE_HEADER = "x-shadowit-capture";

/** What the pipeline saw of one tracked query. */
export interface TrackedRequest {
    /** The raw body of the final response, when one arrived. */
    readonly body: string | undefined;
    /** Requests really sent: the first one and each of the SDK's retries. */
    readonly attempts: number;
}

/**
 * Follows each tracked query through the pipeline. It keeps the raw body of the final response until the caller
 * takes it: the SDK's result keeps a partial error's code and message but drops the details' inner errors, where
 * the service says *which* limit was hit (E_QUERY_RESULT_SET_TOO_LARGE); the raw body still has them. It counts
 * the attempts the SDK's retry policy made, so that a failure can say how many there really were. And it hands the
 * query's cancellation signal to the request (LogsQueryClient does not pass an `abortSignal` option on), so that a
 * cancelled query also stops the SDK's retries and its waits between them. The tracking header never leaves the
 * process: the policy removes it before the request is sent.
 */
export class ResponseCapture {
    private readonly tracked = new Map<string, { body: string | undefined; attempts: number }>();
    private readonly byRequest = new WeakMap<object, { body: string | undefined; attempts: number }>();
    private readonly signals = new Map<string, AbortSignal>();
    private counter = 0;

    /** Outside the retry policy: sees each query once. */
    readonly policy: PipelinePolicy = {
        name: "shadowitResponseCapture",
        sendRequest: async (request, next) => {
            const id = request.headers.get(CAPTURE_HEADER);
            if (id === undefined) return next(request);
            request.headers.delete(CAPTURE_HEADER);
            const record = this.tracked.get(id);
            if (record) this.byRequest.set(request, record);
            const signal = this.signals.get(id);
            if (signal) request.abortSignal = signal;
            const response = await next(request);
            if (record) record.body = response.bodyAsText ?? undefined;
            return response;
        },
    };

    /** Inside the retry policy: runs once per attempt. */
    readonly attemptPolicy: PipelinePolicy = {
        name: "shadowitAttemptCounter",
        sendRequest: async (request, next) => {
            const record = this.byRequest.get(request);
            if (record) record.attempts++;
            return next(request);
        },
    };

    /** Starts tracking a request: pass the returned headers in the call's requestOptions. */
    track(signal?: AbortSignal): { id: string; headers: Record<string, string> } {
        const id = String(++this.counter);
        this.tracked.set(id, { body: undefined, attempts: 0 });
        if (signal) this.signals.set(id, signal);
        return { id, headers: { [CAPTURE_HEADER]: id } };
    }

    /** Attempts made so far for a tracked request (0 before it is sent). */
    attempts(id: string): number {
        return this.tracked.get(id)?.attempts ?? 0;
    }

    /** What was seen of the tracked request (and stops tracking it). */
    take(id: string): TrackedRequest {
        const record = this.tracked.get(id) ?? { body: undefined, attempts: 0 };
        this.tracked.delete(id);
        this.signals.delete(id);
        return record;
    }
}

export interface LogsClient {
    readonly client: LogsQueryClient;
    readonly endpoint: string;
    readonly capture: ResponseCapture;
}

export function createLogsClient(options: LogsClientOptions): LogsClient {
    const endpoint = normalizeEndpoint(options.endpoint ?? DEFAULT_LOGS_ENDPOINT);
    const ca = options.ca ?? (options.caFile !== undefined ? readCaFile(options.caFile) : undefined);
    const extra = options.clientOptions ?? {};
    const clientOptions: LogsQueryClientOptions = {
        httpClient: createSafeHttpClient(options.deadlines ?? DEFAULT_DEADLINES),
        ...extra,
        endpoint,
        credentials: { scopes: [scopeForEndpoint(endpoint)], ...extra.credentials },
        retryOptions: { maxRetries: 4, retryDelayInMs: 1000, maxRetryDelayInMs: 30_000, ...extra.retryOptions },
        ...(ca !== undefined || extra.tlsOptions ? { tlsOptions: { ...(ca !== undefined ? { ca } : {}), ...extra.tlsOptions } } : {}),
    };
    const client = new LogsQueryClient(options.credential, clientOptions);
    const capture = new ResponseCapture();
    client.pipeline.addPolicy(capture.policy);
    client.pipeline.addPolicy(capture.attemptPolicy, { afterPhase: "Retry" });
    return { client, endpoint, capture };
}
