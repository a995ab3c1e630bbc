// Commander's own usage errors (unknown option, missing argument, invalid choice, unknown command) end like the
// commands' own validation errors: exit code 2 and one line on stderr that points at --help, not the whole help.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const BIN = join(__dirname, "..", "..", "bin", "shadowit.mjs");
const WORKSPACE = "6f1c0f0e-1234-4bcd-9a0b-0123456789ab";

function shadowit(args: string[]) {
    return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 120_000 });
}

test("every usage error exits 2 with one line naming the problem and the --help to run", () => {
    const cases: [string[], RegExp][] = [
        [["export", "--workspace", WORKSPACE, "--out", "out", "--format", "xlsx"],
            /^shadowit: option '--format <format>' argument 'xlsx' is invalid\. Allowed choices are parquet, csv\. \(run "shadowit export --help" to see the options\)\n$/],
        [["export", "--workspace", WORKSPACE, "--out", "out", "--sinse", "2026-01-01"], /^shadowit: unknown option '--sinse' \(Did you mean --since\?\) \(run "shadowit export --help"/],
        [["export", "--out", "out"], /^shadowit: required option '--workspace <guid>' not specified \(run "shadowit export --help"/],
        [["export", "--workspace", WORKSPACE, "--out", "out", "extra"], /^shadowit: too many arguments for 'export'.* \(run "shadowit export --help"/],
        [["m", "--workspace"], /^shadowit: option '-w, --workspace <guid>' argument missing \(run "shadowit m --help"/],
        [["sample", "--format", "xlsx", "--rows"], /^shadowit: option '--rows <n>' argument missing \(run "shadowit sample --help"/],
        [["emulator", "--bogus"], /^shadowit: unknown option '--bogus' \(run "shadowit emulator --help"/],
        [["exprot"], /^shadowit: unknown command 'exprot' \(Did you mean export\?\) \(run "shadowit --help" to see the commands\)\n$/],
        [[], /^shadowit: no command given: use one of m, export, check, report, sample, emulator \(run "shadowit --help" to see what each does\)\n$/],
    ];
    for (const [args, message] of cases) {
        const result = shadowit(args);
        const what = args.join(" ") || "(no arguments)";
        assert.equal(result.status, 2, `${what}: ${result.stderr}`);
        assert.match(result.stderr, message, what);
        assert.equal(result.stderr.split("\n").length, 2, `${what}: one line`);
        assert.equal(result.stdout, "", what);
    }
});

test("--help still prints the help on stdout and exits 0", () => {
    for (const args of [["--help"], ["export", "--help"], ["help", "export"]]) {
        const result = shadowit(args);
        assert.equal(result.status, 0, args.join(" "));
        assert.match(result.stdout, /^Usage: shadowit/);
        assert.equal(result.stderr, "");
    }
});
