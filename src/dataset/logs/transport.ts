// The HTTP client under LogsQueryClient: the SDK's own Node client (proxy, TLS settings and keep-alive as the
// pipeline sets them), with the response body decompressed here instead, and a deadline on every phase of a request.
//
// Why the body: the SDK pipes a gzip response into zlib with `stream.pipe`, which does not pass on a connection that
// closes in the middle of the body; the read then never ends and the query hangs forever. Decompressing with
// `stream.pipeline` turns that cut into an ECONNRESET error, which the SDK's retry policy retries.
//
// Why the deadlines: the SDK's only timeout (`request.timeout`) stops at the response headers, and none is set by
// default, so an endpoint that accepts the connection and never answers (a stalled proxy, a firewall dropping
// packets) holds the export for ever. Here each attempt gets three deadlines: connecting (TCP and TLS), the answer's
// first byte, and the rest of the answer. A missed deadline ends the attempt with a DeadlineError, which is not a
// RestError, so the SDK's retry policy passes it on at once instead of waiting the same deadline again.
import https from "node:https";
import type { Duplex } from "node:stream";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createInflate } from "node:zlib";
import {
    createDefaultHttpClient, RestError, type HttpClient, type PipelineRequest, type PipelineResponse,
} from "@azure/core-rest-pipeline";

async function readBody(stream: NodeJS.ReadableStream, encoding: string | undefined): Promise<string> {
    const chunks: Buffer[] = [];
    const sink = new Writable({
        write(chunk: Buffer, _encoding, callback) {
            chunks.push(chunk);
            callback();
        },
    });
    const decoder = encoding === "gzip" ? createGunzip() : encoding === "deflate" ? createInflate() : undefined;
    if (decoder) await pipeline(stream, decoder, sink);
    else await pipeline(stream, sink);
    return Buffer.concat(chunks).toString("utf8");
}

/** The longest each phase of one attempt may take, in milliseconds. */
export interface Deadlines {
    /** Opening the connection: TCP and the TLS handshake. */
    readonly connectMs: number;
    /** From the request being sent (or the connection being opened) to the first byte of the answer. */
    readonly responseMs: number;
    /** From the first byte of the answer to its last. */
    readonly transferMs: number;
}

export const DEFAULT_DEADLINES: Deadlines = { connectMs: 30_000, responseMs: 300_000, transferMs: 300_000 };

export type DeadlinePhase = "connect" | "response" | "transfer";

/** An attempt that missed one of its deadlines. */
export class DeadlineError extends Error {
    constructor(readonly phase: DeadlinePhase, readonly limitMs: number, readonly url: string) {
        const what = phase === "connect" ? "could not connect" : phase === "response" ? "no answer started" : "the answer did not arrive in full";
        super(`${what} within ${formatSeconds(limitMs)} (${url})`);
        this.name = "DeadlineError";
    }
}

export function formatSeconds(ms: number): string {
    return `${Number((ms / 1000).toFixed(3))} s`;
}

/** The request option that carries an attempt's clock to the agent, which reports new connections to it. */
const ATTEMPT_OPTION = "shadowitAttempt";

/** The deadline of the phase an attempt is in: moving to the next phase restarts the clock with that phase's limit. */
class AttemptClock {
    expired: DeadlinePhase | undefined;
    private phase: DeadlinePhase | undefined;
    private timer: NodeJS.Timeout | undefined;

    constructor(private readonly deadlines: Deadlines, private readonly controller: AbortController) {}

    limitOf(phase: DeadlinePhase): number {
        return phase === "connect" ? this.deadlines.connectMs : phase === "response" ? this.deadlines.responseMs : this.deadlines.transferMs;
    }

    enter(phase: DeadlinePhase): void {
        this.stop();
        this.phase = phase;
        this.timer = setTimeout(() => {
            this.expired = phase;
            this.controller.abort();
        }, this.limitOf(phase));
    }

    /** A new connection is being opened for this attempt (a reused keep-alive one is never reported). */
    connecting(socket: Duplex): void {
        this.enter("connect");
        socket.once("secureConnect", () => {
            if (this.phase === "connect" && this.expired === undefined) this.enter("response");
        });
    }

