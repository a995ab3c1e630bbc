// `npm start`'s own options: a bad one ends with one line and exit code 2, before anything is built.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
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
