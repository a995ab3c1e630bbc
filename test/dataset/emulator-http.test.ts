// The emulator as a client sees it: the real LogsQueryClient (and raw HTTPS where the SDK hides the wire) against
// a running emulator over the sample tenant, checked against aggregates computed in JS from the same generated rows.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { request } from "node:https";
import { after, before, describe, test } from "node:test";
import { gunzipSync } from "node:zlib";
import { LogsQueryClient, type LogsQueryResult, type LogsTable } from "@azure/monitor-query-logs";
import { MCAS_SHADOW_IT_REPORTING } from "../../src/schema.ts";
import { aggregateQuery, rawQuery } from "../../src/dataset/kql/builders.ts";
import { mcasRows, type McasRow } from "../../src/dataset/sample/index.ts";
import { startEmulator, type RunningEmulator } from "../../src/dataset/emulator/index.ts";

const END = new Date("2026-01-01T00:00:00Z");
const SAMPLE = { rows: 3000, seed: 11, end: END, days: 30 };
const DAY = 86_400_000;

let emulator: RunningEmulator;
let limited: RunningEmulator;
let rows: McasRow[];

before(async () => {
    rows = [...mcasRows(SAMPLE)];
    emulator = await startEmulator({ ...SAMPLE, port: 0 });
    limited = await startEmulator({
        rows: 600, seed: 3, end: END, days: 10, token: "any", rowLimit: 100, sizeLimitBytes: 20_000,
        rateLimit: { requests: 3, perSeconds: 4 },
    });
});

after(async () => {
    const caPath = emulator?.caPath;
    await emulator?.close();
    await limited?.close();
    assert.equal(caPath !== undefined && existsSync(caPath), false, "the default-placed certificate is removed on close");
});

function clientFor(target: RunningEmulator, options: { token?: string; maxRetries?: number } = {}): LogsQueryClient {
    const token = options.token ?? target.token;
    // A token that never expires within the tests, whatever the date they run on.
    const credential = { getToken: async () => ({ token, expiresOnTimestamp: Date.parse("2100-01-01T00:00:00Z") }) };
    return new LogsQueryClient(credential, {
        endpoint: target.endpoint,
        tlsOptions: { ca: target.ca },
        retryOptions: { maxRetries: options.maxRetries ?? 3, retryDelayInMs: 50, maxRetryDelayInMs: 200 },
    });
}

const WHOLE_RANGE = { startTime: new Date(END.getTime() - 40 * DAY), endTime: END };

function table(result: LogsQueryResult): LogsTable {
    assert.equal(result.status, "Success", JSON.stringify(result).slice(0, 500));
    if (result.status !== "Success") throw new Error("unreachable");
    assert.equal(result.tables.length, 1);
    assert.equal(result.tables[0].name, "PrimaryResult");
    return result.tables[0];
}

interface RestErrorLike {
    statusCode?: number;
    code?: string;
    message: string;
    response?: { headers: { get(name: string): string | undefined } };
    details?: { error?: { code?: string; message?: string; innererror?: { code?: string; message?: string; innererror?: { message?: string } } } };
}

async function restError(promise: Promise<unknown>): Promise<RestErrorLike> {
    try {
        await promise;
    } catch (error) {
        return error as RestErrorLike;
    }
    assert.fail("the request should have failed");
}

interface RawResponse {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: Buffer;
}

function raw(target: RunningEmulator, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
    const url = new URL(target.endpoint + path);
    return new Promise((resolve, reject) => {
        const req = request(url, { method: init.method ?? "GET", headers: init.headers, ca: target.ca }, res => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
            res.on("error", reject);
        });
        req.on("error", reject);
        req.end(init.body);
    });
}

/** The inner error (code and message) of an error answer in the service's shape. */
function innerErrorOf(response: RawResponse): { code: string; message: string } {
    const { code, message } = (JSON.parse(response.body.toString()) as { error: { innererror: { code: string; message: string } } }).error.innererror;
    return { code, message };
}

const queryPath = (target: RunningEmulator, workspace = target.workspaceId): string => `/workspaces/${workspace}/query`;

