import { mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { BenchContext, today } from "../lib/context";
import { BenchPage, GrainResult } from "../lib/benchPage";
import { Figure, SectionResult } from "../lib/report";
import { fixed, median, megabytes, thousands } from "../lib/stats";
import { APPS_PER_DAY, DAYS, userDayDistinct, USERS } from "../data/userDayRows";
import { redrawsPanels } from "../../src/model/progress";
import { ModelAccumulator } from "../../src/model/accumulator";
import { bindRoles } from "../../src/model/input";
import { buildDataView, EVERY_GROUPING } from "../page/dataView";
import { userDayRows } from "../data/userDayRows";

const SEGMENT = 30_000;
/** Time per segment at the end of the load over the start, note-only updates: a linear fold keeps it near 1. */
const TARGET_LINEAR = 1.5;
/** The aggregates' heap with twice the rows and the same distinct values, over the heap with the rows once. */
const TARGET_FLAT = 1.2;

interface HeapRun {
    readonly rows: number;
    readonly split: boolean;
    /** The visual's heap at the end: with the visual minus after destroy() and its element removed. */
    readonly visual: number;
    /** The same rows held alone, as the visual keeps them (bench/page/entry.ts holdRows). */
    readonly rowsAlone: number;
    /** The fold's aggregates alone (foldHeap, in Node). */
    readonly aggregates: number;
}

function collectGarbage(): void {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error("run Node with --expose-gc (npm run bench does) to measure the fold's heap");
    gc();
    gc();
}

/**
 * Heap of the model's aggregates alone after folding `total` rows in segments, in this Node process: each segment's
 * columns hold only its own rows at their row numbers (sparse arrays), are folded into one ModelAccumulator as the
 * visual folds an appended segment, and are dropped before the next; what stays is what the fold keeps.
 */
function foldHeap(total: number, split: boolean): number {
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    // Folded in a function of its own: the last segment's rows, still on its stack, are garbage once it returns.
    const accumulator = foldSegments(total, split);
    collectGarbage();
    const after = process.memoryUsage().heapUsed;
    if (accumulator.rowsRead !== total) throw new Error(`the fold read ${accumulator.rowsRead} of ${total} rows`);
    return after - before;
}

function foldSegments(total: number, split: boolean): ModelAccumulator {
    let accumulator: ModelAccumulator | null = null;
    for (let loaded = 0; loaded < total; loaded += SEGMENT) {
        const count = Math.min(SEGMENT, total - loaded);
        const dataView = buildDataView(userDayRows(loaded, count, split), total > loaded + count, loaded, EVERY_GROUPING);
        const shift = (values: unknown[]) => {
            const placed: unknown[] = [];
            for (let i = values.length - 1; i >= 0; i--) placed[loaded + i] = values[i];
            return placed;
        };
        for (const column of dataView.categorical.categories) column.values = shift(column.values);
        for (const column of dataView.categorical.values) column.values = shift(column.values);
        accumulator ??= new ModelAccumulator(bindRoles(dataView as never));
        accumulator.fold(dataView as never, loaded);
    }
    if (accumulator === null) throw new Error("no rows to fold");
    return accumulator;
}

/**
 * The visual loading a generated DataView at user × day grain (UserName and TimeGenerated bound with every other
 * role) through fetchMoreData(false) segments: time and heap per segment, the note shown while loading, and the
 * heap with twice the rows but the same distinct values.
 */
export async function runGrain(ctx: BenchContext): Promise<SectionResult> {
    const quick = ctx.options.quick;
    const total = quick ? 150_000 : 1_048_576;
    const half = total / 2;
    const bundle = await ctx.visualBundle();
    const browser = await ctx.chromium();
    const page = await BenchPage.open(browser, await ctx.benchPageScript(), bundle);
    const shotsDir = join(ctx.root, ".tmp", "bench");
    mkdirSync(shotsDir, { recursive: true });
    const shots: string[] = [];
    await page.page.exposeFunction("benchSnapshot", async (label: string) => {
        const file = join(shotsDir, `grain-${label.replace(/\W+/g, "-")}.png`);
        await page.page.screenshot({ path: file });
        shots.push(`${label}: ${relative(ctx.root, file)}`);
    });
    const segmentsOf = (rows: number) => Math.ceil(rows / SEGMENT);
    const heaps: HeapRun[] = [];
    let main: GrainResult;
    try {
        // Untimed: compiles the code paths first.
        await page.grain(2 * SEGMENT, SEGMENT, false, []);
        console.log(`bench grain: ${thousands(total)} rows at user × day grain in segments of ${thousands(SEGMENT)}`);
        const lastSegment = segmentsOf(total);
        main = await page.grain(total, SEGMENT, false, [1, 2, Math.ceil(lastSegment / 2), lastSegment]);
        for (const [rows, split] of [[half, false], [total, true]] as const) {
            console.log(`bench grain: ${thousands(rows)} rows${split ? ", each row split by address" : ""}, heap`);
            await page.call("destroyAll");
            await page.grain(rows, SEGMENT, split, []);
            // Through CDP (Runtime.getHeapUsage, a double): in the full run the page's performance.memory gave the same
            // reading with and without the visual once the heap passed about 2 GB.
            const withVisual = await page.heapAfterGc();
            await page.call("destroyVisual");
            const withoutVisual = await page.heapAfterGc();
            await page.holdRows(rows, SEGMENT, split);
            const rowsAlone = await page.heapAfterGc() - withoutVisual;
            await page.call("dropHostData");
            heaps.push({ rows, split, visual: withVisual - withoutVisual, rowsAlone, aggregates: foldHeap(rows, split) });
        }
        if (page.errors.length > 0) throw new Error(`page errors during the user × day run: ${page.errors.slice(0, 3).join("; ")}`);
    } finally {
        await page.close();
    }

    const segments = main.segments;
    const redraws = redrawFlags(segments.map(s => s.rows), main.rowsLoaded === total);
    const noteOnly = segments.map((s, k) => ({ ...s, k })).filter(s => s.k > 0 && !redraws[s.k]);
    const third = Math.max(1, Math.floor(noteOnly.length / 3));
    const early = median(noteOnly.slice(0, third).map(s => s.ms));
    const late = median(noteOnly.slice(-third).map(s => s.ms));
    const linear = late / early;
    const d = userDayDistinct(total);
    const [once, twice] = heaps;
    const aggregatesOnce = once.aggregates;
    const aggregatesTwice = twice.aggregates;
    const flat = aggregatesTwice / aggregatesOnce;
    const dHalf = userDayDistinct(half);
    const dTwice = userDayDistinct(total, true);
    const complete = main.rowsLoaded === total;
    const noteAt = (k: number) => segments[Math.min(segments.length, k) - 1]?.note || "(no note)";

    const figures: Figure[] = [
        {
            name: `${thousands(total)} rows at user × day grain: segments loaded`,
            value: `${thousands(main.rowsLoaded)} rows in ${segments.length} updates; ${thousands(d.users)} users, ${d.days} days, `
                + `${thousands(d.apps)} apps, ${d.streams} streams, ${thousands(d.addresses)} IP addresses`,
            target: `all ${thousands(total)} rows`,
            verdict: complete ? "met" : "missed",
            note: complete ? undefined : main.stoppedBecause,
        },
        {
            name: "Time per segment",
            value: `first window ${fixed(segments[0].ms)} ms; note-only updates median ${fixed(median(noteOnly.map(s => s.ms)))} ms `
                + `(max ${fixed(Math.max(...noteOnly.map(s => s.ms)))}); the ${redraws.filter(Boolean).length} updates that redraw the `
                + `panels ${segments.filter((_, k) => redraws[k]).map(s => fixed(s.ms)).join(", ")} ms; all updates together `
                + `${fixed(segments.reduce((a, s) => a + s.ms, 0))} ms`,
            target: "", verdict: "no target",
        },
        {
            name: "Linear fold: note-only updates, last third / first third (medians)",
            value: `${fixed(linear)}× (${fixed(late)} ms against ${fixed(early)} ms)`,
            target: `≤ ${TARGET_LINEAR}×`,
            verdict: ctx.judge(linear <= TARGET_LINEAR),
            note: linear <= TARGET_LINEAR || quick ? undefined
                : "a segment costs more as rows accumulate: some per-update work grows with the rows folded so far.",
        },
        {
            name: "JS heap after the first, middle and last segment",
            value: [0, Math.floor(segments.length / 2), segments.length - 1]
                .map(k => `${megabytes(segments[k].heapBytes)} at ${thousands(segments[k].rows)} rows`).join("; "),
            target: "", verdict: "no target",
        },
        {
            name: `Heap, ${thousands(half)} rows (${thousands(dHalf.users)} users, ${thousands(dHalf.apps)} apps)`,
            value: `the visual ${megabytes(once.visual)} (${fixed(once.visual / half)} B/row); the same rows held alone `
                + `${megabytes(once.rowsAlone)}; the fold's aggregates ${megabytes(once.aggregates)}`,
            target: "", verdict: "no target",
        },
        {
            name: `Heap, ${thousands(total)} rows split by address (the same ${thousands(dTwice.users)} users, ${thousands(dTwice.apps)} apps, days, addresses)`,
            value: `the visual ${megabytes(twice.visual)} (${fixed(twice.visual / total)} B/row); the same rows held alone `
                + `${megabytes(twice.rowsAlone)}; the fold's aggregates ${megabytes(twice.aggregates)}`,
            target: "", verdict: "no target",
        },
        {
            name: "The fold's aggregates with 2× rows and the same distinct values",
            value: `${fixed(flat)}× (${megabytes(aggregatesTwice)} against ${megabytes(aggregatesOnce)}); the visual as a whole `
                + `${fixed(twice.visual / once.visual)}×, the rows alone ${fixed(twice.rowsAlone / once.rowsAlone)}×`,
            target: `≤ ${TARGET_FLAT}×`,
            verdict: ctx.judge(flat <= TARGET_FLAT),
            note: "The visual keeps every row it is sent (segments.ts: \"the visual keeps the data view passed to it\", for "
                + "selection and tooltips), which grows with the rows by design; what it folds them into grows with the distinct "
                + "values. The visual's heap is measured in the page (with it minus after destroy()); the rows alone are the same "
                + "segments structured-cloned and appended to one array per column in the page, as the visual keeps them; the "
                + "aggregates are measured in Node (process.memoryUsage after two collections), folding the same segments into "
                + "one ModelAccumulator and dropping each segment's rows after its fold.",
        },
        {
            name: "What the visual shows while loading (its note line)",
            value: `after segment 1: "${noteAt(1)}"; after segment 2: "${noteAt(2)}"; at the end: "${noteAt(segments.length)}"`,
            target: "", verdict: "no target",
        },
    ];
    const details = [
        `Rows: bench/data/userDayRows.ts, one row per (day, user, app): ${thousands(USERS)} users × ${DAYS} days × ${APPS_PER_DAY} `
        + "apps a day, each user in one department's stream with an office and a VPN address, apps from the catalogue of "
        + "bench/data/discoveryRows.ts. Days vary fastest, so the app changes on every row (the order least favourable to "
        + "the fold's runs) and the users grow with the rows. Every role is bound: the five app fields, TimeGenerated "
        + "(local-midnight Date objects), UserName, IpAddress, AppId and the seven measures.",
        "",
        `The host answers fetchMoreData(false) as in section 2 (incremental): a first window of ${thousands(SEGMENT)} rows, then `
        + "the next segment per request, its first row repeated (lastMergeIndex 0), structured-cloned as posted into the "
        + "visual's iframe. Time per segment is update() until renderingFinished or until update() returned having asked for "
        + "more. Heap is performance.memory.usedJSHeapSize (Chromium with --enable-precise-memory-info) after two full "
        + "collections, for the whole page: the host's generator keeps nothing between segments.",
        "",
        "The 2× run splits each row of the first half in two, one per address of its user, with the traffic shared: twice the "
        + "rows, and the same users, days, apps, streams, addresses and (user, day, app) combinations as the half run.",
        "",
        "| Segment | Rows | Update (ms) | Redraws panels | Heap | Note |",
        "| --- | --- | --- | --- | --- | --- |",
        ...segments.map((s, k) => `| ${k + 1} | ${thousands(s.rows)} | ${fixed(s.ms)} | ${redraws[k] ? "yes" : "no"} | `
            + `${megabytes(s.heapBytes)} | ${s.note.replace(/\|/g, "\\|") || "–"} |`),
        "",
        `Screenshots of the page (not committed): ${shots.join("; ") || "none"}.`,
    ];
    return { id: "grain", title: TITLE, command: ctx.command("grain"), date: today(), figures, details };
}

export const TITLE = "6. Scale at user × day grain: 1,048,576 rows with every role bound";

/** Which updates redraw the panels (src/model/progress.ts), for segments ending at the given row counts. */
function redrawFlags(rowsAfter: readonly number[], complete: boolean): boolean[] {
    let rowsDrawn = 0;
    return rowsAfter.map((rows, k) => {
        const moreDataPending = k < rowsAfter.length - 1 || !complete;
        const redraws = redrawsPanels({ rowsRead: rows, rowsDrawn, moreDataPending, isAppend: k > 0 });
        if (redraws) rowsDrawn = rows;
        return redraws;
    });
}
