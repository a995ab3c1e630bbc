import { BenchContext, today } from "../lib/context";
import { BenchPage, HostMode, ScaleResult } from "../lib/benchPage";
import { Figure, SectionResult } from "../lib/report";
import { fixed, median, megabytes, thousands } from "../lib/stats";
import { rowKey } from "../data/discoveryRows";
import { redrawsPanels } from "../../src/model/progress";

const SEGMENT = 30_000;
const TARGET_TIME_RATIO = 12;
const MODES: readonly HostMode[] = ["requested", "aggregate"];
const MODE_NAME: Record<HostMode, string> = {
    requested: "incremental (fetchMoreData(false), as the visual asks)",
    aggregate: "aggregated (every row so far with each segment, as fetchMoreData(true) made Power BI send)",
};
const SHORT: Record<HostMode, string> = { requested: "incremental", aggregate: "aggregated (before)" };

interface Measured {
    readonly total: number;
    readonly run: ScaleResult;
    /** Heap after GC with the visual alive and the host holding what it keeps. */
    readonly heapEnd: number;
    /** The same once the visual is destroyed and its element removed: end minus this is the visual's own. */
    readonly heapWithoutVisual: number;
    /** The same once the host's data is dropped too: the page alone. */
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
        // One untimed run of each mode first, so that the first measured run does not pay for compiling code.
        for (const mode of MODES) await page.scale(2 * SEGMENT, SEGMENT, mode);
        for (let rep = 0; rep < repetitions; rep++) {
            for (const total of [small, large]) {
                for (const mode of MODES) {
                    // Aggregated segments at the largest size take minutes per run (the host posts 18.9 million rows): once.
                    if (mode === "aggregate" && total === large && rep > 0) continue;
                    console.log(`bench scale: ${thousands(total)} rows in segments of ${thousands(SEGMENT)}, host ${SHORT[mode]} (run ${rep + 1}/${repetitions})`);
                    await page.call("destroyAll");
                    const run = await page.scale(total, SEGMENT, mode);
                    const heapEnd = await page.heapAfterGc();
                    await page.call("destroyVisual");
                    const heapWithoutVisual = await page.heapAfterGc();
                    await page.call("dropHostData");
                    const heapBaseline = await page.heapAfterGc();
                    measured.push({ total, run, heapEnd, heapWithoutVisual, heapBaseline });
                }
            }
        }
        if (page.errors.length > 0) throw new Error(`page errors during the scale benchmark: ${page.errors.slice(0, 3).join("; ")}`);
    } finally {
        await page.close();
    }

    const of = (total: number, mode: HostMode) => measured.filter(m => m.total === total && m.run.mode === mode);
    const visualMs = (total: number, mode: HostMode) => median(of(total, mode).map(m => m.run.totalMs));
    const hostMs = (total: number, mode: HostMode) => median(of(total, mode).map(m => m.run.hostTotalMs));
    const bothMs = (total: number, mode: HostMode) => median(of(total, mode).map(m => m.run.totalMs + m.run.hostTotalMs));
    const visualHeap = (total: number, mode: HostMode) => median(of(total, mode).map(m => m.heapEnd - m.heapWithoutVisual));
    const hostHeap = (total: number, mode: HostMode) => median(of(total, mode).map(m => m.heapWithoutVisual - m.heapBaseline));
    const figures: Figure[] = [];

    for (const total of [small, large]) {
        for (const mode of MODES) {
            const runs = of(total, mode);
            const r = runs[runs.length - 1].run;
            const complete = r.rowsLoaded === total;
            const folds = runs.flatMap(m => m.run.foldMs.slice(1));
            figures.push({
                name: `${thousands(total)} rows, host ${SHORT[mode]}: segments loaded`,
                value: `${thousands(r.rowsLoaded)} rows in ${r.segments} updates (the visual asked fetchMoreData(${r.aggregateSegments ?? "–"})); `
                    + `${thousands(r.rowsPosted)} rows posted by the host`,
                target: `all ${thousands(total)} rows`,
                verdict: complete ? "met" : "missed",
                note: complete ? undefined : r.stoppedBecause,
            });
            figures.push({
                name: `${thousands(total)} rows, host ${SHORT[mode]}: time`,
                value: `host ${fixed(hostMs(total, mode))} ms + visual ${fixed(visualMs(total, mode))} ms = ${fixed(bothMs(total, mode))} ms `
                    + `(medians of ${runs.length}); the visual's first window ${fixed(median(runs.map(m => m.run.foldMs[0])))} ms, `
                    + `each further segment median ${fixed(median(folds))} ms, max ${fixed(folds.length ? Math.max(...folds) : Number.NaN)} ms`,
                target: "", verdict: "no target",
            });
            const d = distinctValues(total);
            figures.push({
                name: `${thousands(total)} rows, host ${SHORT[mode]}: JS heap at the end`,
                value: `${megabytes(median(runs.map(m => m.heapEnd - m.heapBaseline)))} for host and visual: the host keeps `
                    + `${megabytes(hostHeap(total, mode))}, the visual ${megabytes(visualHeap(total, mode))} `
                    + `(${fixed(visualHeap(total, mode) / total)} B/row); ${thousands(d.apps)} apps, ${d.streams} streams`,
                target: "", verdict: "no target",
            });
        }
    }
    const ratio = (mode: HostMode) => bothMs(large, mode) / bothMs(small, mode);
    const incremental = ratio("requested");
    figures.push({
        name: `t(${thousands(large)}) / t(${thousands(small)}), host plus visual, incremental`,
        value: `${fixed(incremental)}× (rows ×${fixed(large / small)}); host alone ${fixed(hostMs(large, "requested") / hostMs(small, "requested"))}×, `
            + `visual alone ${fixed(visualMs(large, "requested") / visualMs(small, "requested"))}×`,
        target: `≤ ${TARGET_TIME_RATIO}`,
        verdict: ctx.judge(incremental <= TARGET_TIME_RATIO),
        note: incremental <= TARGET_TIME_RATIO || quick ? undefined
            : "the total grows faster than the rows: some per-update work is proportional to all rows loaded so far, not to the segment.",
    });
    figures.push({
        name: `t(${thousands(large)}) / t(${thousands(small)}), host plus visual, aggregated (before)`,
        value: `${fixed(ratio("aggregate"))}× (rows ×${fixed(large / small)}); host alone ${fixed(hostMs(large, "aggregate") / hostMs(small, "aggregate"))}×`,
        target: "", verdict: "no target",
    });
    figures.push({
        name: `Host work for ${thousands(large)} rows, aggregated / incremental`,
        value: `${fixed(hostMs(large, "aggregate") / hostMs(large, "requested"))}× (${fixed(hostMs(large, "aggregate"))} ms against ${fixed(hostMs(large, "requested"))} ms)`,
        target: "", verdict: "no target",
    });
    const heapAll = (mode: HostMode) => median(of(large, mode).map(m => m.heapEnd - m.heapBaseline));
    const heapBounded = heapAll("requested") <= heapAll("aggregate");
    figures.push({
        name: `Host and visual heap, ${thousands(large)} rows, incremental vs aggregated`,
        value: `${megabytes(heapAll("requested"))} vs ${megabytes(heapAll("aggregate"))}`,
        target: "incremental ≤ aggregated",
        verdict: ctx.judge(heapBounded),
        note: "Measured with CDP HeapProfiler.collectGarbage + Runtime.getHeapUsage: heap with visual and host data minus heap "
            + "after destroy(), removing the visual's element and dropping what the host keeps. In incremental mode the host "
            + "keeps nothing and the visual keeps the rows it was sent (selection and tooltips read them: "
            + "\"the visual keeps the data view passed to it\"); in aggregated mode the host keeps every row and "
            + "the visual its aggregates and the latest DataView.",
    });
    const details = [
        `Each run loads ${thousands(SEGMENT)} rows in the first update (metadata.segment set), then answers every `
        + "`host.fetchMoreData()` with the next segment, in one of two ways, side by side in one page: "
        + `**${SHORT.requested}**: ${MODE_NAME.requested}: only the new rows, operationKind Segment, the first row repeated `
        + `from the previous segment (lastMergeIndex 0); **${SHORT.aggregate}**: ${MODE_NAME.aggregate}, operationKind Append. `
        + `Runs alternate ${thousands(small)} and ${thousands(large)} rows and the two modes, ${repetitions}× each, except the `
        + `aggregated mode at ${thousands(large)} rows, run once (the host posts ${thousands(postedAggregated(large))} rows in it); `
        + "a fresh visual each run.",
        "",
        "The host's time per update is building the DataView it hands over plus `structuredClone` of it: Power BI runs a "
        + "custom visual in a sandboxed iframe and posts each update's DataView to it, and a posted message is a "
        + "structured clone. The visual receives that clone (strings of its own, as in the sandbox). The visual's time is "
        + "update() until renderingFinished, or until update() returns having asked for the next segment (the rendering "
        + "then goes on until loading ends, docs/visual.md \"Loading\"). Power BI's own query and network time is the same in both "
        + "modes and outside these figures; its 100 MB limit on aggregated segments is not applied here.",
        "",
        "The visual folds every segment into its aggregates as it arrives, but redraws its panels only when the rows "
        + "have doubled since it last drew them and when loading ends; the updates in "
        + `between refresh the loading note alone. So ${thousands(small)} rows are drawn ${drawsOf(small)} times and `
        + `${thousands(large)} rows ${drawsOf(large)} times, and the per-segment figures above mix both kinds of update.`,
    ];
    return { id: "scale", title: "2. Scale: fetchMoreData segments up to 1,048,576 rows", command: ctx.command("scale"), date: today(), figures, details };
}

/** Rows the host posts in aggregation mode: every row so far with each segment. */
function postedAggregated(total: number): number {
    let posted = 0;
    for (let rows = Math.min(SEGMENT, total); ; rows = Math.min(total, rows + SEGMENT)) {
        posted += rows;
        if (rows >= total) return posted;
    }
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
