import { Browser, CDPSession, Page } from "playwright-core";
import type { GrainResult, HostMode, ScaleResult, Transport } from "../page/entry";
import { VisualBundle } from "./visualBundle";

export type { GrainResult, HostMode, ScaleResult, Transport };

/** The bench page's window.bench, as the driver calls it through page.evaluate. */
interface BenchApi {
    configure(guid: string, strings: Record<string, string>, panels: readonly string[]): void;
    panelsDrawn(): string[];
    renderOurs(rows: number, transport?: Transport): Promise<number>;
    renderTheirs(rows: number, transport?: Transport): Promise<number>;
    marksOf(which: "ours" | "theirs"): number;
    scale(total: number, segment: number, mode?: HostMode): Promise<ScaleResult>;
    grain(total: number, segment: number, split: boolean, snapshotAt: readonly number[]): Promise<GrainResult>;
    holdRows(total: number, segment: number, split: boolean): number;
    heapNow(): number;
    destroyVisual(): void;
    dropHostData(): void;
    destroyAll(): void;
    hostRows(): number;
    vegaVersion(): string;
}

type BenchWindow = { bench: BenchApi };

/** Names given to the two inline scripts, so that CPU profiles can tell the visual's code from the page's. */
export const VISUAL_SCRIPT_URL = "shadowit-visual-content.js";
export const PAGE_SCRIPT_URL = "bench-page.js";

export interface TimeSplit {
    /** Milliseconds of samples per bucket. */
    readonly buckets: Record<string, number>;
    readonly totalMs: number;
}

export class BenchPage {
    private constructor(readonly page: Page, private readonly cdp: CDPSession, readonly errors: string[]) {}

    /** `panels`: the registered panels' ids, which the Vega-Lite side draws a spec each of. */
    static async open(browser: Browser, pageScript: string, bundle: VisualBundle | null, panels: readonly string[] = []): Promise<BenchPage> {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const errors: string[] = [];
        page.on("pageerror", error => errors.push(error.message));
        page.on("console", message => { if (message.type() === "error") errors.push(message.text()); });
        await page.setContent("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>bench</title></head>"
            + "<body style=\"margin:0\"></body></html>");
        await page.addScriptTag({ content: `${pageScript}\n//# sourceURL=${PAGE_SCRIPT_URL}` });
        if (bundle) {
            if (bundle.contentCss) await page.addStyleTag({ content: bundle.contentCss });
            await page.addScriptTag({ content: `${bundle.contentJs}\n//# sourceURL=${VISUAL_SCRIPT_URL}` });
            const registered = await page.evaluate(() => Object.keys(
                (window as unknown as { powerbi: { visuals: { plugins: object } } }).powerbi.visuals.plugins));
            const guid = registered.find(name => name === bundle.guid) ?? registered[0];
            if (!guid) throw new Error(`${bundle.file}: content.js registered no visual plugin`);
            await page.evaluate(([g, s, p]) => (window as unknown as BenchWindow).bench.configure(g, s, p),
                [guid, bundle.strings, panels] as [string, Record<string, string>, readonly string[]]);
        }
        const cdp = await page.context().newCDPSession(page);
        return new BenchPage(page, cdp, errors);
    }

    renderOurs(rows: number, transport: Transport = "shared"): Promise<number> {
        return this.page.evaluate(([n, t]) => (window as unknown as BenchWindow).bench.renderOurs(n, t), [rows, transport] as const);
    }

    renderTheirs(rows: number, transport: Transport = "shared"): Promise<number> {
        return this.page.evaluate(([n, t]) => (window as unknown as BenchWindow).bench.renderTheirs(n, t), [rows, transport] as const);
    }

    panelsDrawn(): Promise<string[]> {
        return this.page.evaluate(() => (window as unknown as BenchWindow).bench.panelsDrawn());
    }