describe("query results through LogsQueryClient", () => {
    test("every column of every row, typed and valued as generated", async () => {
        const result = await clientFor(emulator).queryWorkspace(emulator.workspaceId, rawQuery("McasShadowItReporting"), WHOLE_RANGE);
        const t = table(result);
        assert.deepEqual(t.columnDescriptors, MCAS_SHADOW_IT_REPORTING.columns.map(c => ({ name: c.name, type: c.type })));
        assert.equal(t.rows.length, rows.length);
        const index = (name: string): number => t.columnDescriptors.findIndex(c => c.name === name);
        const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
        assert.equal(sum(t.rows.map(r => r[index("TotalBytes")] as number)), sum(rows.map(r => r.TotalBytes)));
        assert.equal(sum(t.rows.map(r => r[index("UploadedBytes")] as number)), sum(rows.map(r => r.UploadedBytes)));
        // The SDK turns datetime into Date and dynamic into parsed JSON: the emulator's encoding must allow that.
        const first = t.rows[0];
        const expected = [...rows].sort((a, b) => a.TimeGenerated.getTime() - b.TimeGenerated.getTime())[0];
        assert.ok(first[index("TimeGenerated")] instanceof Date);
        assert.equal((first[index("TimeGenerated")] as Date).getTime(), expected.TimeGenerated.getTime());
        assert.ok(Array.isArray(first[index("AppTags")]));
        for (const r of t.rows) {
            assert.equal(typeof r[index("AppId")], "number");
            assert.equal(typeof r[index("AppName")], "string");
            assert.ok(Array.isArray(r[index("AppTags")]));
        }
        // The stream is part of the key: a Global view row can repeat a lone per-source record's time, user, app and bytes.
        const byKey = new Map(rows.map(r => [`${r.TimeGenerated.getTime()}|${r.StreamName}|${r.UserName}|${r.AppId}|${r.TotalBytes}`, r]));
        for (const r of t.rows.slice(0, 200)) {
            const key = `${(r[index("TimeGenerated")] as Date).getTime()}|${String(r[index("StreamName")])}|${String(r[index("UserName")])}|${String(r[index("AppId")])}|${String(r[index("TotalBytes")])}`;
            const source = byKey.get(key);
            assert.ok(source, `row ${key} was not generated`);
            assert.deepEqual(r[index("AppTags")], source.AppTags);
            assert.equal(r[index("StreamName")], source.StreamName);
            assert.equal(r[index("AppScore")], source.AppScore);
        }
    });

    test("the timespan bounds TimeGenerated; an empty result keeps its columns", async () => {
        const start = new Date(END.getTime() - 5 * DAY);
        const end = new Date(END.getTime() - 2 * DAY);
        const t = table(await clientFor(emulator).queryWorkspace(emulator.workspaceId, "McasShadowItReporting | count", { startTime: start, endTime: end }));
        const expected = rows.filter(r => r.TimeGenerated >= start && r.TimeGenerated <= end).length;
        assert.ok(expected > 0 && expected < rows.length);
        assert.deepEqual(t.rows, [[expected]]);

        const empty = table(await clientFor(emulator).queryWorkspace(emulator.workspaceId, "McasShadowItReporting | project AppName, TimeGenerated", { duration: "PT1H" }));
        assert.deepEqual(empty.rows, []);
        assert.deepEqual(empty.columnDescriptors, [{ name: "AppName", type: "string" }, { name: "TimeGenerated", type: "datetime" }]);
    });

    test("summarize by bin(TimeGenerated, 1d) and tostring(AppTags) equals the same aggregate in JS", async () => {
        const query = "McasShadowItReporting | summarize Records = count(), Bytes = sum(TotalBytes), Blocked = sum(BlockedEvents) by Day = bin(TimeGenerated, 1d), Tags = tostring(AppTags)";
        const t = table(await clientFor(emulator).queryWorkspace(emulator.workspaceId, query, WHOLE_RANGE));
        assert.deepEqual(t.columnDescriptors, [
            { name: "Day", type: "datetime" }, { name: "Tags", type: "string" }, { name: "Records", type: "long" },
            { name: "Bytes", type: "long" }, { name: "Blocked", type: "long" },
        ]);
        const expected = new Map<string, [number, number, number]>();
        for (const r of rows) {
            const key = `${new Date(Math.floor(r.TimeGenerated.getTime() / DAY) * DAY).toISOString()}|${JSON.stringify(r.AppTags)}`;
            const acc = expected.get(key) ?? [0, 0, 0];
            expected.set(key, [acc[0] + 1, acc[1] + r.TotalBytes, acc[2] + r.BlockedEvents]);
        }
        const actual = new Map(t.rows.map(r => [`${(r[0] as Date).toISOString()}|${String(r[1])}`, [r[2], r[3], r[4]]]));
        assert.deepEqual(actual, expected);
    });

    test("the companion's own daily aggregate adds up to the raw rows", async () => {
        const t = table(await clientFor(emulator).queryWorkspace(emulator.workspaceId, aggregateQuery("McasShadowItReporting", "day"), WHOLE_RANGE));
        const index = (name: string): number => t.columnDescriptors.findIndex(c => c.name === name);
        const total = (name: string): number => t.rows.reduce((s, r) => s + (r[index(name)] as number), 0);
        assert.equal(total("Records"), rows.length);
        assert.equal(total("TotalBytes"), rows.reduce((s, r) => s + r.TotalBytes, 0));
        assert.equal(total("DownloadedBytes"), rows.reduce((s, r) => s + r.DownloadedBytes, 0));
    });

    test("statistics on request", async () => {
        const result = await clientFor(emulator).queryWorkspace(emulator.workspaceId, "McasShadowItReporting | take 5", WHOLE_RANGE, { includeQueryStatistics: true });
        const stats = result.statistics as { query?: { executionTime?: number; datasetStatistics?: { tableRowCount: number }[] } } | undefined;
        assert.equal(typeof stats?.query?.executionTime, "number");
        assert.equal(stats?.query?.datasetStatistics?.[0].tableRowCount, 5);
        const plain = await clientFor(emulator).queryWorkspace(emulator.workspaceId, "McasShadowItReporting | take 5", WHOLE_RANGE);
        assert.equal(plain.statistics, undefined);
    });

    test("rows appended later are served", async () => {
        const late = { ...rows[0], TimeGenerated: new Date(END.getTime() + 3_600_000), UserName: "late.arrival@contoso.example" };
        await emulator.appendRows("McasShadowItReporting", [late]);
        const t = table(await clientFor(emulator).queryWorkspace(emulator.workspaceId, "McasShadowItReporting | where UserName == 'late.arrival@contoso.example' | project TimeGenerated", { startTime: END, endTime: new Date(END.getTime() + DAY) }));
        assert.deepEqual(t.rows, [[late.TimeGenerated]]);
        const sql = await emulator.query("SELECT count(*)::INTEGER AS n FROM McasShadowItReporting");
        assert.equal(sql[0].n, rows.length + 1);
    });
});

