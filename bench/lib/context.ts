import { Browser } from "playwright-core";
import { performance } from "node:perf_hooks";
import { Emulator, EmulatorModule, loadCompanion } from "./companion";
import { BenchOptions } from "./args";
import { chromiumPath, launchChromium } from "./browser";
import { chromiumVersionFromBinary, Machine } from "./machine";
import { bundlePage } from "./pageBundle";
import { Verdict } from "./report";
import { loadVisualBundle, VisualBundle } from "./visualBundle";

/** What sections share: one browser, one packaged visual, one page script, built on first use. */
export class BenchContext {
    private browser: Browser | null = null;
    private bundle: Promise<VisualBundle> | null = null;
    private pageScript: Promise<string> | null = null;
    private emulator: Promise<SampleEmulator> | null = null;
    private readonly started: Emulator[] = [];

    /**
     * Exclusive end of the sample tenant's 30 days: a fixed instant, so that every run measures the same rows
     * whatever the date and hour it runs at.
     */
    readonly sampleEnd = new Date("2026-03-02T10:00:00Z");

    constructor(readonly root: string, readonly options: BenchOptions, readonly machine: Machine) {}

    visualBundle(): Promise<VisualBundle> {
        this.bundle ??= loadVisualBundle(this.root);
        return this.bundle;
    }

    benchPageScript(): Promise<string> {
        this.pageScript ??= bundlePage(this.root);
        return this.pageScript;
    }

    async chromium(): Promise<Browser> {
        if (!this.browser) {
            const path = chromiumPath();
            this.browser = await launchChromium();
            this.machine.chromium = chromiumVersionFromBinary(path) ?? `Chromium ${this.browser.version()}`;
        }
        return this.browser;
    }

    /**
     * The verdict on a target that holds at full size and full run count: a quick run has fewer runs or rows than
     * the target is stated for, so it judges nothing.
     */
    judge(met: boolean): Verdict {
        return this.options.quick ? "no target" : met ? "met" : "missed";
    }

    /** The command that reproduces one section's figures. */
    command(section: string): string {
        return `npm run bench -- --only ${section}${this.options.quick ? " --quick" : ""}`;
    }

    /**
     * One emulator with the sample tenant, shared by the export and pushdown sections: 1,000,000 rows, unless a
     * timed probe shows that loading them would take longer than LOAD_BUDGET_MS here; then the largest size that
     * fits, and the report says so.
     */
    sampleEmulator(): Promise<SampleEmulator> {
        this.emulator ??= this.startSampleEmulator();
        return this.emulator;
    }

    private async startSampleEmulator(): Promise<SampleEmulator> {
        const module = await loadCompanion<EmulatorModule>(this.root, "src/dataset/emulator/index.ts", "the emulator startEmulator");
        const wanted = this.options.quick ? 50_000 : 1_000_000;
        const probeRows = this.options.quick ? 10_000 : 100_000;
        const start = async (rows: number) => {
            console.log(`bench: starting the emulator with ${rows.toLocaleString("en-US")} sample rows …`);
            const t0 = performance.now();
            // The benchmark's own raw requests come on top of the exporter's: lift the per-token rate limit
            // (the exporter still paces itself under the service's 200 per 30 s).
            const emulator = await module.startEmulator({
                port: 0, rows, end: this.sampleEnd, rateLimit: { requests: 100_000, perSeconds: 30 },
            });
            this.started.push(emulator);
            return { emulator, loadMs: performance.now() - t0 };
        };
        const probe = await start(probeRows);
        const projectedMs = probe.loadMs * (wanted / probeRows);
        let rows = wanted;
        let sizeNote = `A probe of ${probeRows.toLocaleString("en-US")} rows loaded in ${(probe.loadMs / 1000).toFixed(1)} s.`;
        if (projectedMs > LOAD_BUDGET_MS) {
            rows = [500_000, 250_000, 100_000].find(n => probe.loadMs * (n / probeRows) <= LOAD_BUDGET_MS) ?? probeRows;
            sizeNote += ` Loading ${wanted.toLocaleString("en-US")} rows would take about ${(projectedMs / 60_000).toFixed(1)} minutes `
                + `on this machine (over the ${LOAD_BUDGET_MS / 60_000}-minute budget): measured at ${rows.toLocaleString("en-US")} rows `
                + `instead, with nothing extrapolated.`;
        }
        if (rows === probeRows) return { emulator: probe.emulator, rows, loadMs: probe.loadMs, sizeNote };
        await probe.emulator.close();
        this.started.splice(this.started.indexOf(probe.emulator), 1);
        const full = await start(rows);
        return { emulator: full.emulator, rows, loadMs: full.loadMs, sizeNote };
    }

    async close(): Promise<void> {
        for (const emulator of this.started.splice(0)) await emulator.close();
        await this.browser?.close();
        this.browser = null;
    }
}

const LOAD_BUDGET_MS = 4 * 60_000;

export interface SampleEmulator {
    readonly emulator: Emulator;
    readonly rows: number;
    readonly loadMs: number;
    /** How the size was chosen, for the report. */
    readonly sizeNote: string;
}

export function today(): string {
    return new Date().toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}