    stop(): void {
        if (this.timer !== undefined) clearTimeout(this.timer);
        this.timer = undefined;
    }
}

/** An HTTPS agent like the SDK's own, which tells the attempt that asked for a new connection when it opens one. */
class DeadlineAgent extends https.Agent {
    override createConnection(options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
        const socket = super.createConnection(options, callback);
        const clock = (options as Record<string, unknown>)[ATTEMPT_OPTION];
        if (socket && clock instanceof AttemptClock) clock.connecting(socket);
        return socket;
    }
}

export function createSafeHttpClient(deadlines: Deadlines = DEFAULT_DEADLINES): HttpClient {
    const inner = createDefaultHttpClient();
    // One agent per TLS settings object and keep-alive choice, as the SDK's client keeps them.
    const agents = new WeakMap<object, Map<boolean, DeadlineAgent>>();
    const defaultTls = {};
    const agentFor = (request: PipelineRequest): DeadlineAgent => {
        const tls = request.tlsSettings ?? defaultTls;
        const keepAlive = !request.disableKeepAlive;
        let byKeepAlive = agents.get(tls);
        if (!byKeepAlive) agents.set(tls, byKeepAlive = new Map());
        let agent = byKeepAlive.get(keepAlive);
        if (!agent) byKeepAlive.set(keepAlive, agent = new DeadlineAgent({ keepAlive, ...request.tlsSettings }));
        return agent;
    };

    const send = async (request: PipelineRequest, clock: AttemptClock): Promise<PipelineResponse> => {
        // Ask for gzip on the wire, but keep the header out of `request.headers`, where the inner client
        // would take it as a sign to decompress by itself; and take the body as a stream.
        const acceptEncoding = request.headers.get("Accept-Encoding") ?? "gzip,deflate";
        request.headers.delete("Accept-Encoding");
        request.requestOverrides = {
            ...request.requestOverrides,
            headers: { ...request.headers.toJSON({ preserveCase: true }), "Accept-Encoding": acceptEncoding },
        };
        request.streamResponseStatusCodes = new Set([Number.POSITIVE_INFINITY]);
        const response = await inner.sendRequest(request);
        clock.enter("transfer");
        const stream = response.readableStreamBody;
        response.readableStreamBody = undefined;
        if (!stream) return response;
        try {
            response.bodyAsText = await readBody(stream, response.headers.get("Content-Encoding")?.toLowerCase());
        } catch (error) {
            if (clock.expired !== undefined) throw error;
            const code = (error as NodeJS.ErrnoException).code;
            const cut = code === "ERR_STREAM_PREMATURE_CLOSE" || code === "ECONNRESET" || code === "Z_BUF_ERROR"
                || /aborted|premature|unexpected end of file/i.test((error as Error).message);
            throw new RestError(
                cut ? "The connection closed before the whole response body arrived." : `Cannot read the response body: ${(error as Error).message}`,
                { code: cut ? "ECONNRESET" : (code ?? RestError.PARSE_ERROR), request },
            );
        }
        return response;
    };

    return {
        async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
            const outer = request.abortSignal;
            if (outer?.aborted) return inner.sendRequest(request);
            const controller = new AbortController();
            const clock = new AttemptClock(deadlines, controller);
            const forward = () => controller.abort();
            outer?.addEventListener("abort", forward);
            // A proxy comes with its own agent (the proxy policy's): then connecting counts against the response deadline.
            const ownAgent = request.agent === undefined && new URL(request.url).protocol === "https:";
            if (ownAgent) request.agent = agentFor(request);
            request.requestOverrides = { ...request.requestOverrides, [ATTEMPT_OPTION]: clock };
            request.abortSignal = controller.signal;
            clock.enter("response");
            try {
                return await send(request, clock);
            } catch (error) {
                if (clock.expired !== undefined) throw new DeadlineError(clock.expired, clock.limitOf(clock.expired), request.url);
                throw error;
            } finally {
                clock.stop();
                outer?.removeEventListener("abort", forward);
                // The retry policy looks at the caller's signal to tell a cancellation from a failure.
                request.abortSignal = outer;
                if (ownAgent) request.agent = undefined;
            }
        },
    };
}
