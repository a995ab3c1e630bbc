// A CSV export that is interrupted and resumed ends with the same bytes as a clean export of the same range: a
// resume reads day files back to merge into them, and must write every value as the clean export does (empty
// strings as `""`, nulls as bare empty fields).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { runExport } from "../../src/dataset/export/index.ts";
import { DAY, END, exportOptions, exportTarget, iso, rejectsWithUserError, suiteEmulator, TABLE } from "./export-setup.ts";

const START = END - 3 * DAY;

function csvFiles(folder: string): Map<string, Buffer> {
    const dir = path.join(folder, TABLE);
    return new Map(readdirSync(dir).filter(n => n.endsWith(".csv")).sort().map(n => [n, readFileSync(path.join(dir, n))]));
}

describe("export: a resumed CSV export", () => {
    // The sample's anonymous firewall records have an empty UserName and EnrichedUserName.
    const running = suiteEmulator({ rows: 3000, seed: 61, days: 4 });

    it("writes files byte-identical to a clean export of the same range", async () => {
        const emulator = running();
        const clean = exportTarget(emulator, "csv-clean");
        await runExport(exportOptions(emulator, clean.out, { since: iso(START), until: iso(END), format: "csv", rowBudget: 200 }));
        const expected = csvFiles(clean.folder);
        assert.ok([...expected.values()].some(bytes => bytes.includes(",\"\",")), "the range holds empty strings, written as \"\"");

        // The interrupted run: after its first day file, every request is refused, so the run stops half-way.
        const resumed = exportTarget(emulator, "csv-resumed");
        let interrupted = false;
        const stderr = {
            isTTY: false,
            write: (text: string) => {
                if (!interrupted && / wrote /.test(text)) {
                    interrupted = true;
                    emulator.setFaults({ expiredToken: true });
                }
                return true;
            },
        };
        try {
            await rejectsWithUserError(runExport(
                exportOptions(emulator, resumed.out, { since: iso(START), until: iso(END), format: "csv", rowBudget: 200, concurrency: 1, progress: "lines" }),
                { stderr, env: {} },
            ));
        } finally {
            emulator.setFaults({});
        }
        const partial = csvFiles(resumed.folder);
        assert.ok(partial.size > 0 && partial.size < expected.size, `the interrupted run wrote ${partial.size} of ${expected.size} day files`);

        // The resume re-reads the overlap before the watermark, merging into the last day file written.
        await runExport(exportOptions(emulator, resumed.out, { until: iso(END), format: "csv", rowBudget: 200 }));
        const actual = csvFiles(resumed.folder);
        assert.deepEqual([...actual.keys()], [...expected.keys()]);
        for (const [name, bytes] of expected) assert.ok(actual.get(name)?.equals(bytes), `${name} differs from the clean export's`);

        // And a run that merges a whole day back in (an explicit rerun over the range) still changes no byte.
        await runExport(exportOptions(emulator, resumed.out, { since: iso(START + DAY), until: iso(END - DAY / 2), format: "csv", rowBudget: 200 }));
        for (const [name, bytes] of csvFiles(resumed.folder)) assert.ok(bytes.equals(expected.get(name) as Buffer), `${name} changed on a rerun`);
    });
});
