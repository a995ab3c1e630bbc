import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { SAMPLE_PROJECT_NAME, writeSampleProject } from "../../src/dataset/report/sample-project.ts";
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
