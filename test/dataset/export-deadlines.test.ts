// Deadlines on every request: an endpoint that accepts the connection and never answers, one that never starts
// its answer, and one that sends the headers and stalls the body each end the export within the deadline with a
// message naming the endpoint, workspace, table and window, and leave no lock behind.
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import https from "node:https";
import type { AbortSignalLike } from "@azure/abort-controller";
import type { AccessToken, TokenCredential } from "@azure/identity";
import net from "node:net";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { createCertificate } from "../../src/dataset/emulator/certificate.ts";
import { runExport, type ExportOptions } from "../../src/dataset/export/index.ts";
import { serverTimeoutFor } from "../../src/dataset/export/options.ts";
import { LOCK_NAME } from "../../src/dataset/export/lock.ts";
import { runShadowit } from "./cli-process.ts";
import { DAY, END, iso, NOW, rejectsWithUserError, TABLE, tempDir } from "./export-setup.ts";

const WORKSPACE = "0b5f6d4c-1a2b-4c3d-8e9f-001122334455";
const START = END - 2 * DAY;
const WINDOW = /window \d{4}-\d{2}-\d{2}T[\d:.]+Z–\d{4}-\d{2}-\d{2}T[\d:.]+Z/;
/** Time allowed past a deadline for the run to wind down (lock, manifest, DuckDB) on a busy machine. */
const MARGIN_MS = 5000;
/** The old code never ended: a test that hangs fails on this instead. */
const TEST_TIMEOUT = { timeout: 60_000 };

interface Endpoint {
    readonly url: string;
    /** Connections the server accepted. */
    readonly connections: () => number;
    readonly close: () => Promise<void>;
}

