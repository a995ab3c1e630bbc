// `shadowit emulator`: option checking, the fault spec, and the real command run as a process that serves, prints
// what a user needs, and stops cleanly on SIGINT.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { emulatorOptionsFrom } from "../../src/dataset/commands/emulator.ts";
import { UserError } from "../../src/dataset/errors.ts";
import { FaultInjector, FaultSpecError, parseFaultSpec } from "../../src/dataset/emulator/faults.ts";
import { startEmulator } from "../../src/dataset/emulator/index.ts";
import { SAMPLE_WORKSPACE_ID } from "../../src/dataset/sample/index.ts";
import { runShadowit, type CliRun } from "./cli-process.ts";

const work = mkdtempSync(path.join(tmpdir(), "shadowit-emulator-cli-"));
after(() => rmSync(work, { recursive: true, force: true }));

const DEFAULTS = {
    port: "0", rows: "100", seed: "1", workspace: SAMPLE_WORKSPACE_ID, rowLimit: "500000", sizeLimit: "64000000", rateLimit: "200/30", schema: "defender",
};

describe("--faults", () => {
    test("probabilities, counted faults in order, latency, seed, Retry-After and expiry combine", () => {
        assert.deepEqual(parseFaultSpec("latency=200,503=0.1,drop=0.05,truncate=0.02,seed=7"), {
            latencyMs: 200, probabilities: { "503": 0.1, drop: 0.05, truncate: 0.02 }, seed: 7,
        });
        assert.deepEqual(parseFaultSpec("503:2,drop:1,429:1,retry-after=3,expired"), {
            next: ["503", "503", "drop", "429"], retryAfterSeconds: 3, expiredToken: true,
        });
        const injector = new FaultInjector(parseFaultSpec("503:2,drop:1"));
        assert.deepEqual([1, 2, 3, 4].map(() => injector.decide().fault), ["503", "503", "drop", undefined]);
    });

    test("mistakes name the item and the fix", () => {
        const cases: [string, RegExp][] = [
            ["503=2", /'503=2': a probability is between 0 and 1/],
            ["404:1", /Unknown fault '404'/],
            ["latency=-5", /non-negative number/],
            ["jitter=5", /Unknown fault 'jitter'.*use 503, 429, drop, truncate, latency/],
            ["503", /Cannot read the fault '503'/],
            ["seed=1.5", /seed must be a whole number/],
        ];
        for (const [spec, message] of cases) assert.throws(() => parseFaultSpec(spec), (e: unknown) => e instanceof FaultSpecError && message.test(e.message), spec);
    });
});

describe("option checking", () => {
    test("bad flags are UserErrors naming the flag", () => {
        const log = (): void => undefined;
        const cases: [Partial<typeof DEFAULTS> & { token?: string; anyToken?: boolean; faults?: string; caOut?: string }, RegExp][] = [
            [{ port: "70000" }, /--port "70000" is not valid/],
            [{ port: "http" }, /--port "http" is not valid/],
            [{ rows: "-1" }, /--rows "-1" is not valid/],
            [{ workspace: "my-workspace" }, /--workspace "my-workspace" is not a workspace ID/],
            [{ token: "abc", anyToken: true }, /--token and --any-token exclude each other/],
            [{ token: "two words" }, /--token must be a non-empty word/],
            [{ faults: "503=7" }, /--faults: '503=7': a probability/],
            [{ rowLimit: "0" }, /--row-limit "0" is not valid/],
            [{ sizeLimit: "lots" }, /--size-limit "lots" is not valid/],
            [{ rateLimit: "200" }, /--rate-limit "200" is not valid: write REQUESTS\/SECONDS/],
            [{ caOut: " " }, /--ca-out needs a file path/],
            [{ schema: "azure" }, /--schema "azure" is not a schema variant: use defender or azure-monitor/],
        ];
        for (const [flags, message] of cases) {
            assert.throws(() => emulatorOptionsFrom({ ...DEFAULTS, ...flags }, log), (e: unknown) => e instanceof UserError && message.test(e.message), JSON.stringify(flags));
        }
        const ok = emulatorOptionsFrom({ ...DEFAULTS, anyToken: true, faults: "503:1", rateLimit: "5/2" }, log);
        assert.equal(ok.token, "any");
        assert.deepEqual(ok.rateLimit, { requests: 5, perSeconds: 2 });
        assert.deepEqual(ok.faults, { next: ["503"] });
        assert.equal(ok.schema, "defender");
        assert.equal(emulatorOptionsFrom({ ...DEFAULTS, schema: "azure-monitor" }, log).schema, "azure-monitor");
    });
});

/** Runs the command; `onStdout` sees all its output so far and may stop it with SIGINT. */
function runCli(args: string[], onStdout?: (text: string, stop: () => void) => void): Promise<CliRun> {
    return runShadowit(args, {
        killAfterMs: 60_000,
        onOutput: ({ stdout }, child) => onStdout?.(stdout, () => child.kill("SIGINT")),
    });
}

function getStatus(url: string, ca: string, token: string): Promise<number> {
    return new Promise((resolve, reject) => {
        const req = request(url, { ca, headers: { Authorization: `Bearer ${token}` } }, res => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
        });
        req.on("error", reject);
        req.end();
    });
}

describe("the command", () => {
    test("serves, prints the endpoint, workspace, token and certificate, and stops on SIGINT", async () => {
        const caOut = path.join(work, "ca.pem");
        let status = 0;
        let checked = false;
        const run = await runCli(["emulator", "--port", "0", "--rows", "200", "--ca-out", caOut, "--token", "cli-test-token"], (text, stop) => {
            const endpoint = /listening on (https:\/\/127\.0\.0\.1:\d+\/v1)/.exec(text)?.[1];
            if (!endpoint || !text.includes("Stop it with Ctrl+C") || checked) return;
            checked = true;
            const query = encodeURIComponent("McasShadowItReporting | count");
            getStatus(`${endpoint}/workspaces/${SAMPLE_WORKSPACE_ID}/query?query=${query}`, readFileSync(caOut, "utf8"), "cli-test-token")
                .then(s => (status = s), () => (status = -1))
                .finally(stop);
        });
        assert.equal(run.code, 0, run.stderr);
        assert.equal(status, 200);
        assert.match(run.stdout, new RegExp(`workspace ID: +${SAMPLE_WORKSPACE_ID}`));
        assert.match(run.stdout, /bearer token: +cli-test-token/);
        assert.ok(run.stdout.includes(`CA certificate:  ${caOut}`));
        assert.match(run.stdout, /shadowit export --workspace \S+ --out export --endpoint https:\/\/127\.0\.0\.1:\d+\/v1 --ca "[^"]+" --token cli-test-token/);
        assert.match(readFileSync(caOut, "utf8"), /^-----BEGIN CERTIFICATE-----/);
        assert.match(run.stderr, /SIGINT, stopping/);
    });

    test("a port in use and a bad flag end with a clear message and exit code 2", async () => {
        const busy = await startEmulator({ rows: 10 });
        try {
            const run = await runCli(["emulator", "--port", String(busy.port), "--rows", "10"]);
            assert.equal(run.code, 2);
            assert.match(run.stderr, new RegExp(`shadowit: Port ${busy.port} on 127.0.0.1 is already in use`));
        } finally {
            await busy.close();
        }
        const bad = await runCli(["emulator", "--faults", "latency=fast"]);
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /shadowit: --faults: 'latency=fast': the value must be a non-negative number/);
    });
});
