// Shared by the export specs: the sample's time range, an emulator per suite, export options that reach it with
// its certificate and token, fresh output folders, and the check of a refused run.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before } from "node:test";
import { startEmulator, type EmulatorOptions, type FaultOptions, type RunningEmulator } from "../../src/dataset/emulator/index.ts";
import { UserError } from "../../src/dataset/errors.ts";
import type { ExportOptions } from "../../src/dataset/export/index.ts";
import type { Manifest } from "../../src/dataset/export/manifest.ts";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const TABLE = "McasShadowItReporting";
/**
 * The export suites' fixed clock. The sample data ends at END, a Monday morning; "now" for the exporter is two
 * hours later, so that rows appended after END are still in the past. Both are fixed instants, never the wall
 * clock: how many rows a window holds depends on the weekday and hour the data ends at.
 */
export const END = Date.parse("2026-03-02T10:00:00Z");
export const NOW = END + 2 * HOUR;
export const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * An emulator over the sample tenant ending at END, on a free port, for the suite that calls this: started before
 * the suite's tests and closed after them. Rows are ingested at END unless `options.clock` says otherwise (never the
 * wall clock, which would make every row look ingested after the exporter's NOW). Returns the running emulator's getter.
 */
export function suiteEmulator(options: Omit<EmulatorOptions, "port" | "end">): () => RunningEmulator {
    let emulator: RunningEmulator | undefined;
    before(async () => {
        emulator = await startEmulator({ clock: () => new Date(END), ...options, port: 0, end: new Date(END) });
    });
    after(async () => emulator?.close());
    return () => {
        if (!emulator) throw new Error("the suite's emulator did not start");
        return emulator;
    };
}

/**
 * Options that export from `emulator` (its workspace, endpoint, certificate and token) without progress output,
 * with "now" at NOW.
 */
export function exportOptions(emulator: RunningEmulator, out: string, extra: Partial<ExportOptions> = {}): ExportOptions {
    return {
        workspace: emulator.workspaceId, out, endpoint: emulator.endpoint, ca: emulator.caPath, token: emulator.token,
        progress: "none", now: new Date(NOW), ...extra,
    };
}

const created: string[] = [];
process.on("exit", () => {
    for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under the OS temp folder, removed when the test process exits. */
export function tempDir(label: string): string {
    const dir = mkdtempSync(path.join(tmpdir(), `shadowit-${label}-`));
    created.push(dir);
    return dir;
}

/** A fresh output folder, and the folder an export of `emulator`'s workspace writes into below it. */
export function exportTarget(emulator: RunningEmulator, label: string): { readonly out: string; readonly folder: string } {
    const out = tempDir(label);
    return { out, folder: path.join(out, emulator.workspaceId) };
}

export function readManifest(folder: string): Manifest {
    return JSON.parse(readFileSync(path.join(folder, "manifest.json"), "utf8")) as Manifest;
}

/** Runs `body` with `faults` set on the emulator and clears them afterwards, whatever happens. */
export async function withFaults<T>(emulator: RunningEmulator, faults: FaultOptions, body: () => Promise<T>): Promise<T> {
    emulator.setFaults(faults);
    try {
        return await body();
    } finally {
        emulator.setFaults({});
    }
}

/** Asserts that `promise` rejects with a UserError whose message matches every pattern and whose exit code fails. */
export async function rejectsWithUserError(promise: Promise<unknown>, ...patterns: RegExp[]): Promise<UserError> {
    let caught: unknown;
    try {
        await promise;
    } catch (error) {
        caught = error;
    }
    assert.ok(caught instanceof UserError, `expected a UserError, got ${caught instanceof Error ? caught.stack : String(caught)}`);
    for (const pattern of patterns) assert.match(caught.message, pattern);
    assert.ok(caught.exitCode !== 0);
    return caught;
}