/** Listens on 127.0.0.1 port 0 and closes every connection still open when the server is closed. */
async function listen(server: net.Server): Promise<Endpoint> {
    const sockets = new Set<net.Socket>();
    let connections = 0;
    server.on("connection", socket => {
        connections++;
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `https://127.0.0.1:${port}/v1`,
        connections: () => connections,
        close: () => new Promise<void>(resolve => {
            for (const socket of sockets) socket.destroy();
            server.close(() => resolve());
        }),
    };
}

function options(out: string, endpoint: string, extra: Partial<ExportOptions> = {}): ExportOptions {
    return {
        workspace: WORKSPACE, out, endpoint, token: "not-checked", since: iso(START), until: iso(END), now: new Date(NOW),
        progress: "none", connectTimeout: 1, responseTimeout: 1, transferTimeout: 1, ...extra,
    };
}

/** Runs the export, which must fail; returns the error and how long it took. */
async function failingRun(opts: ExportOptions, stderr?: { write(text: string): unknown }, ...patterns: RegExp[]): Promise<{ message: string; elapsedMs: number }> {
    const started = performance.now();
    const error = await rejectsWithUserError(runExport(opts, { stderr, env: {} }), ...patterns);
    const lock = path.join(opts.out, WORKSPACE, LOCK_NAME);
    assert.equal(existsSync(lock), false, "the lock is released");
    assert.equal(error.exitCode, 1, "a runtime failure, not a usage error");
    return { message: error.message, elapsedMs: performance.now() - started };
}

describe("export: an endpoint that accepts and never answers (black hole)", () => {
    let hole: Endpoint;
    before(async () => {
        hole = await listen(net.createServer(() => undefined));
    });
    after(() => hole.close());

    it("fails within the connect timeout, naming the endpoint, workspace, table and window", TEST_TIMEOUT, async () => {
        const out = tempDir("deadline-connect");
        const connectionsBefore = hole.connections();
        const { message, elapsedMs } = await failingRun(options(out, hole.url, { connectTimeout: 1.5, responseTimeout: 20 }), undefined,
            new RegExp(`could not connect to ${hole.url.replace(/[./]/g, "\\$&")} within the 1\\.5 s connect timeout \\(--connect-timeout\\)`),
            new RegExp(`workspace ${WORKSPACE}`), new RegExp(`table ${TABLE}`), WINDOW, /rerun the same command to resume/);
        assert.ok(elapsedMs >= 1500 && elapsedMs < 1500 + MARGIN_MS, `ended after ${Math.round(elapsedMs)} ms`);
        assert.doesNotMatch(message, /\n\s+at /, "no stack trace");
        assert.equal(hole.connections() - connectionsBefore, 1, "the export reached the black hole once: a missed deadline is not retried");
    });

    it("fails within the connect and response timeouts when the sign-in never answers, and aborts the token request", TEST_TIMEOUT, async () => {
        let tokenSignal: AbortSignalLike | undefined;
        const hung: TokenCredential = {
            getToken: (_scopes, options) => {
                tokenSignal = options?.abortSignal;
                return new Promise<AccessToken | null>(() => undefined);
            },
        };
        const started = performance.now();
        const connectionsBefore = hole.connections();
        const error = await rejectsWithUserError(runExport(options(tempDir("deadline-token"), hole.url, { connectTimeout: 0.5, responseTimeout: 1 }), { credential: hung, env: {} }),
            /could not get an access token within 1\.5 s \(--connect-timeout plus --response-timeout\)/,
            new RegExp(`workspace ${WORKSPACE}`), new RegExp(`table ${TABLE}`), WINDOW, /az login/);
        const elapsedMs = performance.now() - started;
        assert.equal(error.exitCode, 1);
        assert.ok(elapsedMs >= 1500 && elapsedMs < 1500 + MARGIN_MS, `ended after ${Math.round(elapsedMs)} ms`);
        assert.equal(tokenSignal?.aborted, true, "the stalled token request was aborted");
        assert.equal(hole.connections(), connectionsBefore, "no query was sent without a token");
    });

    it("ends the command with exit code 1, the message and no stack trace, and leaves no lock", TEST_TIMEOUT, async () => {
        const out = tempDir("deadline-cli");
        const result = await runShadowit([
            "export", "--workspace", WORKSPACE, "--out", out, "--endpoint", hole.url, "--token", "not-checked",
            "--since", iso(START), "--until", iso(END), "--connect-timeout", "1", "--progress", "lines",
        ], { env: { ...process.env, SHADOWIT_CA_FILE: "", SHADOWIT_LOGS_ENDPOINT: "" }, killAfterMs: 45_000 });
        assert.equal(result.signal, null, "the export ended on its own");
        assert.equal(result.code, 1, result.stderr);
        assert.match(result.stderr, /^shadowit: could not connect to https:\/\/127\.0\.0\.1:\d+\/v1 within the 1 s connect timeout/m);
        assert.match(result.stderr, WINDOW);
        assert.doesNotMatch(result.stderr, /unexpected error|\n\s+at /);
        assert.equal(existsSync(path.join(out, WORKSPACE, LOCK_NAME)), false, "the lock is released");
    });
});

describe("export: a service that stalls after the TLS handshake", () => {
    let caFile: string;
    let silent: Endpoint;
    let stalledBody: Endpoint;
    before(async () => {
        const certificate = await createCertificate();
        caFile = path.join(tempDir("deadline-ca"), "ca.pem");
        writeFileSync(caFile, certificate.cert);
        // Reads the request and never answers.
        silent = await listen(https.createServer({ cert: certificate.cert, key: certificate.key }, () => undefined));
        // Sends the status line, the headers and the start of the body, then nothing more.
        stalledBody = await listen(https.createServer({ cert: certificate.cert, key: certificate.key }, (_req, res) => {
            res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" });
            res.write('{"tables":[{"name":"PrimaryResult","columns":[');
        }));
    });
    after(async () => {
        await silent.close();
        await stalledBody.close();
    });

    it("fails within the response timeout when no answer starts, and progress says what it waits for", TEST_TIMEOUT, async () => {
        const out = tempDir("deadline-response");
        let progress = "";
        const stderr = { write: (text: string) => (progress += text) };
        const { elapsedMs } = await failingRun(options(out, silent.url, { ca: caFile, responseTimeout: 2.5, progress: "lines", waitNoticeMs: 1000 }), stderr,
            /https:\/\/127\.0\.0\.1:\d+\/v1 did not start to answer within the 2\.5 s response timeout \(--response-timeout\)/,
            new RegExp(`workspace ${WORKSPACE}`), new RegExp(`table ${TABLE}`), WINDOW);
        assert.ok(elapsedMs >= 2500 && elapsedMs < 2500 + MARGIN_MS, `ended after ${Math.round(elapsedMs)} ms`);
        assert.match(progress, new RegExp(`${TABLE}: waiting for ${silent.url.replace(/[./]/g, "\\$&")} \\(window [^)]+\\), [12] s so far`));
    });

    it("fails within the transfer timeout when the body stalls after the headers", TEST_TIMEOUT, async () => {
        const out = tempDir("deadline-transfer");
        const { elapsedMs } = await failingRun(options(out, stalledBody.url, { ca: caFile, responseTimeout: 20, transferTimeout: 1.5 }), undefined,
            /the answer from https:\/\/127\.0\.0\.1:\d+\/v1 for workspace [-0-9a-f]+, table McasShadowItReporting, window .* was not complete within the 1\.5 s transfer timeout \(--transfer-timeout\)/);
        assert.ok(elapsedMs >= 1500 && elapsedMs < 1500 + MARGIN_MS, `ended after ${Math.round(elapsedMs)} ms`);
    });

    it("refuses a timeout that is not a positive number of seconds", async () => {
        const connectionsBefore = silent.connections();
        for (const [flag, value] of [["connectTimeout", "0"], ["responseTimeout", "soon"], ["transferTimeout", "7200"]] as const) {
            const error = await rejectsWithUserError(runExport(options(tempDir("deadline-bad"), silent.url, { [flag]: value })),
                /--(connect|response|transfer)-timeout must be a number of seconds above 0 and at most 3600/);
            assert.equal(error.exitCode, 2);
        }
        assert.equal(silent.connections(), connectionsBefore, "nothing was queried for a refused option");
    });
});

describe("export: the server timeout asked for", () => {
    it("stays below the response deadline, so the service's own timeout answer arrives before the deadline gives up", () => {
        assert.equal(serverTimeoutFor(300_000), 270, "the default: 30 s sooner");
        assert.equal(serverTimeoutFor(10_000), 7, "a quarter sooner for short deadlines");
        assert.equal(serverTimeoutFor(2_500), 1, "at least 1 s");
        assert.equal(serverTimeoutFor(3_600_000), 600, "at most the service's 600 s");
    });
});
