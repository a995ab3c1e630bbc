import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DefaultSettings, TaskUtils } from "@microsoft/powerquery-parser";

const BIN = join(__dirname, "..", "..", "bin", "shadowit.mjs");
const WORKSPACE = "6f1c0f0e-1234-4bcd-9a0b-0123456789ab";

function shadowit(args: string[]) {
    return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 120_000 });
}

/** The Advanced Editor texts of the printed blocks, by query name. */
function blocksOf(stdout: string): Map<string, string> {
    const blocks = new Map<string, string>();
    const parts = stdout.split(/^\/\/ ===== Query \d+ of \d+: (\S+) =====\n/m);
    for (let i = 1; i < parts.length; i += 2) {
        const body = (parts[i + 1] ?? "").split("\n").filter(line => !line.startsWith("// ")).join("\n").trim();
        blocks.set(parts[i] ?? "", body);
    }
    return blocks;
}

async function parses(text: string): Promise<boolean> {
    return TaskUtils.isOk(await TaskUtils.tryLexParse(DefaultSettings, text));
}

test("shadowit m prints four pasteable queries that parse as M", async () => {
    const result = shadowit(["m", "--workspace", WORKSPACE, "--days", "14", "--grain", "hour", "--table", "SigninLogs"]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, "");
    const blocks = blocksOf(result.stdout);
    assert.deepEqual([...blocks.keys()], ["WorkspaceId", "RangeStart", "RangeEnd", "SigninLogs"]);
    for (const [name, text] of blocks) assert.ok(await parses(text), `${name} parses:\n${text}`);
    assert.ok(blocks.get("WorkspaceId")?.startsWith(`"${WORKSPACE}" meta [IsParameterQuery = true, Type = "Text"`));
    assert.match(blocks.get("SigninLogs") ?? "", /bin\(TimeGenerated, 1h\)/);
    assert.match(blocks.get("SigninLogs") ?? "", /Web\.Contents\("https:\/\/api\.loganalytics\.io"/);
});

test("--layout section prints one section document", async () => {
    const result = shadowit(["m", "--workspace", WORKSPACE, "--layout", "section"]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^section Section1;$/m);
    assert.ok(await parses(result.stdout));
});

test("--from-folder finds the workspace folder of an export when --workspace is omitted", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shadowit-m-"));
    try {
        const none = shadowit(["m", "--from-folder", dir]);
        assert.equal(none.status, 2);
        assert.match(none.stderr, /holds no <workspaceId> subfolder of an export; give --workspace <GUID>/);
        mkdirSync(join(dir, WORKSPACE, "McasShadowItReporting"), { recursive: true });
        const result = shadowit(["m", "--from-folder", dir]);
        assert.equal(result.status, 0, result.stderr);
        const blocks = blocksOf(result.stdout);
        assert.equal(blocks.get("WorkspaceId")?.slice(0, 38), `"${WORKSPACE}"`);
        assert.ok(blocks.get("McasShadowItReporting")?.includes("Folder.Files(TableFolder)"));
        for (const text of blocks.values()) assert.ok(await parses(text));
        mkdirSync(join(dir, "00000000-0000-0000-0000-000000000001"));
        const two = shadowit(["m", "--from-folder", dir]);
        assert.equal(two.status, 2);
        assert.match(two.stderr, /holds exports of 2 workspaces .*choose one with --workspace <GUID>/);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});

test("bad input: exit code 2 and a message naming the value and the fix; nothing on stdout", () => {
    const cases: [string[], RegExp][] = [
        [["m"], /--workspace is required/],
        [["m", "--workspace", "prod-sentinel"], /--workspace "prod-sentinel" is not a workspace ID: expected a GUID.*Overview page/],
        [["m", "--workspace", WORKSPACE, "--days", "1000"], /--days "1000" is not valid: give a whole number of days from 1 to 730/],
        [["m", "--workspace", WORKSPACE, "--grain", "month"], /use one of day, hour, none, raw/],
        [["m", "--workspace", WORKSPACE, "--table", "AADNonInteractiveUserSignInLogs"], /Entra ID table that is not supported yet/],
        [["m", "--workspace", WORKSPACE, "--table", "Usage"], /unknown table "Usage"; supported tables: McasShadowItReporting, SecurityAlert, SigninLogs/],
    ];
    for (const [args, message] of cases) {
        const result = shadowit(args);
        assert.equal(result.status, 2, args.join(" "));
        assert.match(result.stderr, /^shadowit: \S/);
        assert.match(result.stderr, message);
        assert.equal(result.stdout, "");
    }
});

test("--help documents the output, the layouts and the grains", () => {
    const result = shadowit(["m", "--help"]);
    assert.equal(result.status, 0);
    for (const text of ["--workspace <guid>", "--days <n>", "--grain <grain>", "--table <name>", "--from-folder <dir>", "--layout <layout>",
        "RelativePath", "RangeStart", "Advanced Editor", "IpAddress"]) {
        assert.ok(result.stdout.includes(text), text);
    }
});
