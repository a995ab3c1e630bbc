import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { SAMPLE_PROJECT_NAME, sampleDesktopDays, writeSampleProject } from "../../src/dataset/report/sample-project.ts";
import { fakePbiviz, NOW, WORKSPACE } from "./report-setup.ts";

test("npm start's sample project: written over the export folder, replaced on the next start", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "shadowit-sample-project-"));
    try {
        const visualFile = path.join(dir, "visual.pbiviz");
        writeFileSync(visualFile, fakePbiviz());
        const exportDir = path.join(dir, "sample-export");
        const out = path.join(dir, "sample-project");
        const options = { exportDir, workspaceId: WORKSPACE.toLowerCase(), visualFile, out, now: NOW };
        const pbip = writeSampleProject(options);
        assert.equal(pbip, path.join(out, `${SAMPLE_PROJECT_NAME}.pbip`));
        const model = path.join(out, `${SAMPLE_PROJECT_NAME}.SemanticModel`, "definition");
        assert.ok(readFileSync(path.join(model, "tables", "SigninLogs.tmdl"), "utf8").includes(`Root = ${JSON.stringify(exportDir)},`));
        // Desktop loads the 30 days before the end of "now"'s UTC day: the sample tenant's month.
        const expressions = readFileSync(path.join(model, "expressions.tmdl"), "utf8");
        assert.match(expressions, /expression RangeStart = #datetime\(2026, 2, 1, 0, 0, 0\)/);
        assert.match(expressions, /expression RangeEnd = #datetime\(2026, 3, 3, 0, 0, 0\)/);
        writeFileSync(path.join(out, "stale.txt"), "from an older start");
        writeSampleProject(options);
        assert.deepEqual(readdirSync(out).sort(), [".gitignore", `${SAMPLE_PROJECT_NAME}.Report`, `${SAMPLE_PROJECT_NAME}.SemanticModel`, `${SAMPLE_PROJECT_NAME}.pbip`]);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});

test("npm start's sample project loads every UTC day of the export, as the preview shows them", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "shadowit-sample-days-"));
    try {
        const workspaceId = WORKSPACE.toLowerCase();
        const days = path.join(dir, "sample-export", workspaceId, "McasShadowItReporting");
        mkdirSync(days, { recursive: true });
        // The sample covers the 30 days before its end (10:00 UTC): its first rows fall on a 31st UTC day.
        for (const day of ["2026-01-31", "2026-02-15", "2026-03-02"]) writeFileSync(path.join(days, `${day}.parquet`), "");
        writeFileSync(path.join(days, "2026-01-01.parquet.tmp"), "");
        assert.equal(sampleDesktopDays(path.join(dir, "sample-export"), workspaceId, NOW), 31);
        assert.equal(sampleDesktopDays(path.join(dir, "nowhere"), workspaceId, NOW), 30);
        const visualFile = path.join(dir, "visual.pbiviz");
        writeFileSync(visualFile, fakePbiviz());
        const out = path.join(dir, "sample-project");
        writeSampleProject({ exportDir: path.join(dir, "sample-export"), workspaceId, visualFile, out, now: NOW });
        const expressions = readFileSync(path.join(out, `${SAMPLE_PROJECT_NAME}.SemanticModel`, "definition", "expressions.tmdl"), "utf8");
        assert.match(expressions, /expression RangeStart = #datetime\(2026, 1, 31, 0, 0, 0\)/);
        assert.match(expressions, /expression RangeEnd = #datetime\(2026, 3, 3, 0, 0, 0\)/);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});
