// The HTTP client under LogsQueryClient: the SDK's own Node client (proxy, TLS settings and keep-alive as the
// pipeline sets them), with the response body decompressed here instead.
//
// Why: the SDK pipes a gzip response into zlib with `stream.pipe`, which does not pass on a connection that
// closes in the middle of the body; the read then never ends and the query hangs forever. Decompressing with
// `stream.pipeline` turns that cut into an ECONNRESET error, which the SDK's retry policy retries.
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

export function createSafeHttpClient(): HttpClient {
    const inner = createDefaultHttpClient();
    return {
        async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
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
            const stream = response.readableStreamBody;
            response.readableStreamBody = undefined;
            if (!stream) return response;
            try {
                response.bodyAsText = await readBody(stream, response.headers.get("Content-Encoding")?.toLowerCase());
            } catch (error) {
                const code = (error as NodeJS.ErrnoException).code;
                const cut = code === "ERR_STREAM_PREMATURE_CLOSE" || code === "ECONNRESET" || code === "Z_BUF_ERROR"
                    || /aborted|premature|unexpected end of file/i.test((error as Error).message);
                throw new RestError(
                    cut ? "The connection closed before the whole response body arrived." : `Cannot read the response body: ${(error as Error).message}`,
                    { code: cut ? "ECONNRESET" : (code ?? RestError.PARSE_ERROR), request },
                );
            }
            return response;
        },
    };
}
