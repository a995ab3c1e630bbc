// Crash safety: `shadowit export` killed with SIGKILL at random points, then resumed, ends with every row
// exactly once, a valid manifest and no temporary files left behind.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { Rng } from "../../src/dataset/sample/prng.ts";
import { runShadowit, type CliRun } from "./cli-process.ts";
import { assertExportMatches } from "./export-helpers.ts";
import { DAY, END, exportTarget, iso, readManifest, suiteEmulator, TABLE } from "./export-setup.ts";

const START = END - 4 * DAY;

interface KillPoint {
    /** Completed windows (progress lines) to wait for… */
    readonly windows: number;
    /** …then milliseconds more, so that the kill lands anywhere: in a query, a file write, a rename. */
    readonly extraMs: number;
}

/** Runs the CLI; with a kill point, kills it with SIGKILL there (if it gets that far). */
async function runCli(args: readonly string[], env: NodeJS.ProcessEnv, kill?: KillPoint): Promise<CliRun> {
    let timer: NodeJS.Timeout | undefined;
    try {
        return await runShadowit(args, {
            env,
            onOutput: ({ stderr }, child) => {
                const windowsDone = stderr.split("\n").filter(line => / rows in [\d.]+ s$/.test(line)).length;
                if (kill && timer === undefined && windowsDone >= kill.windows) timer = setTimeout(() => child.kill("SIGKILL"), kill.extraMs);
            },
        });
    } finally {
        if (timer) clearTimeout(timer);
    }
}

function tempFilesUnder(dir: string): string[] {
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return tempFilesUnder(full);
        return entry.name.startsWith(".shadowit-") ? [full] : [];
    });
}

describe("export: killed at random points and resumed", () => {
    const running = suiteEmulator({ rows: 6000, seed: 53, days: 6, faults: { latencyMs: 25 } });

    for (const format of ["parquet", "csv"] as const) {
        it(`loses and duplicates no row (${format})`, async () => {
            const emulator = running();
            const { out, folder } = exportTarget(emulator, `export-crash-${format}`);
            const manifestPath = path.join(folder, "manifest.json");
            const env = { ...process.env, SHADOWIT_TOKEN: emulator.token, SHADOWIT_CA_FILE: emulator.caPath, SHADOWIT_LOGS_ENDPOINT: emulator.endpoint };
            const args = () => [
                "export", "--workspace", emulator.workspaceId, "--out", out, "--until", iso(END), "--format", format,
                "--row-budget", "60", "--concurrency", "2", "--progress", "lines",
                // The first run (or a rerun before any manifest was written) gives the start; later ones resume.
                ...(existsSync(manifestPath) ? [] : ["--since", iso(START)]),
            ];
            const rng = new Rng(format === "parquet" ? 1 : 2, "export-crash");
            let killed = 0;
            for (let i = 0; i < 4; i++) {
                const kill = { windows: 1 + Math.floor(rng.next() * 12), extraMs: Math.floor(rng.next() * 60) };
                const result = await runCli(args(), env, kill);
                if (result.signal === "SIGKILL") killed++;
                else assert.equal(result.code, 0, `run ${i} ended on its own but failed: ${result.stderr}`);
                if (existsSync(manifestPath)) JSON.parse(readFileSync(manifestPath, "utf8"));
            }
            assert.ok(killed > 0, "at least one run was killed before it finished");

            const final = await runCli(args(), env);
            assert.equal(final.code, 0, final.stderr);
            assert.deepEqual(tempFilesUnder(folder), [], "temporary files of killed runs are cleaned up");
            await assertExportMatches(emulator, folder, START, END, format);
            assert.deepEqual(readManifest(folder).tables[TABLE].covered, { start: iso(START), end: iso(END) });
        });
    }
});
