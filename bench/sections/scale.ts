import { BenchContext, today } from "../lib/context";
import { BenchPage, ScaleResult } from "../lib/benchPage";
import { Figure, SectionResult } from "../lib/report";
import { fixed, median, megabytes, thousands } from "../lib/stats";
import { rowKey } from "../data/discoveryRows";
import { redrawsPanels } from "../../src/model/progress";

const SEGMENT = 30_000;
const TARGET_TIME_RATIO = 12;

interface Measured {
    readonly total: number;
    readonly run: ScaleResult;
    /** Heap after GC with the visual alive and the host holding its DataView. */
    readonly heapEnd: number;
    /** The same once the visual is destroyed and its element removed: end minus this is the visual's own. */
    readonly heapWithoutVisual: number;
    /** The same once the host's DataView is dropped too. */
    readonly heapBaseline: number;
}

function distinctValues(rows: number): { apps: number; streams: number } {
    const apps = new Set<number>();
    const streams = new Set<number>();
    for (let i = 0; i < rows; i++) {
        const k = rowKey(i);
        apps.add(k.app);
        streams.add(k.stream);
    }
    return { apps: apps.size, streams: streams.size };
}

export async function runScale(ctx: BenchContext): Promise<SectionResult> {
    const quick = ctx.options.quick;
    const small = quick ? 60_000 : 104_858;
    const large = quick ? 150_000 : 1_048_576;
    const repetitions = quick ? 1 : 3;
    const bundle = await ctx.visualBundle();
    const browser = await ctx.chromium();
    const page = await BenchPage.open(browser, await ctx.benchPageScript(), bundle);
    const measured: Measured[] = [];
    try {
        // One untimed run first, so that the first measured run does not pay for compiling the visual's code.
        await page.scale(2 * SEGMENT, SEGMENT);
        for (let rep = 0; rep < repetitions; rep++) {
            for (const total of [small, large]) {
                console.log(`bench scale: ${thousands(total)} rows in segments of ${thousands(SEGMENT)} (run ${rep + 1}/${repetitions})`);
                await page.call("destroyAll");
                const run = await page.scale(total, SEGMENT);
                const heapEnd = await page.heapAfterGc();
                await page.call("destroyVisual");
                const heapWithoutVisual = await page.heapAfterGc();
                await page.call("dropHostData");
                const heapBaseline = await page.heapAfterGc();
                measured.push({ total, run, heapEnd, heapWithoutVisual, heapBaseline });
            }
        }
        if (page.errors.length > 0) throw new Error(`page errors during the scale benchmark: ${page.errors.slice(0, 3).join("; ")}`);
    } finally {
        await page.close();
    }

    const of = (total: number) => measured.filter(m => m.total === total);
    const totalMs = (total: number) => median(of(total).map(m => m.run.totalMs));
    const retained = (total: number) => median(of(total).map(m => m.heapEnd - m.heapWithoutVisual));
    const dataViewBytes = (total: number) => median(of(total).map(m => m.heapWithoutVisual - m.heapBaseline));
    const last = (total: number) => of(total)[of(total).length - 1];
    const figures: Figure[] = [];

    for (const total of [small, large]) {
        const runs = of(total);
        const folds = runs.flatMap(m => m.run.foldMs.slice(1));
        const first = median(runs.map(m => m.run.foldMs[0]));
        const r = last(total).run;
        const complete = r.rowsLoaded === total;
        figures.push({
            name: `${thousands(total)} rows: segments loaded`,
            value: `${thousands(r.rowsLoaded)} rows in ${r.segments} updates (fetchMoreData(${r.aggregateSegments ?? "–"}))`,
            target: `all ${thousands(total)} rows`,
            verdict: complete ? "met" : "missed",
            note: complete ? undefined : r.stoppedBecause,
        });
        figures.push({
            name: `${thousands(total)} rows: per segment fold (update → renderingFinished)`,
            value: `first window ${fixed(first)} ms; each further segment median ${fixed(median(folds))} ms, `
                + `max ${fixed(folds.length ? Math.max(...folds) : Number.NaN)} ms`,
            target: "", verdict: "no target",
        });
        figures.push({
            name: `${thousands(total)} rows: total time`,
            value: `${fixed(totalMs(total))} ms in the visual (median of ${runs.length}); `
                + `${fixed(median(runs.map(m => m.run.wallMs)))} ms wall time with the host's segment building and a forced GC before each update`,
            target: "", verdict: "no target",
        });
        const d = distinctValues(total);
        figures.push({
            name: `${thousands(total)} rows: JS heap at the end`,
            value: `${megabytes(median(runs.map(m => m.heapEnd)))} in all; the visual's own ${megabytes(retained(total))} `
                + `(${fixed(retained(total) / total)} B/row), the host's DataView ${megabytes(dataViewBytes(total))}; `
                + `${thousands(d.apps)} apps, ${d.streams} streams`,
            target: "", verdict: "no target",
        });
    }
    const timeRatio = totalMs(large) / totalMs(small);
    figures.push({
        name: `t(${thousands(large)}) / t(${thousands(small)})`,
        value: `${fixed(timeRatio)}× (rows ×${fixed(large / small)})`,
        target: `≤ ${TARGET_TIME_RATIO}`,
        verdict: ctx.judge(timeRatio <= TARGET_TIME_RATIO),
        note: timeRatio <= TARGET_TIME_RATIO || quick ? undefined
            : "the total grows faster than the rows: some per-update work is proportional to all rows loaded so far, not to the segment.",
    });
    const dSmall = distinctValues(small);
    const dLarge = distinctValues(large);
    const distinctRatio = (dLarge.apps + dLarge.streams) / (dSmall.apps + dSmall.streams);
    const heapRatio = retained(large) / retained(small);
    const bounded = heapRatio <= Math.max(1.5, 1.5 * distinctRatio);
    figures.push({
        name: `Visual's own heap, ${thousands(large)} vs ${thousands(small)} rows`,
        value: `${megabytes(retained(large))} vs ${megabytes(retained(small))}: ×${fixed(heapRatio)} for ×${fixed(large / small)} rows `
            + `and ×${fixed(distinctRatio)} distinct apps + streams`,
        target: "bounded by the model (grows with distinct values, not rows)",
        verdict: ctx.judge(bounded),
        note: (bounded ? "" : "the visual's retained heap grows faster than the distinct values it aggregates. ")
            + "Measured with CDP HeapProfiler.collectGarbage + Runtime.getHeapUsage: heap with the visual alive minus "
            + "heap after destroy() and removing its element, while the host page still holds the aggregated DataView "
            + "(fetchMoreData(true) hands over every row so far, so the DataView itself necessarily grows with rows). "
            + "'Met' means the ratio is at most 1.5× the growth of distinct apps + streams.",
    });
    const details = [
        `Each run loads ${thousands(SEGMENT)} rows in the first update (metadata.segment set), then answers every `
        + "`host.fetchMoreData()` with the next segment as Power BI does (operationKind Append with all rows so far "
        + "for `fetchMoreData(true)`, only the new rows with operationKind Segment for `fetchMoreData(false)`), until "
        + `the total. Runs alternate ${thousands(small)} and ${thousands(large)} rows, ${repetitions}× each, in one page; `
        + "a fresh visual each run. Times are the visual's update() → renderingFinished only; the host's DataView building "
        + "is outside them.",
        "",
        "The visual folds every segment into its aggregates as it arrives, but redraws its panels only when the rows "
        + "have doubled since it last drew them and when loading ends (docs/visual.md, \"Data notes\"); the updates in "
        + `between refresh the loading note alone. So ${thousands(small)} rows are drawn ${drawsOf(small)} times and `
        + `${thousands(large)} rows ${drawsOf(large)} times, and the per-segment figures above mix both kinds of update.`,
    ];
    return { id: "scale", title: "2. Scale: fetchMoreData segments up to 1,048,576 rows", command: ctx.command("scale"), date: today(), figures, details };
}

/** How many times the visual draws its panels while `total` rows arrive in segments of SEGMENT rows. */
function drawsOf(total: number): number {
    let draws = 0;
    let rowsDrawn = 0;
    for (let rows = Math.min(SEGMENT, total), first = true; ; rows = Math.min(total, rows + SEGMENT), first = false) {
        const moreDataPending = rows < total;
        if (redrawsPanels({ rowsRead: rows, rowsDrawn, moreDataPending, isAppend: !first })) {
            draws++;
            rowsDrawn = rows;
        }
        if (!moreDataPending) return draws;
    }
}