describe("batches", () => {
    test("queryBatch: each query answered on its own, failures included", async () => {
        const results = await clientFor(emulator).queryBatch([
            { workspaceId: emulator.workspaceId, query: "McasShadowItReporting | count", timespan: WHOLE_RANGE },
            { workspaceId: emulator.workspaceId, query: "McasShadowItReporting | where", timespan: WHOLE_RANGE },
            { workspaceId: "00000000-0000-4000-8000-000000000000", query: "McasShadowItReporting | count", timespan: WHOLE_RANGE },
            { workspaceId: emulator.workspaceId, query: "SigninLogs | summarize n = count()", timespan: WHOLE_RANGE, includeQueryStatistics: true },
        ]);
        assert.equal(results.length, 4);
        const [count, syntax, missing, signins] = results as LogsQueryResult[];
        assert.equal(count.status, "Success");
        if (count.status === "Success") assert.ok((count.tables[0].rows[0][0] as number) >= rows.length);
        assert.equal(syntax.status, "PartialFailure");
        if (syntax.status === "PartialFailure") assert.equal(syntax.partialError.code, "BadArgumentError");
        assert.equal(missing.status, "PartialFailure");
        if (missing.status === "PartialFailure") assert.equal(missing.partialError.code, "WorkspaceNotFoundError");
        assert.equal(signins.status, "Success");
        assert.ok(signins.statistics);
    });

    test("a malformed batch is a 400", async () => {
        const response = await raw(emulator, "/$batch", {
            method: "POST", headers: { Authorization: `Bearer ${emulator.token}`, "Content-Type": "application/json" },
            body: JSON.stringify({ requests: [] }),
        });
        assert.equal(response.status, 400);
        const notJson = await raw(emulator, "/$batch", {
            method: "POST", headers: { Authorization: `Bearer ${emulator.token}`, "Content-Type": "application/json" }, body: "{requests",
        });
        assert.equal(notJson.status, 400);
        assert.deepEqual(innerErrorOf(notJson), { code: "InvalidBody", message: 'The request body is not valid JSON: send {"requests": [...]}.' });
        const get = await raw(emulator, "/$batch", { headers: { Authorization: `Bearer ${emulator.token}` } });
        assert.equal(get.status, 405);
    });
});

