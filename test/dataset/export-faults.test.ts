// Network and service faults, credentials and bad input: each ends in a retry that keeps every row, or in a clear
// error that names the workspace, table and window, and never in silently missing rows.
import assert from "node:assert/strict";
import { readdirSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import type { FaultOptions } from "../../src/dataset/emulator/index.ts";
import { runExport, type ExportDeps, type ExportOptions } from "../../src/dataset/export/index.ts";
import { assertExportMatches } from "./export-helpers.ts";
import { DAY, END, exportOptions, exportTarget, iso, rejectsWithUserError, suiteEmulator, TABLE, tempDir, withFaults } from "./export-setup.ts";

const START = END - 2 * DAY;
const WINDOW = /window \d{4}-\d{2}-\d{2}T[\d:.]+Z–\d{4}-\d{2}-\d{2}T[\d:.]+Z/;
/** Few, quick SDK retries so that persistent faults fail fast. */
const QUICK_RETRIES: ExportDeps = { clientOptions: { retryOptions: { maxRetries: 1, retryDelayInMs: 10, maxRetryDelayInMs: 50 } } };

describe("export: faults", () => {
    const running = suiteEmulator({ rows: 2500, seed: 41, days: 4 });
    const options = (out: string, extra: Partial<ExportOptions> = {}): ExportOptions =>
        exportOptions(running(), out, { since: iso(START), until: iso(END), rowBudget: 250, ...extra });

    async function exportWithFaults(faults: FaultOptions, label: string) {
        const emulator = running();
        const { out, folder } = exportTarget(emulator, `export-${label}`);
        return withFaults(emulator, faults, async () => {
            const requestsBefore = emulator.requestCount();
            const summary = await runExport(options(out));
            const served = emulator.requestCount() - requestsBefore;
            await assertExportMatches(emulator, folder, START, END);
            return { summary, served };
        });
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

    /** An export while every request meets the fault `kind`, which must fail with a UserError matching `patterns`. */
    async function failsUnderPersistent(kind: "503" | "429" | "drop" | "truncate", ...patterns: RegExp[]) {
        const emulator = running();
        const target = exportTarget(emulator, `export-${kind}-persistent`);
        const requestsBefore = emulator.requestCount();
        const error = await withFaults(emulator, persistent(kind), () => rejectsWithUserError(runExport(options(target.out), QUICK_RETRIES), ...patterns));
        return { ...target, error, served: emulator.requestCount() - requestsBefore };
    }

    /** The run stops at its first query (the row count), so every request served was an attempt at that query. */
    function assertAttemptsCounted(message: string, served: number): void {
        assert.ok(served >= 2, "the SDK retried");
        assert.match(message, new RegExp(`after ${served} attempts`), "the message counts the SDK's retries");
    }

    it("fails clearly after the retries when the service stays unavailable (503)", async () => {
        const { out, folder, error, served } = await failsUnderPersistent("503",
            /HTTP 503/, new RegExp(`workspace ${running().workspaceId}`), /table McasShadowItReporting/, WINDOW, /try again later/, /rerun the same command to resume/);
        assertAttemptsCounted(error.message, served);
        assert.deepEqual(readdirSync(path.join(folder, TABLE)), []);

        // Once the service is back, a rerun without --since resumes from the failed run's start.
        const resumed = await runExport(options(out, { since: undefined }));
        assert.equal(resumed.tables[0].range?.start, iso(START));
        await assertExportMatches(running(), folder, START, END);
    });

    it("fails clearly after the retries when still throttled (429)", async () => {
        const { error, served } = await failsUnderPersistent("429", /HTTP 429/, /Still throttled/, /table McasShadowItReporting/, WINDOW);
        assertAttemptsCounted(error.message, served);
    });

    it("fails clearly when connections keep dropping", async () => {
        const { error, served } = await failsUnderPersistent("drop", /cannot reach https:\/\/127\.0\.0\.1:\d+\/v1/, /table McasShadowItReporting/, WINDOW);
        assertAttemptsCounted(error.message, served);
    });

    it("fails clearly when response bodies keep arriving cut off", async () => {
        const { folder } = await failsUnderPersistent("truncate", /table McasShadowItReporting/, WINDOW, /cut off|cannot reach/);
        assert.deepEqual(readdirSync(path.join(folder, TABLE)), []);
    });

    it("says to sign in again when the token has expired (401)", async () => {
        await withFaults(running(), { expiredToken: true }, () =>
            rejectsWithUserError(runExport(options(tempDir("export-expired"))), /HTTP 401/, /expired/, /sign in again/, /az login/));
    });

    it("names the role to ask for when the token is refused (403)", async () => {
        await rejectsWithUserError(runExport(options(tempDir("export-403"), { token: "not-the-token" })), /HTTP 403/, /Log Analytics Reader/);
    });

    it("says to check the workspace ID when the workspace does not exist (404)", async () => {
        await rejectsWithUserError(runExport(options(tempDir("export-404"), { workspace: "0b5f6d4c-1a2b-4c3d-8e9f-001122334455" })), /HTTP 404/, /workspace was not found/, /0b5f6d4c-1a2b-4c3d-8e9f-001122334455/);
    });

    it("explains how to trust the emulator's certificate when it is not given", async () => {
        await rejectsWithUserError(runExport(options(tempDir("export-tls"), { ca: undefined }), { ...QUICK_RETRIES, env: {} }), /cannot connect securely/, /--ca/);
    });
});

describe("export: the service's request rate", () => {
    const running = suiteEmulator({ rows: 1200, seed: 43, days: 2, rateLimit: { requests: 4, perSeconds: 2 } });

    it("waits out 429 answers past the rate limit and keeps every row", async () => {
        const emulator = running();
        const { out, folder } = exportTarget(emulator, "export-rate");
        const summary = await runExport(exportOptions(emulator, out, { since: iso(END - DAY), until: iso(END), rowBudget: 100 }));
        assert.ok(summary.tables[0].windows > 4, "more windows than the rate allows at once");
        await assertExportMatches(emulator, folder, END - DAY, END);
    });
});

describe("export: bad input", () => {
    const running = suiteEmulator({ rows: 500, seed: 47, days: 2 });
    const base = (extra: Partial<ExportOptions>): ExportOptions => exportOptions(running(), tempDir("export-bad"), extra);

    async function refusedBeforeQuerying(options: ExportOptions, ...patterns: RegExp[]) {
        const requests = running().requestCount();
        await rejectsWithUserError(runExport(options), ...patterns);
        assert.equal(running().requestCount(), requests, "nothing was queried");
    }

    it("refuses a workspace that is not a GUID", () => refusedBeforeQuerying(base({ workspace: "contoso-sentinel" }), /--workspace "contoso-sentinel" is not a workspace ID/, /GUID/));
    it("refuses an unknown table", () => refusedBeforeQuerying(base({ tables: ["AuditLogs"] }), /AuditLogs/, /supported tables: McasShadowItReporting, SecurityAlert, SigninLogs/));
    it("refuses --since after --until", () => refusedBeforeQuerying(base({ since: iso(END), until: iso(END - DAY) }), /is not before --until/));
    it("refuses --days that is not a positive integer", () => refusedBeforeQuerying(base({ days: "-3" }), /--days must be a positive whole number/));
    it("refuses an --endpoint over plain http", () => refusedBeforeQuerying(base({ endpoint: running().endpoint.replace("https:", "http:") }), /must use https/));
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