    marksOf(which: "ours" | "theirs"): Promise<number> {
        return this.page.evaluate(w => (window as unknown as BenchWindow).bench.marksOf(w), which);
    }

    scale(total: number, segment: number, mode: HostMode = "requested"): Promise<ScaleResult> {
        return this.page.evaluate(([t, s, m]) => (window as unknown as BenchWindow).bench.scale(t as number, s as number, m as HostMode),
            [total, segment, mode] as const);
    }

    grain(total: number, segment: number, split: boolean, snapshotAt: readonly number[] = []): Promise<GrainResult> {
        return this.page.evaluate(([t, s, sp, at]) => (window as unknown as BenchWindow).bench.grain(t, s, sp, at),
            [total, segment, split, snapshotAt] as [number, number, boolean, readonly number[]]);
    }

    holdRows(total: number, segment: number, split: boolean): Promise<number> {
        return this.page.evaluate(([t, s, sp]) => (window as unknown as BenchWindow).bench.holdRows(t, s, sp),
            [total, segment, split] as [number, number, boolean]);
    }

    /** JS heap in use after two full collections, read in the page (performance.memory, precise). */
    heapNow(): Promise<number> {
        return this.page.evaluate(() => (window as unknown as BenchWindow).bench.heapNow());
    }

    call(name: "destroyVisual" | "dropHostData" | "destroyAll"): Promise<void> {
        return this.page.evaluate(n => { (window as unknown as BenchWindow).bench[n](); }, name);
    }

    hostRows(): Promise<number> {
        return this.page.evaluate(() => (window as unknown as BenchWindow).bench.hostRows());
    }

    vegaVersion(): Promise<string> {
        return this.page.evaluate(() => (window as unknown as BenchWindow).bench.vegaVersion());
    }

    /**
     * Runs `work` under the CPU profiler and splits the sampled time: the visual's own JavaScript, the bench page's
     * (Vega, Vega-Lite, the host), DOM and other browser natives called from script, garbage collection, other.
     */
    async profile(work: () => Promise<unknown>): Promise<TimeSplit> {
        await this.cdp.send("Profiler.enable");
        await this.cdp.send("Profiler.setSamplingInterval", { interval: 100 });
        await this.cdp.send("Profiler.start");
        await work();
        const { profile } = await this.cdp.send("Profiler.stop");
        await this.cdp.send("Profiler.disable");
        const nodes = new Map(profile.nodes.map(n => [n.id, n]));
        const buckets: Record<string, number> = {};
        let totalMs = 0;
        const deltas = profile.timeDeltas ?? [];
        (profile.samples ?? []).forEach((id, k) => {
            const frame = nodes.get(id)?.callFrame;
            const ms = (deltas[k] ?? 0) / 1000;
            let bucket = "other (program, idle)";
            if (frame?.url.endsWith(VISUAL_SCRIPT_URL)) bucket = "the visual's JavaScript";
            else if (frame?.url.endsWith(PAGE_SCRIPT_URL)) bucket = "bench page JavaScript (Vega, Vega-Lite, host, data)";
            else if (frame?.functionName === "(garbage collector)") bucket = "garbage collection";
            else if (frame && frame.url === "" && frame.functionName && !frame.functionName.startsWith("(")) bucket = "DOM and browser natives";
            if (frame?.functionName === "(idle)") return;
            buckets[bucket] = (buckets[bucket] ?? 0) + ms;
            totalMs += ms;
        });
        return { buckets, totalMs };
    }

    /** JS heap in use after a full garbage collection (CDP HeapProfiler.collectGarbage, Runtime.getHeapUsage). */
    async heapAfterGc(): Promise<number> {
        for (let i = 0; i < 2; i++) await this.cdp.send("HeapProfiler.collectGarbage");
        const usage = await this.cdp.send("Runtime.getHeapUsage");
        return usage.usedSize;
    }

    async close(): Promise<void> {
        await this.cdp.detach().catch(() => undefined);
        await this.page.close();
    }
}
