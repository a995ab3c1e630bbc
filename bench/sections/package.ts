import JSZip from "jszip";
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { BenchContext, today } from "../lib/context";
import { Figure, SectionResult } from "../lib/report";

const TARGET_KB = 100;

export async function runPackage(ctx: BenchContext): Promise<SectionResult> {
    const bundle = await ctx.visualBundle();
    const kb = bundle.sizeBytes / 1024;
    const met = kb <= TARGET_KB;
    const zip = await JSZip.loadAsync(readFileSync(bundle.file));
    const entries = await Promise.all(Object.values(zip.files).filter(f => !f.dir).map(async f => ({
        name: f.name, bytes: (await f.async("uint8array")).length,
    })));
    const figures: Figure[] = [{
        name: `${relative(ctx.root, bundle.file).replace(/\\/g, "/")}`,
        value: `${kb.toFixed(1)} KB (${bundle.sizeBytes.toLocaleString("en-US")} bytes; 1 KB = 1,024 bytes)`,
        target: `≤ ${TARGET_KB} KB`,
        verdict: met ? "met" : "missed",
        note: met ? undefined
            : `the package is ${(kb - TARGET_KB).toFixed(1)} KB over; content.js is ${(bundle.contentJs.length / 1024).toFixed(1)} KB `
                + "uncompressed: look for whole libraries pulled in where a submodule would do.",
    }, {
        name: "content.js (the visual bundle, uncompressed)",
        value: `${(bundle.contentJs.length / 1024).toFixed(1)} KB`,
        target: "", verdict: "no target",
    }];
    const details = [
        `Package ${bundle.rebuilt ? "rebuilt by this run with `pbiviz package`" : "as found in dist/ (newer than its sources)"}; `
        + `visual ${bundle.guid} version ${bundle.version}.`,
        "",
        "| Zip entry | Uncompressed bytes |",
        "| --- | --- |",
        ...entries.map(e => `| ${e.name} | ${e.bytes.toLocaleString("en-US")} |`),
    ];
    return { id: "package", title: "3. Package size", command: ctx.command("package"), date: today(), figures, details };
}
