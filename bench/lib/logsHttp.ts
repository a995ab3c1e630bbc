import https from "node:https";
import { gunzipSync } from "node:zlib";
import { Emulator } from "./companion";

export interface RawResponse {
    readonly status: number;
    /** Bytes on the wire (the gzip body when the server compressed it). */
    readonly wireBytes: number;
    /** The JSON text, decompressed. */
    readonly body: string;
    readonly gzip: boolean;
}

/** POSTs a query to the Log Analytics query API (here: the emulator) and returns the response body as sent. */
export function postQuery(em: Emulator, query: string, timespan: string, acceptGzip: boolean): Promise<RawResponse> {
    const url = new URL(`${em.endpoint.replace(/\/$/, "")}/workspaces/${em.workspaceId}/query`);
    const payload = JSON.stringify({ query, timespan });
    return new Promise((resolve, reject) => {
        const request = https.request(url, {
            method: "POST",
            ca: em.ca,
            headers: {
                "Authorization": `Bearer ${em.token}`,
                "Content-Type": "application/json",
                "Content-Length": Buffer.byteLength(payload),
                "Accept-Encoding": acceptGzip ? "gzip" : "identity",
            },
        }, response => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("error", reject);
            response.on("end", () => {
                const wire = Buffer.concat(chunks);
                const gzip = response.headers["content-encoding"] === "gzip";
                const body = (gzip ? gunzipSync(wire) : wire).toString("utf8");
                resolve({ status: response.statusCode ?? 0, wireBytes: wire.length, body, gzip });
            });
        });
        request.on("error", reject);
        request.end(payload);
    });
}

export interface QueryBody {
    tables?: { name: string; columns: { name: string; type: string }[]; rows: unknown[][] }[];
    error?: { code?: string; message?: string };
}

export const DAY_MS = 86_400_000;

/** `days` daily windows ending at `endDate` (exclusive), oldest first. */
export function dailyWindows(days: number, endDate: Date): { start: Date; end: Date }[] {
    const end = endDate.getTime();
    const windows: { start: Date; end: Date }[] = [];
    for (let k = days - 1; k >= 0; k--) windows.push({ start: new Date(end - (k + 1) * DAY_MS), end: new Date(end - k * DAY_MS) });
    return windows;
}

export function timespanOf(window: { start: Date; end: Date }): string {
    return `${window.start.toISOString()}/${window.end.toISOString()}`;
}

/** UTC calendar days covering [start, end), oldest first: the partitions of a daily incremental refresh. */
export function calendarDays(start: Date, end: Date): { start: Date; end: Date }[] {
    const windows: { start: Date; end: Date }[] = [];
    for (let t = Math.floor(start.getTime() / DAY_MS) * DAY_MS; t < end.getTime(); t += DAY_MS) {
        windows.push({ start: new Date(t), end: new Date(t + DAY_MS) });
    }
    return windows;
}
