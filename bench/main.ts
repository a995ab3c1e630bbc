import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { HelpRequested, parseArgs, SECTIONS, SectionId } from "./lib/args";
import { BenchContext, today } from "./lib/context";
import { describeMachine } from "./lib/machine";
import { previousSections, renderReport, renderSection, SectionResult, summaryOf } from "./lib/report";
import { runExport } from "./sections/export";
import { runPackage } from "./sections/package";
import { runPushdown } from "./sections/pushdown";
import { runRender } from "./sections/render";
import { runScale } from "./sections/scale";
import { runGrain, TITLE as GRAIN_TITLE } from "./sections/grain";

const TITLES: Record<SectionId, string> = {
    render: "1. Render: the visual against Vega-Lite",
    scale: "2. Scale: fetchMoreData segments up to 1,048,576 rows",
    package: "3. Package size",
    export: "4. Export: emulator → LogsQueryClient → Parquet",
    pushdown: "5. Pushdown: raw rows against the aggregated KQL",
    grain: GRAIN_TITLE,
};

const RUNNERS: Record<SectionId, (ctx: BenchContext) => Promise<SectionResult>> = {
    render: runRender,
    scale: runScale,
    package: runPackage,
    export: runExport,
    pushdown: runPushdown,
    grain: runGrain,
};

async function main(): Promise<number> {
    let options;
    try {
        options = parseArgs(process.argv.slice(2));
    } catch (error) {
        if (error instanceof HelpRequested) {
            console.log(error.message);
            return 0;
        }
        console.error(`bench: ${(error as Error).message}`);
        return 2;
    }
    const root = resolve(__dirname, "..");
    const machine = describeMachine();
    const ctx = new BenchContext(root, options, machine);
    const out = options.out ? resolve(options.out)
        : options.quick ? join(root, ".tmp", "BENCHMARKS.quick.md") : join(root, "BENCHMARKS.md");
    const sections = previousSections(out);
    let failures = 0;
    const started = Date.now();
    try {
        for (const id of options.only) {
            const t0 = Date.now();
            let result: SectionResult;
            try {
                result = await RUNNERS[id](ctx);
            } catch (error) {
                failures++;
                const reason = (error as Error).message;
                console.error(`bench ${id}: not measured: ${reason}`);
                result = {
                    id, title: TITLES[id], command: ctx.command(id), date: today(), details: [],
                    figures: [{ name: "all figures of this section", value: "–", target: "see the issue", verdict: "not measured", note: reason }],
                };
            }
            sections.set(id, renderSection(result, machine));
            console.log(`bench ${id}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
            mkdirSync(dirname(out), { recursive: true });
            writeFileSync(out, renderReport(SECTIONS, sections, summaryOf(SECTIONS, sections), options.quick));
        }
    } finally {
        await ctx.close();
    }
    console.log(`bench: wrote ${out} in ${((Date.now() - started) / 1000).toFixed(0)} s`
        + (failures ? ` (${failures} section(s) not measured)` : ""));
    return failures ? 1 : 0;
}

main().then(code => { process.exitCode = code; }, error => {
    console.error(error);
    process.exitCode = 1;
});
