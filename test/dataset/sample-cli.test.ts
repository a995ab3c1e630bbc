import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mcasRows, securityAlertRows, signinRows, writeSample } from "../../src/dataset/sample/index.ts";
import { parseEnd, parseRows } from "../../src/dataset/sample/cli-options.ts";
import { UserError } from "../../src/dataset/errors.ts";
import { MCAS_SHADOW_IT_REPORTING, SIGNIN_LOGS } from "../../src/schema.ts";

const BIN = join(__dirname, "..", "..", "bin", "shadowit.mjs");

function shadowit(args: string[]) {
    return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 120_000 });
}

/** RFC 4180 reader for the checks (quoted fields with commas, doubled quotes and line breaks). */
function parseCsv(text: string): string[][] {
    const rows: string[][] = [];
    let row: string[] = [];
    let field = "";
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (quoted) {
            if (ch === "\"" && text[i + 1] === "\"") { field += "\""; i++; }
            else if (ch === "\"") quoted = false;
            else field += ch;
        } else if (ch === "\"") quoted = true;
        else if (ch === ",") { row.push(field); field = ""; }
        else if (ch === "\n") { row.push(field); rows.push(row); row = []; field = ""; }
        else field += ch;
    }
    if (field !== "" || row.length > 0) { row.push(field); rows.push(row); }
    return rows;
}

function tempDir(): string {
    return mkdtempSync(join(tmpdir(), "shadowit-sample-"));
}

