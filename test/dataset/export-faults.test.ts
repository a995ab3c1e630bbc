// Network and service faults, credentials and bad input: each ends in a retry that keeps every row, or in a clear
// error that names the workspace, table and window, and never in silently missing rows.
import assert from "node:assert/strict";
import { readdirSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { startEmulator, type FaultOptions, type RunningEmulator } from "../../src/dataset/emulator/index.ts";
import { UserError } from "../../src/dataset/errors.ts";
import { runExport, type ExportDeps, type ExportOptions } from "../../src/dataset/export/index.ts";
import { startOfCurrentUtcHour } from "../../src/dataset/sample/index.ts";
import { emulatorFigures, exportedFigures, tempDir } from "./export-helpers.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TABLE = "McasShadowItReporting";
const END = startOfCurrentUtcHour().getTime() - 2 * HOUR;
const START = END - 2 * DAY;
const iso = (ms: number) => new Date(ms).toISOString();
const WINDOW = /window \d{4}-\d{2}-\d{2}T[\d:.]+Z–\d{4}-\d{2}-\d{2}T[\d:.]+Z/;
/** Few, quick SDK retries so that persistent faults fail fast. */
const QUICK_RETRIES: ExportDeps = { clientOptions: { retryOptions: { maxRetries: 1, retryDelayInMs: 10, maxRetryDelayInMs: 50 } } };

async function rejectsWith(promise: Promise<unknown>, ...patterns: RegExp[]): Promise<UserError> {
    let caught: unknown;
    try {
        await promise;
    } catch (error) {
        caught = error;
    }
    assert.ok(caught instanceof UserError, `expected a UserError, got ${caught instanceof Error ? caught.stack : String(caught)}`);
    for (const pattern of patterns) assert.match(caught.message, pattern);
    assert.ok(caught.exitCode !== 0);
    return caught;
}

describe("export: faults", () => {
    let emulator: RunningEmulator;
    before(async () => {
        emulator = await startEmulator({ port: 0, rows: 2500, seed: 41, end: new Date(END), days: 4 });
    });
    after(async () => emulator?.close());

    const options = (out: string, extra: Partial<ExportOptions> = {}): ExportOptions => ({
        workspace: emulator.workspaceId, out, endpoint: emulator.endpoint, ca: emulator.caPath, token: emulator.token,
        since: iso(START), until: iso(END), rowBudget: 250, progress: "none", ...extra,
    });

    async function exportWithFaults(faults: FaultOptions, label: string) {
        const out = tempDir(`export-${label}`);
        emulator.setFaults(faults);
        const requestsBefore = emulator.requestCount();
        try {
            const summary = await runExport(options(out));
            const served = emulator.requestCount() - requestsBefore;
            const folder = path.join(out, emulator.workspaceId);
            const expected = await emulatorFigures(emulator, START, END);
            assert.deepEqual(Object.fromEntries(await exportedFigures(folder, TABLE, "parquet")), Object.fromEntries(expected));
            return { summary, served };
        } finally {
            emulator.setFaults({});
        }
    }

    it("retries 503 answers with Retry-After and keeps every row", async () => {
        const { summary, served } = await exportWithFaults({ next: ["503", "503"], retryAfterSeconds: 1 }, "503");
        assert.equal(served, summary.tables[0].requests + 2, "two extra requests: the SDK's retries");
    });

    it("retries 429 answers with Retry-After and keeps every row", async () => {
        const { summary, served } = await exportWithFaults({ next: ["429", "429"], retryAfterSeconds: 1 }, "429");
        assert.equal(served, summary.tables[0].requests + 2);
    });

    it("retries dropped connections and keeps every row", async () => {
        const { summary, served } = await exportWithFaults({ next: ["drop", "drop"] }, "drop");
        assert.equal(served, summary.tables[0].requests + 2);
    });

    it("retries truncated response bodies and keeps every row", async () => {
        const { summary, served } = await exportWithFaults({ next: ["truncate", "truncate"] }, "truncate");
        // A cut-off body is retried by the SDK (a reset connection) or by the export (a body that is not JSON).
        assert.ok(served >= summary.tables[0].requests && served <= summary.tables[0].requests + 2);
        assert.ok(served > summary.tables[0].windows + 1, "the faulted requests were answered again");
    });

    const persistent = (kind: "503" | "429" | "drop" | "truncate"): FaultOptions => ({ next: Array.from({ length: 40 }, () => kind), retryAfterSeconds: 1 });

    it("fails clearly after the retries when the service stays unavailable (503)", async () => {
        const out = tempDir("export-503-persistent");
        emulator.setFaults(persistent("503"));
        try {
            await rejectsWith(runExport(options(out), QUICK_RETRIES), /HTTP 503/, new RegExp(`workspace ${emulator.workspaceId}`), /table McasShadowItReporting/, WINDOW, /try again later/, /rerun the same command to resume/);
        } finally {
            emulator.setFaults({});
        }
        assert.deepEqual(readdirSync(path.join(out, emulator.workspaceId, TABLE)), []);

        // Once the service is back, a rerun without --since resumes from the failed run's start.
        const resumed = await runExport(options(out, { since: undefined }));
        assert.equal(resumed.tables[0].range?.start, iso(START));
        const expected = await emulatorFigures(emulator, START, END);
        assert.deepEqual(Object.fromEntries(await exportedFigures(path.join(out, emulator.workspaceId), TABLE, "parquet")), Object.fromEntries(expected));
    });

    it("fails clearly after the retries when still throttled (429)", async () => {
        const out = tempDir("export-429-persistent");
        emulator.setFaults(persistent("429"));
        try {
            await rejectsWith(runExport(options(out), QUICK_RETRIES), /HTTP 429/, /Still throttled/, /table McasShadowItReporting/, WINDOW);
        } finally {
            emulator.setFaults({});
        }
    });

    it("fails clearly when connections keep dropping", async () => {
        const out = tempDir("export-drop-persistent");
        emulator.setFaults(persistent("drop"));
        try {
            await rejectsWith(runExport(options(out), QUICK_RETRIES), /cannot reach https:\/\/127\.0\.0\.1:\d+\/v1/, /table McasShadowItReporting/, WINDOW);
        } finally {
            emulator.setFaults({});
        }
    });

    it("fails clearly when response bodies keep arriving cut off", async () => {
        const out = tempDir("export-truncate-persistent");
        emulator.setFaults(persistent("truncate"));
        try {
            await rejectsWith(runExport(options(out), QUICK_RETRIES), /table McasShadowItReporting/, WINDOW, /cut off|cannot reach/);
        } finally {
            emulator.setFaults({});
        }
        assert.deepEqual(readdirSync(path.join(out, emulator.workspaceId, TABLE)), []);
    });

    it("says to sign in again when the token has expired (401)", async () => {
        emulator.setFaults({ expiredToken: true });
        try {
            await rejectsWith(runExport(options(tempDir("export-expired"))), /HTTP 401/, /expired/, /sign in again/, /az login/);
        } finally {
            emulator.setFaults({});
        }
    });

    it("names the role to ask for when the token is refused (403)", async () => {
        await rejectsWith(runExport(options(tempDir("export-403"), { token: "not-the-token" })), /HTTP 403/, /Log Analytics Reader/);
    });

    it("says to check the workspace ID when the workspace does not exist (404)", async () => {
        await rejectsWith(runExport(options(tempDir("export-404"), { workspace: "0b5f6d4c-1a2b-4c3d-8e9f-001122334455" })), /HTTP 404/, /workspace was not found/, /0b5f6d4c-1a2b-4c3d-8e9f-001122334455/);
    });

    it("explains how to trust the emulator's certificate when it is not given", async () => {
        await rejectsWith(runExport(options(tempDir("export-tls"), { ca: undefined }), { ...QUICK_RETRIES, env: {} }), /cannot connect securely/, /--ca/);
    });
});

describe("export: the service's request rate", () => {
    let emulator: RunningEmulator;
    before(async () => {
        emulator = await startEmulator({ port: 0, rows: 1200, seed: 43, end: new Date(END), days: 2, rateLimit: { requests: 4, perSeconds: 2 } });
    });
    after(async () => emulator?.close());

    it("waits out 429 answers past the rate limit and keeps every row", async () => {
        const out = tempDir("export-rate");
        const summary = await runExport({
            workspace: emulator.workspaceId, out, endpoint: emulator.endpoint, ca: emulator.caPath, token: emulator.token,
            since: iso(END - DAY), until: iso(END), rowBudget: 100, progress: "none",
        });
        assert.ok(summary.tables[0].windows > 4, "more windows than the rate allows at once");
        const expected = await emulatorFigures(emulator, END - DAY, END);
        assert.deepEqual(Object.fromEntries(await exportedFigures(path.join(out, emulator.workspaceId), TABLE, "parquet")), Object.fromEntries(expected));
    });
});

describe("export: bad input", () => {
    let emulator: RunningEmulator;
    before(async () => {
        emulator = await startEmulator({ port: 0, rows: 500, seed: 47, end: new Date(END), days: 2 });
    });
    after(async () => emulator?.close());

    const base = (extra: Partial<ExportOptions>): ExportOptions => ({
        workspace: emulator.workspaceId, out: tempDir("export-bad"), endpoint: emulator.endpoint, ca: emulator.caPath, token: emulator.token, progress: "none", ...extra,
    });

    async function refusedBeforeQuerying(options: ExportOptions, ...patterns: RegExp[]) {
        const requests = emulator.requestCount();
        await rejectsWith(runExport(options), ...patterns);
        assert.equal(emulator.requestCount(), requests, "nothing was queried");
    }

    it("refuses a workspace that is not a GUID", () => refusedBeforeQuerying(base({ workspace: "contoso-sentinel" }), /--workspace "contoso-sentinel" is not a workspace ID/, /GUID/));
    it("refuses an unknown table", () => refusedBeforeQuerying(base({ tables: ["AuditLogs"] }), /AuditLogs/, /supported tables: McasShadowItReporting, SecurityAlert, SigninLogs/));
    it("refuses --since after --until", () => refusedBeforeQuerying(base({ since: iso(END), until: iso(END - DAY) }), /is not before --until/));
    it("refuses --days that is not a positive integer", () => refusedBeforeQuerying(base({ days: "-3" }), /--days must be a positive whole number/));
    it("refuses an --endpoint over plain http", () => refusedBeforeQuerying(base({ endpoint: emulator.endpoint.replace("https:", "http:") }), /must use https/));
    it("refuses a --ca file that does not exist", () => refusedBeforeQuerying(base({ ca: path.join(tempDir("export-noca"), "missing.pem") }), /cannot read the CA certificate/));

    it("refuses an --out that is a file, or inside one, before querying", async () => {
        const dir = tempDir("export-out-file");
        const file = path.join(dir, "not-a-folder");
        writeFileSync(file, "x");
        await refusedBeforeQuerying(base({ out: file }), /is a file, not a folder/);
        await refusedBeforeQuerying(base({ out: path.join(file, "sub") }), /cannot write to the output folder/, /ENOTDIR|EEXIST/);
        assert.ok(!existsSync(path.join(file, "sub")));
    });
});
