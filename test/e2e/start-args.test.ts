// `npm start`'s own options: a bad one ends with one line and exit code 2, before anything is built.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const START = join(__dirname, "..", "..", "scripts", "start.mjs");

test("a bad npm start option exits 2 with one line that points at --help", () => {
    const cases: [string[], RegExp][] = [
        [["--bogus"], /^npm start: Unknown option '--bogus'.* \(run "npm start -- --help" to see the options\)\n$/],
        [["--data"], /^npm start: Option '--data <value>' argument missing \(run "npm start -- --help" to see the options\)\n$/],
        [["--rows", "many"], /^npm start: --rows must be a whole number, got "many"\n$/],
    ];
    const env = { ...process.env };
    delete env.PORT;
    for (const [args, message] of cases) {
        const result = spawnSync(process.execPath, [START, ...args], { encoding: "utf8", timeout: 60_000, env });
        assert.equal(result.status, 2, args.join(" "));
        assert.match(result.stderr, message, args.join(" "));
        assert.equal(result.stdout, "");
    }
});

test("npm start reads a relative --data path from the folder it was typed in, not from the package's folder", () => {
    // npm runs the script in the package's folder and passes the folder the command was typed in as INIT_CWD.
    const typedIn = mkdtempSync(join(tmpdir(), "shadowit-start-cwd-"));
    try {
        // A folder named like the file stops npm start before it builds anything: its message shows which path was read.
        mkdirSync(join(typedIn, "export.csv"));
        const env: NodeJS.ProcessEnv = { ...process.env, npm_lifecycle_event: "start", INIT_CWD: typedIn };
        delete env.PORT;
        const result = spawnSync(process.execPath, [START, "--data", "export.csv"], { cwd: join(__dirname, "..", ".."), encoding: "utf8", timeout: 60_000, env });
        assert.equal(result.status, 1, result.stderr);
        assert.equal(result.stderr, `npm start: ${join(typedIn, "export.csv")} is a folder: pass a CSV file exported from Log Analytics (McasShadowItReporting)\n`);
    } finally {
        rmSync(typedIn, { recursive: true, force: true });
    }
});