describe("errors in the service's shapes", () => {
    test("400 BadArgumentError with a SyntaxError inner error", async () => {
        const error = await restError(clientFor(emulator).queryWorkspace(emulator.workspaceId, "McasShadowItReporting | where", WHOLE_RANGE));
        assert.equal(error.statusCode, 400);
        assert.equal(error.code, "BadArgumentError");
        assert.equal(error.details?.error?.innererror?.code, "SyntaxError");
    });

    test("400 SemanticError for an unknown table or column", async () => {
        const table = await restError(clientFor(emulator).queryWorkspace(emulator.workspaceId, "McasShadowItReportin | take 1", WHOLE_RANGE));
        assert.equal(table.statusCode, 400);
        assert.equal(table.details?.error?.innererror?.code, "SemanticError");
        assert.match(table.details?.error?.innererror?.innererror?.message ?? "", /Failed to resolve table or column expression named 'McasShadowItReportin'/);
        const column = await restError(clientFor(emulator).queryWorkspace(emulator.workspaceId, "McasShadowItReporting | where AppNam == 'x'", WHOLE_RANGE));
        assert.equal(column.statusCode, 400);
        assert.match(column.details?.error?.innererror?.innererror?.message ?? "", /Failed to resolve scalar expression named 'AppNam'/);
    });

    test("400 for valid KQL outside the emulator's subset, naming the operator", async () => {
        const error = await restError(clientFor(emulator).queryWorkspace(emulator.workspaceId, "McasShadowItReporting | mv-expand AppTags", WHOLE_RANGE));
        assert.equal(error.statusCode, 400);
        assert.equal(error.code, "BadArgumentError");
        assert.match(error.details?.error?.innererror?.innererror?.message ?? "", /does not evaluate the 'mv-expand' operator/);
    });

    test("401 without a token, 403 for a wrong one, 401 when the token has expired", async () => {
        const missing = await raw(emulator, queryPath(emulator) + "?query=McasShadowItReporting%20%7C%20count");
        assert.equal(missing.status, 401);
        assert.equal((JSON.parse(missing.body.toString()) as { error: { code: string } }).error.code, "AuthenticationFailed");

        const wrong = await restError(clientFor(emulator, { token: "not-the-token" }).queryWorkspace(emulator.workspaceId, "McasShadowItReporting | count", WHOLE_RANGE));
        assert.equal(wrong.statusCode, 403);
        assert.equal(wrong.code, "InvalidAuthenticationToken");
        assert.equal(wrong.details?.error?.innererror?.code, "InvalidTokenError");

        emulator.setFaults({ expiredToken: true });
        try {
            const expired = await restError(clientFor(emulator).queryWorkspace(emulator.workspaceId, "McasShadowItReporting | count", WHOLE_RANGE));
            assert.equal(expired.statusCode, 401);
            assert.equal(expired.code, "InvalidAuthenticationToken");
            assert.equal(expired.details?.error?.message, "The provided authentication is not valid for this resource.");
            assert.equal(expired.details?.error?.innererror?.code, "ExpiredAuthenticationToken");
        } finally {
            emulator.setFaults({});
        }
    });

    test("404 WorkspaceNotFoundError for another workspace", async () => {
        const error = await restError(clientFor(emulator).queryWorkspace("00000000-0000-4000-8000-000000000000", "McasShadowItReporting | count", WHOLE_RANGE));
        assert.equal(error.statusCode, 404);
        assert.equal(error.code, "WorkspaceNotFoundError");
    });

    test("504 GatewayTimeout when the server timeout passes", async () => {
        emulator.setFaults({ latencyMs: 1500 });
        try {
            const error = await restError(clientFor(emulator, { maxRetries: 0 }).queryWorkspace(emulator.workspaceId, "McasShadowItReporting | count", WHOLE_RANGE, { serverTimeoutInSeconds: 1 }));
            assert.equal(error.statusCode, 504);
            assert.equal(error.code, "GatewayTimeout");
        } finally {
            emulator.setFaults({});
        }
    });
});

