// The generated M's error handling against the answers the Log Analytics query API gives, served by the emulator
// (which copies Microsoft's "Azure Monitor Log Analytics API errors" and "Query limits" pages): a 400 carries
// `error.code` and `error.message`, which the M's Checked step turns into the refresh's error; a result over the
// row limit comes back 200 with `error` (PartialError) beside the truncated table, which the same step refuses.
// Power Query itself does not run here: the test sends each partition's own KQL as Web.Contents would (GET with
// query and timespan) and checks the response has what the M's Checked and ErrorOf steps read.
import { test } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:https";
import { startEmulator, type RunningEmulator } from "../../src/dataset/emulator/index.ts";
import { TABLE } from "../../src/dataset/report/index.ts";
import { sampleProject, textOf } from "./report-setup.ts";

const END = new Date("2026-03-02T10:00:00Z");

function unescapeMText(literal: string): string {
    return literal.slice(1, -1).replace(/""/g, "\"").replace(/#\(([^)]+)\)/g, (_, code: string) => {
        const named: Record<string, string> = { lf: "\n", cr: "\r", tab: "\t", "#": "#" };
        return named[code] ?? String.fromCodePoint(parseInt(code, 16));
    });
}

/** The partition's M and its KQL for one UTC day, the bounds spliced in as its StartText and EndText steps format them. */
function partition(table: string, day: string): { m: string; kql: string; timespan: string } {
    const m = textOf(sampleProject(), `Shadow IT.SemanticModel/definition/tables/${table}.tmdl`);
    const line = m.split("\n").find(l => l.trimStart().startsWith("Kql = "));
    assert.ok(line, `${table} has a Kql step`);
    const start = `${day}T00:00:00.000Z`;
    const end = new Date(Date.parse(start) + 86_400_000).toISOString();
    const parts = line.trim().replace(/^Kql = /, "").replace(/,$/, "").match(/"(?:[^"]|"")*"|StartText|EndText/g) ?? [];
    const kql = parts.map(p => (p === "StartText" ? start : p === "EndText" ? end : unescapeMText(p))).join("");
    return { m, kql, timespan: `${start}/${end}` };
}

/** Web.Contents' GET: RelativePath v1/workspaces/<id>/query, Query [query, timespan], the Prefer header. */
function get(emulator: RunningEmulator, kql: string, timespan: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const url = new URL(`${emulator.endpoint}/workspaces/${emulator.workspaceId}/query`);
    url.searchParams.set("query", kql);
    url.searchParams.set("timespan", timespan);
    return new Promise((resolve, reject) => {
        const req = request(url, { method: "GET", ca: emulator.ca, headers: { Authorization: `Bearer ${emulator.token}`, Prefer: "wait=600" } }, res => {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => { text += chunk; });
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
        });
        req.on("error", reject);
        req.end();
    });
}

const CHECKED = [
    "ErrorOf = (r as record) as record => if Record.HasFields(r, \"error\") then r[error] else [code = \"HTTP \" & Text.From(Status), message = \"the request was refused\"],",
    "MessagesOf = (e as any) as list => if not Value.Is(e, type record) then {} else",
    "    (if Record.HasFields(e, \"message\") then {Text.TrimEnd(Text.From(e[message]), \".\")} else {})",
    "    & (if Record.HasFields(e, \"innererror\") then @MessagesOf(e[innererror]) else {})",
    "    & (if Record.HasFields(e, \"details\") and Value.Is(e[details], type list) then List.Combine(List.Transform(e[details], @MessagesOf)) else {}),",
    "Checked = if Status = 400 or Record.HasFields(Response, \"error\") then",
    "        error Error.Record(\"Log Analytics: \" & ErrorOf(Response)[code], Text.Combine(List.Distinct(MessagesOf(ErrorOf(Response))), \": \"), ErrorOf(Response))",
    "    else Response,",
];

/** The M's MessagesOf: every message of the error, outermost first, inner errors before details. */
function messagesOf(e: unknown): string[] {
    if (typeof e !== "object" || e === null || Array.isArray(e)) return [];
    const r = e as { message?: unknown; innererror?: unknown; details?: unknown };
    return [
        ...("message" in r ? [String(r.message).replace(/\.+$/, "")] : []),
        ...("innererror" in r ? messagesOf(r.innererror) : []),
        ...(Array.isArray(r.details) ? r.details.flatMap(messagesOf) : []),
    ];
}

/** What the M's Checked step does with an answer: the error it raises, or null when it loads the rows. */
function refreshError(status: number, body: Record<string, unknown>): string | null {
    if (status !== 400 && !("error" in body)) return null;
    const error = body.error as { code?: unknown } | undefined;
    assert.equal(typeof error?.code, "string", "the API's error has a code");
    return `Log Analytics: ${String(error?.code)}: ${[...new Set(messagesOf(error))].join(": ")}`;
}

test("a 400 fails the refresh with the API's own message; a partial result fails it too, never loading truncated rows", async () => {
    // A workspace without the Entra ID connector (no SigninLogs); one whose row limit is below a day of sign-ins; one
    // with the service's limits. (The emulator does not evaluate count_distinct, so the sign-ins' query is the one sent.)
    const options = { port: 0, rows: 3000, seed: 5, end: END, days: 10 };
    const missing = await startEmulator({ ...options, tables: ["McasShadowItReporting"] });
    const limited = await startEmulator({ ...options, rowLimit: 5 });
    const roomy = await startEmulator(options);
    try {
        for (const table of [TABLE.appDaily, TABLE.signins]) {
            const m = partition(table, "2026-03-01").m;
            for (const line of CHECKED) assert.match(m, new RegExp(`\\n\\t+ {4}${line.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\n`), `${table}'s M has the line ${line}`);
            assert.match(m, /ManualStatusHandling = \{400\}/);
        }
        const signins = partition(TABLE.signins, "2026-03-01");

        const refused = await get(missing, signins.kql, signins.timespan);
        assert.equal(refused.status, 400, JSON.stringify(refused.body));
        // The outer message is generic; the table the workspace lacks is named in the inner errors.
        assert.match(refreshError(refused.status, refused.body) ?? "", /^Log Analytics: BadArgumentError: The request had some invalid properties: .*SigninLogs/);

        const partial = await get(limited, signins.kql, signins.timespan);
        assert.equal(partial.status, 200, JSON.stringify(partial.body));
        const tables = partial.body.tables as { rows: unknown[] }[];
        assert.equal(tables[0]?.rows.length, 5, "the rows are cut at the limit");
        assert.match(refreshError(partial.status, partial.body) ?? "", /^Log Analytics: PartialError: .*(limit|exceeded)/i);

        // The same day under the limits loads.
        const whole = await get(roomy, signins.kql, signins.timespan);
        assert.equal(whole.status, 200, JSON.stringify(whole.body));
        assert.equal(refreshError(whole.status, whole.body), null);
        assert.ok((whole.body.tables as { rows: unknown[] }[])[0].rows.length > 5);
    } finally {
        await missing.close();
        await limited.close();
        await roomy.close();
    }
});