test("shadowit sample writes three CSV files with the portal header that hold exactly the generated rows", () => {
    const dir = tempDir();
    try {
        const result = shadowit(["sample", "--out", dir, "--rows", "3000", "--seed", "11", "--days", "5", "--end", "2026-11-01"]);
        assert.equal(result.status, 0, result.stderr);
        const options = { rows: 3000, seed: 11, days: 5, end: new Date("2026-11-01T00:00:00Z") };
        // 3,000 per-source records and the Global view rows that sum them per day, app, user and address.
        const written = [...mcasRows(options)].length;
        assert.equal([...mcasRows(options)].filter(row => row.StreamName !== "Global view").length, 3000);
        const count = (n: number) => n.toLocaleString("en-US");
        assert.match(result.stderr, new RegExp(`sample: McasShadowItReporting: wrote ${count(written)} rows to `));
        assert.match(result.stderr, new RegExp(`sample: done, ${count(written + 45 + 600)} rows in 3 files`));
        assert.deepEqual(readdirSync(dir).sort(), ["McasShadowItReporting.csv", "SecurityAlert.csv", "SigninLogs.csv"]);

        const mcas = parseCsv(readFileSync(join(dir, "McasShadowItReporting.csv"), "utf8"));
        const header = mcas[0] ?? [];
        assert.deepEqual(header, MCAS_SHADOW_IT_REPORTING.columns.map(c => c.name === "TimeGenerated" ? "TimeGenerated [UTC]" : c.name));
        const expected = [...mcasRows(options)];
        assert.equal(mcas.length - 1, expected.length);
        const col = (name: string) => header.indexOf(name);
        let fileBytes = 0;
        let expectedBytes = 0;
        mcas.slice(1).forEach((cells, i) => {
            const row = expected[i];
            assert.ok(row);
            assert.equal(cells.length, header.length);
            assert.equal(cells[col("TimeGenerated [UTC]")], row.TimeGenerated.toISOString());
            assert.deepEqual(JSON.parse(cells[col("AppTags")] ?? ""), row.AppTags);
            assert.equal(cells[col("AppName")], row.AppName);
            fileBytes += Number(cells[col("TotalBytes")]);
            expectedBytes += row.TotalBytes;
        });
        assert.equal(fileBytes, expectedBytes);

        const alerts = parseCsv(readFileSync(join(dir, "SecurityAlert.csv"), "utf8"));
        assert.equal(alerts.length - 1, [...securityAlertRows(options)].length);
        assert.ok(alerts[0]?.includes("StartTime [UTC]"));
        const signins = parseCsv(readFileSync(join(dir, "SigninLogs.csv"), "utf8"));
        const signinHeader = signins[0] ?? [];
        assert.equal(signins.length - 1, [...signinRows(options)].length);
        assert.equal(signinHeader.length, SIGNIN_LOGS.columns.length);
        const device = JSON.parse(signins[1]?.[signinHeader.indexOf("DeviceDetail")] ?? "") as { operatingSystem?: string };
        assert.equal(typeof device.operatingSystem, "string", "dynamic columns are JSON text");
        assert.ok(["true", "false"].includes(signins[1]?.[signinHeader.indexOf("IsInteractive")] ?? ""));
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});

test("--format jsonl writes one JSON object per row in schema order", async () => {
    const dir = tempDir();
    try {
        const files = await writeSample(dir, { rows: 500, seed: 2, end: new Date("2026-11-01T00:00:00Z"), format: "jsonl" });
        const written = [...mcasRows({ rows: 500, seed: 2, end: new Date("2026-11-01T00:00:00Z") })].length;
        assert.deepEqual(files.map(f => [f.table, f.rows]), [["McasShadowItReporting", written], ["SecurityAlert", 8], ["SigninLogs", 100]]);
        const lines = readFileSync(join(dir, "McasShadowItReporting.jsonl"), "utf8").trimEnd().split("\n");
        assert.equal(lines.length, written);
        const first = JSON.parse(lines[0] ?? "") as Record<string, unknown>;
        assert.deepEqual(Object.keys(first), MCAS_SHADOW_IT_REPORTING.columns.map(c => c.name));
        assert.match(String(first.TimeGenerated), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
        assert.ok(Array.isArray(first.AppTags));
        const bytes = readFileSync(join(dir, "SigninLogs.jsonl"));
        assert.equal(files[2]?.bytes, bytes.length);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});

test("an unwritable --out fails cleanly with a UserError and leaves no temporary file", () => {
    const dir = tempDir();
    try {
        const blocker = join(dir, "not-a-folder");
        writeFileSync(blocker, "x");
        const result = shadowit(["sample", "--out", join(blocker, "sub"), "--rows", "10"]);
        assert.equal(result.status, 2);
        assert.match(result.stderr, /^shadowit: cannot write the sample to .*not-a-folder.*sub: .*\(E(NOTDIR|EXIST)\); choose another --out folder\n$/);
        assert.deepEqual(readdirSync(dir), ["not-a-folder"]);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});

test("an existing folder holding the target name as a folder fails without touching anything", async () => {
    const dir = tempDir();
    try {
        const { mkdirSync } = await import("node:fs");
        mkdirSync(join(dir, "McasShadowItReporting.csv"));
        await assert.rejects(writeSample(dir, { rows: 50, end: new Date("2026-11-01T00:00:00Z") }), (e: NodeJS.ErrnoException) => ["EISDIR", "EPERM", "ENOTEMPTY", "EEXIST"].includes(e.code ?? ""));
        assert.deepEqual(readdirSync(dir), ["McasShadowItReporting.csv"], "the temporary file was removed");
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});

test("bad numbers and dates are UserErrors naming the option", () => {
    const cases: [string[], RegExp][] = [
        [["--rows", "lots"], /--rows "lots" is not valid: give a whole number from 0 to 1,000,000,000/],
        [["--rows", "-5"], /--rows "-5" is not valid/],
        [["--days", "0"], /--days "0" is not valid: give a whole number from 1 to 3,650/],
        [["--seed", "1e3"], /--seed "1e3" is not valid/],
        [["--end", "yesterday"], /--end "yesterday" is not an ISO 8601 date/],
        [["--end", "2024-02-30"], /--end "2024-02-30" is not a valid date/],
        [["--format", "xlsx"], /--format "xlsx" is not valid: use one of csv, jsonl/],
    ];
    const dir = tempDir();
    try {
        for (const [args, message] of cases) {
            const result = shadowit(["sample", "--out", dir, ...args]);
            assert.equal(result.status, 2, args.join(" "));
            assert.match(result.stderr, message);
        }
        assert.deepEqual(readdirSync(dir), [], "nothing written");
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(parseRows("10_000_000"), 10_000_000);
    assert.equal(parseEnd("2024-05-01").toISOString(), "2024-05-01T00:00:00.000Z");
    assert.equal(parseEnd("2024-05-01T12:30").toISOString(), "2024-05-01T12:30:00.000Z");
    assert.equal(parseEnd("2024-05-01T12:30:00+02:00").toISOString(), "2024-05-01T10:30:00.000Z");
    assert.throws(() => parseRows("99999999999999999999"), UserError);
});

test("--help explains the files and the options", () => {
    const result = shadowit(["sample", "--help"]);
    assert.equal(result.status, 0);
    for (const text of ["--out <dir>", "--rows <n>", "--seed <s>", "--days <d>", "--end <iso>", "--format <format>", "TimeGenerated [UTC]", "SigninLogs"]) {
        assert.ok(result.stdout.includes(text), text);
    }
});
