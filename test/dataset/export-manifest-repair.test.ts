// The manifest checked against the day files at the start of every run and repaired where they disagree; and whole
// exports (the real CLI) racing in pairs for a folder holding a stale lock: one wins, the other refuses naming it,
// and the manifest then describes exactly the files on disk.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { runExport } from "../../src/dataset/export/index.ts";
import { LOCK_NAME } from "../../src/dataset/export/lock.ts";
import type { Manifest } from "../../src/dataset/export/manifest.ts";
import { runShadowit } from "./cli-process.ts";
import { assertExportMatches } from "./export-helpers.ts";
import { DAY, END, exportOptions, exportTarget, HOUR, iso, readManifest, suiteEmulator, TABLE } from "./export-setup.ts";

const START = END - 4 * DAY;

/** Asserts that the manifest lists exactly the day files on disk, with their true sizes and hashes. */
function assertManifestDescribesFiles(folder: string): void {
    const entry = readManifest(folder).tables[TABLE];
    const dir = path.join(folder, TABLE);
    const onDisk = readdirSync(dir).filter(n => /^\d{4}-\d{2}-\d{2}\.parquet$/.test(n)).sort().map(n => {
        const bytes = readFileSync(path.join(dir, n));
        return { name: `${TABLE}/${n}`, bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
    });
    assert.deepEqual(entry.files.map(f => ({ name: f.name, bytes: f.bytes, sha256: f.sha256 })), onDisk);
}

function writeManifestFile(folder: string, manifest: Manifest): void {
    writeFileSync(path.join(folder, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}

describe("export: the manifest agrees with the files on disk", () => {
    const running = suiteEmulator({ rows: 3000, seed: 71, days: 5, faults: { latencyMs: 15 } });

    it("repairs a manifest that lists a missing file, misses present ones and claims a watermark beyond the files", async () => {
        const emulator = running();
        const { out, folder } = exportTarget(emulator, "manifest-repair");
        await runExport(exportOptions(emulator, out, { since: iso(START), until: iso(END) }));
        const good = readManifest(folder);
        const entry = good.tables[TABLE];
        assert.equal(entry.files.length, 5);
        // Left as a race or crash could leave it: day 2's file gone, days 3 and 4 not listed, a watermark past the covered end (yet before now).
        const [first, second, third, fourth] = entry.files;
        rmSync(path.join(folder, ...second.name.split("/")));
        writeManifestFile(folder, {
            ...good,
            tables: { [TABLE]: { ...entry, files: entry.files.filter(f => f !== third && f !== fourth), watermark: iso(END + HOUR) } },
        });

        const summary = await runExport(exportOptions(emulator, out, { until: iso(END) }));
        const repairs = summary.repairs.join("\n");
        assert.match(repairs, new RegExp(`${TABLE}: ${second.name} is listed but missing: removed from the list`));
        assert.match(repairs, new RegExp(`${TABLE}: ${third.name} is on disk but was not listed: listed \\(${third.rows} rows\\)`));
        assert.match(repairs, new RegExp(`${fourth.name} is on disk but was not listed`));
        assert.match(repairs, new RegExp(`the covered range ${iso(START)}–${iso(END)} is cut back to end at ${second.day}T00:00:00.000Z`));
        assert.match(repairs, new RegExp(`the watermark ${iso(END + HOUR)} is past what the files hold: lowered to ${first.day}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z`));
        // The cut range was read again: every row once, and the manifest lists every file with its true hash.
        await assertExportMatches(emulator, folder, START, END);
        assertManifestDescribesFiles(folder);
        assert.deepEqual(readManifest(folder).tables[TABLE].covered, { start: iso(START), end: iso(END) });
        assert.ok(Date.parse(readManifest(folder).tables[TABLE].watermark ?? "") < END);

        // Even when every file has to be read back (the manifest looks older than the files), nothing differs.
        utimesSync(path.join(folder, "manifest.json"), new Date(START), new Date(START));
        const again = await runExport(exportOptions(emulator, out, { until: iso(END) }));
        assert.deepEqual(again.repairs, [], "a repaired manifest needs no repair the next time");
    });

    it("a manifest lost after files were written: the files are listed again", async () => {
        const emulator = running();
        const { out, folder } = exportTarget(emulator, "manifest-lost");
        await runExport(exportOptions(emulator, out, { since: iso(START), until: iso(END) }));
        rmSync(path.join(folder, "manifest.json"));
        const summary = await runExport(exportOptions(emulator, out, { since: iso(END - DAY), until: iso(END) }));
        const files = readdirSync(path.join(folder, TABLE)).filter(n => n.endsWith(".parquet"));
        assert.equal(summary.repairs.filter(line => / is on disk but was not listed/.test(line)).length, files.length);
        assertManifestDescribesFiles(folder);
        await assertExportMatches(emulator, folder, START, END);
    });

    it("pairs of whole exports racing for a stale lock: one wins, the other names it, the manifest is right", { timeout: 60_000 }, async () => {
        const emulator = running();
        const env = { ...process.env, SHADOWIT_TOKEN: emulator.token, SHADOWIT_CA_FILE: emulator.caPath, SHADOWIT_LOGS_ENDPOINT: emulator.endpoint };
        for (let pair = 0; pair < 3; pair++) {
            const { out, folder } = exportTarget(emulator, `lock-pair-${pair}`);
            // A first export, then a stale lock as a killed run leaves it: its pid no longer runs.
            await runExport(exportOptions(emulator, out, { since: iso(START), until: iso(END - DAY) }));
            const dead = spawnSync(process.execPath, ["-e", ""]).pid;
            writeFileSync(path.join(folder, LOCK_NAME), `${dead}\n`);
            const args = [
                "export", "--workspace", emulator.workspaceId, "--out", out, "--until", iso(END), "--row-budget", "80",
                "--concurrency", "2", "--progress", "lines",
            ];
            const pids: number[] = [];
            const [a, b] = await Promise.all([0, 1].map(i => runShadowit(args, {
                env, killAfterMs: 50_000, onOutput: (_, child) => { pids[i] = child.pid ?? 0; },
            })));
            const results = [a, b];
            const winners = results.filter(r => r.code === 0);
            const outcome = results.map(r => `${r.code} ${r.stderr.slice(-300)}`).join(" || ");
            if (winners.length === 2) {
                // On a busy machine one process may start only after the other has finished and released the lock:
                // both then succeed, one after the other. The later one read from the earlier one's watermark (less
                // its overlap), within the last hour; two runs that both took the stale lock would both read from
                // the first export's watermark, a day earlier.
                const readFrom = results.map(r => Date.parse(/rows read \(([^–]+)–/.exec(r.stderr)?.[1] ?? ""));
                assert.ok(Math.max(...readFrom) >= END - HOUR && Math.min(...readFrom) < END - DAY, `pair ${pair} ran one after the other: ${outcome}`);
            } else {
                assert.equal(winners.length, 1, `exactly one export of pair ${pair} wins: ${outcome}`);
                const loser = results.find(r => r.code !== 0);
                const winnerPid = pids[results.indexOf(winners[0])];
                assert.equal(loser?.code, 1);
                assert.match(loser?.stderr ?? "", new RegExp(`another export \\(process ${winnerPid}, started [^)]+\\) is writing into .*${emulator.workspaceId}: wait for it to finish`));
                assert.doesNotMatch(loser?.stderr ?? "", /\n\s+at /, "no stack trace");
            }
            await assertExportMatches(emulator, folder, START, END);
            assertManifestDescribesFiles(folder);
            assert.deepEqual(readManifest(folder).tables[TABLE].covered, { start: iso(START), end: iso(END) });
            assert.deepEqual(readdirSync(folder).filter(n => n.startsWith(".shadowit")), [], "no lock, claim or temporary file is left");
        }
    });
});