describe("limits", () => {
    test("past the row limit: 200 with the rows so far and a PartialError", async () => {
        const result = await clientFor(limited, { token: "rows-limit-caller" }).queryWorkspace(limited.workspaceId, "McasShadowItReporting | project AppName, TotalBytes", WHOLE_RANGE);
        assert.equal(result.status, "PartialFailure");
        if (result.status !== "PartialFailure") return;
        assert.equal(result.partialTables[0].rows.length, 100);
        assert.equal(result.partialError.code, "PartialError");
        const detail = result.partialError.details?.[0] as { code?: string } | undefined;
        assert.equal(detail?.code, "EngineError");
        // Under the limit, the same emulator answers in full.
        const fits = await clientFor(limited, { token: "rows-limit-caller" }).queryWorkspace(limited.workspaceId, "McasShadowItReporting | take 100 | project AppScore", WHOLE_RANGE);
        assert.equal(fits.status, "Success");
    });

    test("past the size limit: truncated rows and the E_QUERY_RESULT_SET_TOO_LARGE inner error", async () => {
        const response = await raw(limited, queryPath(limited), {
            method: "POST",
            headers: { Authorization: "Bearer size-limit-caller", "Content-Type": "application/json" },
            body: JSON.stringify({ query: "McasShadowItReporting | take 90" }),
        });
        assert.equal(response.status, 200);
        const body = JSON.parse(response.body.toString()) as {
            tables: { rows: unknown[][] }[];
            error: { code: string; details: { code: string; innererror: { message: string } }[] };
        };
        const returned = body.tables[0].rows;
        assert.ok(returned.length > 0 && returned.length < 90, `rows: ${returned.length}`);
        assert.ok(returned.reduce((s, r) => s + JSON.stringify(r).length + 1, 0) <= 20_000);
        assert.equal(body.error.code, "PartialError");
        assert.equal(body.error.details[0].code, "EngineError");
        assert.match(body.error.details[0].innererror.message, /data size limit 20000 \(E_QUERY_RESULT_SET_TOO_LARGE/);
    });

    test("429 with Retry-After past the request rate; the SDK's retry gets through once the window passes", async () => {
        const noRetry = clientFor(limited, { token: "rate-caller", maxRetries: 0 });
        for (let i = 0; i < 3; i++) {
            assert.equal((await noRetry.queryWorkspace(limited.workspaceId, "McasShadowItReporting | count", WHOLE_RANGE)).status, "Success");
        }
        const throttled = await restError(noRetry.queryWorkspace(limited.workspaceId, "McasShadowItReporting | count", WHOLE_RANGE));
        assert.equal(throttled.statusCode, 429);
        const retryAfter = Number(throttled.response?.headers.get("retry-after"));
        assert.ok(retryAfter >= 1 && retryAfter <= 4, `Retry-After ${retryAfter}`);
        // Another caller has its own window.
        assert.equal((await clientFor(limited, { token: "other-caller", maxRetries: 0 }).queryWorkspace(limited.workspaceId, "McasShadowItReporting | count", WHOLE_RANGE)).status, "Success");
        const before = limited.requestCount();
        const retried = await clientFor(limited, { token: "rate-caller", maxRetries: 3 }).queryWorkspace(limited.workspaceId, "McasShadowItReporting | count", WHOLE_RANGE);
        assert.equal(retried.status, "Success");
        assert.ok(limited.requestCount() - before >= 2, "the first attempt was throttled and retried");
    });
});

describe("the wire", () => {
    test("GET with query and timespan in the URL answers like POST; gzip only when accepted", async () => {
        const query = "McasShadowItReporting | summarize n = count() by AppCategory | order by AppCategory asc";
        const timespan = `${WHOLE_RANGE.startTime.toISOString()}/${WHOLE_RANGE.endTime.toISOString()}`;
        const auth = { Authorization: `Bearer ${emulator.token}` };
        const get = await raw(emulator, `${queryPath(emulator)}?query=${encodeURIComponent(query)}&timespan=${encodeURIComponent(timespan)}`, { headers: { ...auth, "Accept-Encoding": "gzip" } });
        assert.equal(get.status, 200);
        assert.equal(get.headers["content-encoding"], "gzip");
        assert.match(String(get.headers["x-ms-request-id"]), /^[0-9a-f-]{36}$/);
        const fromGet = JSON.parse(gunzipSync(get.body).toString()) as unknown;

        const post = await raw(emulator, queryPath(emulator), { method: "POST", headers: { ...auth, "Content-Type": "application/json" }, body: JSON.stringify({ query, timespan }) });
        assert.equal(post.status, 200);
        assert.equal(post.headers["content-encoding"], undefined);
        assert.deepEqual(JSON.parse(post.body.toString()), fromGet);
        const parsed = fromGet as { tables: { name: string; columns: unknown[]; rows: unknown[][] }[] };
        assert.equal(parsed.tables[0].name, "PrimaryResult");
        assert.deepEqual(parsed.tables[0].columns, [{ name: "AppCategory", type: "string" }, { name: "n", type: "long" }]);
        assert.equal(parsed.tables[0].rows.reduce((s, r) => s + (r[1] as number), 0), rows.length);
    });

    test("bad bodies and timespans are 400 BadArgumentError", async () => {
        const auth = { Authorization: `Bearer ${emulator.token}`, "Content-Type": "application/json" };
        for (const body of ["{not json", JSON.stringify({ timespan: "P1D" }), JSON.stringify({ query: "McasShadowItReporting", timespan: "yesterday" })]) {
            const response = await raw(emulator, queryPath(emulator), { method: "POST", headers: auth, body });
            assert.equal(response.status, 400, body);
            assert.equal((JSON.parse(response.body.toString()) as { error: { code: string } }).error.code, "BadArgumentError");
        }
        const notJson = await raw(emulator, queryPath(emulator), { method: "POST", headers: auth, body: "{not json" });
        assert.deepEqual(innerErrorOf(notJson), { code: "InvalidBody", message: 'The request body is not valid JSON: send {"query": "...", "timespan": "..."}.' });
        const huge = JSON.stringify({ query: `McasShadowItReporting | where AppName == "${"x".repeat(4 * 1024 * 1024)}"`, timespan: "P1D" });
        const tooLarge = await raw(emulator, queryPath(emulator), { method: "POST", headers: auth, body: huge });
        assert.equal(tooLarge.status, 400);
        assert.deepEqual(innerErrorOf(tooLarge), { code: "RequestTooLarge", message: `The request body is larger than ${4 * 1024 * 1024} bytes.` });
        const unknownPath = await raw(emulator, "/workspaces", { headers: auth });
        assert.equal(unknownPath.status, 404);
    });

    test("only clients that trust the emulator's certificate get through", async () => {
        assert.equal(readFileSync(emulator.caPath, "utf8"), emulator.ca);
        const url = new URL(emulator.endpoint + queryPath(emulator));
        await assert.rejects(new Promise((resolve, reject) => {
            const req = request(url, { method: "GET" }, resolve);
            req.on("error", reject);
            req.end();
        }), /self.signed|certificate/i);
        assert.equal(url.hostname, "127.0.0.1");
    });
});

describe("fault injection", () => {
    test("503 with Retry-After twice, then success through the SDK's retries", async () => {
        emulator.setFaults({ next: ["503", "503"], retryAfterSeconds: 1 });
        const before = emulator.requestCount();
        const t = table(await clientFor(emulator).queryWorkspace(emulator.workspaceId, "McasShadowItReporting | count", WHOLE_RANGE));
        assert.equal(emulator.requestCount() - before, 3);
        assert.equal(typeof t.rows[0][0], "number");
    });

    test("503 past the retry budget surfaces as the error", async () => {
        emulator.setFaults({ next: ["503", "503"], retryAfterSeconds: 0 });
        const error = await restError(clientFor(emulator, { maxRetries: 1 }).queryWorkspace(emulator.workspaceId, "McasShadowItReporting | count", WHOLE_RANGE));
        assert.equal(error.statusCode, 503);
        assert.equal(error.code, "ServiceUnavailableError");
        emulator.setFaults({});
    });

    test("a dropped connection is retried", async () => {
        emulator.setFaults({ next: ["drop"] });
        const before = emulator.requestCount();
        const t = table(await clientFor(emulator).queryWorkspace(emulator.workspaceId, "McasShadowItReporting | count", WHOLE_RANGE));
        assert.equal(emulator.requestCount() - before, 2);
        assert.ok((t.rows[0][0] as number) >= rows.length);
        const noRetry = await restError((emulator.setFaults({ next: ["drop"] }), clientFor(emulator, { maxRetries: 0 }).queryWorkspace(emulator.workspaceId, "McasShadowItReporting | count", WHOLE_RANGE)));
        assert.match(noRetry.code ?? noRetry.message, /ECONNRESET|socket hang up/i);
    });

    test("a truncated body: the client sees an aborted response shorter than its Content-Length", async () => {
        emulator.setFaults({ next: ["truncate"] });
        const url = new URL(emulator.endpoint + `${queryPath(emulator)}?query=${encodeURIComponent("McasShadowItReporting | take 500")}`);
        const seen = await new Promise<{ declared: number; received: number; aborted: boolean }>((resolve, reject) => {
            const req = request(url, { ca: emulator.ca, headers: { Authorization: `Bearer ${emulator.token}`, "Accept-Encoding": "gzip" } }, res => {
                let received = 0;
                let aborted = false;
                res.on("data", (c: Buffer) => (received += c.length));
                res.on("aborted", () => (aborted = true));
                res.on("error", () => undefined);
                res.on("close", () => resolve({ declared: Number(res.headers["content-length"]), received, aborted }));
            });
            req.on("error", reject);
            req.end();
        });
        assert.ok(seen.aborted);
        assert.ok(seen.received > 0 && seen.received < seen.declared, JSON.stringify(seen));
    });

    test("a truncated body never passes through the SDK for a result", async () => {
        emulator.setFaults({ next: ["truncate"] });
        // The SDK pipes a gzip response through a decompressor that never learns the socket closed, so its promise
        // can stay pending: a client needs its own watchdog. What must never happen is a short result.
        const watchdog = new Promise<"pending">(resolve => setTimeout(() => resolve("pending"), 4000).unref());
        const outcome = await Promise.race([
            clientFor(emulator).queryWorkspace(emulator.workspaceId, rawQuery("McasShadowItReporting"), WHOLE_RANGE).then(r => r, (e: unknown) => e),
            watchdog,
        ]);
        emulator.setFaults({});
        if (outcome !== "pending" && !(outcome instanceof Error)) {
            assert.equal(table(outcome as LogsQueryResult).rows.length, rows.length + 1, "only a complete, retried result may come back");
        }
    });

    test("seeded random faults are reproducible", async () => {
        const draw = async (): Promise<number[]> => {
            emulator.setFaults({ probabilities: { "503": 0.5 }, seed: 7, retryAfterSeconds: 0 });
            const statuses: number[] = [];
            for (let i = 0; i < 8; i++) {
                const response = await raw(emulator, `${queryPath(emulator)}?query=McasShadowItReporting%20%7C%20count`, { headers: { Authorization: `Bearer ${emulator.token}` } });
                statuses.push(response.status);
            }
            return statuses;
        };
        const first = await draw();
        const second = await draw();
        emulator.setFaults({});
        assert.deepEqual(first, second);
        assert.ok(first.includes(503) && first.includes(200), first.join(","));
    });
});
