// An export that has to stop part way: a disk that fills up, Ctrl+C (SIGINT) or SIGTERM. Each ends with a message
// that says what failed or why it stopped, what was saved and how to resume; no stack trace, no lock and no partial or
// temporary file is left, and the rerun ends with every row exactly once.
import assert from "node:assert/strict";
import { existsSync, promises as fsPromises, readdirSync } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import path from "node:path";
import { describe, it, mock } from "node:test";
import { runExport } from "../../src/dataset/export/index.ts";
import { LOCK_NAME } from "../../src/dataset/export/lock.ts";
import { runShadowit, type CliRun } from "./cli-process.ts";
import { assertExportMatches } from "./export-helpers.ts";
import { DAY, END, exportOptions, exportTarget, iso, readManifest, rejectsWithUserError, suiteEmulator, TABLE } from "./export-setup.ts";

const START = END - 4 * DAY;

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return filesUnder(full, keep);
        return keep(entry.name) ? [full] : [];
    });
}

/** Temporary files (`.shadowit-<name>.<pid>.<hex>.tmp`) and the lock: what a cleanly stopped run must not leave. */
const leftovers = (folder: string) => filesUnder(folder, name => name.startsWith(".shadowit-"));

/** The error a full disk gives a write (`write(2)` and `fsync(2)` report ENOSPC). */
function diskFull(syscall: string): NodeJS.ErrnoException {
    return Object.assign(new Error(`ENOSPC: no space left on device, ${syscall}`), { code: "ENOSPC", errno: -28, syscall });
}

/**
 * Makes the disk "full" for the temporary files whose name starts with `prefix`, from the `fromCall`-th one on: the
 * file opens, then writing (or flushing) it fails with ENOSPC, as on a real full disk. Returns the mock to restore.
 */
function fillDiskFor(prefix: string, fromCall: number) {
    const realOpen = fsPromises.open.bind(fsPromises);
    let calls = 0;
    return mock.method(fsPromises, "open", async (...args: Parameters<typeof fsPromises.open>): Promise<FileHandle> => {
        const handle = await realOpen(...args);
        if (path.basename(String(args[0])).startsWith(prefix) && ++calls >= fromCall) {
            handle.writeFile = () => Promise.reject(diskFull("write"));
            handle.sync = () => Promise.reject(diskFull("fsync"));
        }
        return handle;
    });
}

describe("export: a full disk", () => {
    const running = suiteEmulator({ rows: 3000, seed: 59, days: 6 });

    for (const [what, prefix, fromCall, fileName] of [
        ["the manifest", ".shadowit-manifest.json.", 3, /\bmanifest\.json/],
        ["a day file", ".shadowit-20", 2, /McasShadowItReporting[\\/]\d{4}-\d{2}-\d{2}\.parquet/],
    ] as const) {
        it(`stops with a clear message when ${what} cannot be written, and the rerun completes`, async () => {
            const emulator = running();
            const { out, folder } = exportTarget(emulator, "export-enospc");
            const options = exportOptions(emulator, out, { since: iso(START), until: iso(END), rowBudget: 200, concurrency: 1 });
            const full = fillDiskFor(prefix, fromCall);
            let error;
            try {
                error = await rejectsWithUserError(runExport(options),
                    new RegExp(`could not write ${what === "a day file" ? "the day file" : "the manifest"} \\S*`), fileName, /\(ENOSPC\)/,
                    /the disk is full: free space on the drive that holds/, /McasShadowItReporting: \d+ day files? saved in this run/,
                    /Nothing partial was kept/, /run the same command again/);
            } finally {
                full.mock.restore();
            }
            assert.equal(error.exitCode, 1);
            assert.doesNotMatch(error.message, /\n\s+at |unexpected/, "no stack trace");
            assert.deepEqual(leftovers(folder), [], "no temporary file and no lock left");

            await runExport(exportOptions(emulator, out, { until: iso(END), rowBudget: 200 }));
            await assertExportMatches(emulator, folder, START, END);
            assert.deepEqual(readManifest(folder).tables[TABLE].covered, { start: iso(START), end: iso(END) });
        });
    }
});

describe("export: stopped by SIGINT or SIGTERM", () => {
    // The latency makes each window take a while, so the signal lands while requests are pending and files are written.
    const running = suiteEmulator({ rows: 4000, seed: 61, days: 6, faults: { latencyMs: 150 } });

    for (const [signal, exitCode] of [["SIGTERM", 143], ["SIGINT", 130]] as const) {
        it(`${signal}: finishes the file being written, releases the lock, says what was saved and exits ${exitCode}`, { timeout: 120_000 }, async () => {
            const emulator = running();
            const { out, folder } = exportTarget(emulator, `export-${signal}`);
            const env = { ...process.env, SHADOWIT_TOKEN: emulator.token, SHADOWIT_CA_FILE: emulator.caPath, SHADOWIT_LOGS_ENDPOINT: emulator.endpoint };
            const args = (since: boolean) => [
                "export", "--workspace", emulator.workspaceId, "--out", out, "--until", iso(END), "--row-budget", "60",
                "--concurrency", "2", "--progress", "lines", ...(since ? ["--since", iso(START)] : []),
            ];
            let sent = false;
            const stopped: CliRun = await runShadowit(args(true), {
                env,
                killAfterMs: 90_000,
                onOutput: ({ stderr }, child) => {
                    // After a few windows, at least one of them past a day's end.
                    if (!sent && /: wrote McasShadowItReporting\//.test(stderr) && stderr.split("\n").filter(l => / rows in [\d.]+ s$/.test(l)).length >= 6) {
                        sent = true;
                        child.kill(signal);
                    }
                },
            });
            assert.ok(sent, `the export ran long enough to be stopped: ${stopped.stderr}`);
            assert.equal(stopped.signal, null, "the export handled the signal and exited by itself");
            assert.equal(stopped.code, exitCode, stopped.stderr);
            assert.match(stopped.stderr, new RegExp(`${signal} received: stopping after the file being written`));
            assert.match(stopped.stderr, new RegExp(`shadowit: export stopped \\(${signal}\\)\\. McasShadowItReporting: \\d+ day files? saved in this run \\(\\d{4}-\\d{2}-\\d{2}`));
            assert.match(stopped.stderr, /every row from \S+ to \S+ is exported/);
            assert.match(stopped.stderr, /Nothing partial was kept/);
            assert.match(stopped.stderr, /To resume, run the same command again/);
            assert.doesNotMatch(stopped.stderr, /unexpected error|\n\s+at /);
            assert.equal(existsSync(path.join(folder, LOCK_NAME)), false, "the lock is released");
            assert.deepEqual(leftovers(folder), [], "no temporary or partial file is left");
            const covered = readManifest(folder).tables[TABLE].covered;
            assert.ok(covered && Date.parse(covered.end) < END, "the stopped run did not cover the whole range");

            const rerun = await runShadowit(args(false), { env, killAfterMs: 90_000 });
            assert.equal(rerun.code, 0, rerun.stderr);
            await assertExportMatches(emulator, folder, START, END);
            assert.deepEqual(readManifest(folder).tables[TABLE].covered, { start: iso(START), end: iso(END) });
        });
    }
});
