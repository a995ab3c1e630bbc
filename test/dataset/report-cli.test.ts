import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runShadowit } from "./cli-process.ts";
import { UserError } from "../../src/dataset/errors.ts";
import { writeProject } from "../../src/dataset/report/index.ts";
import { fakePbiviz, sampleProject, WORKSPACE } from "./report-setup.ts";

function scratch(): { dir: string; visual: string; done: () => void } {
    const dir = mkdtempSync(path.join(os.tmpdir(), "shadowit-report-"));
    const visual = path.join(dir, "visual.pbiviz");
    writeFileSync(visual, fakePbiviz());
    return { dir, visual, done: () => rmSync(dir, { recursive: true, force: true }) };
}

function report(args: string[], visual: string) {
    return runShadowit(["report", "--visual", visual, ...args]);
}

test("writes the project and says where; nothing else is left beside it", async () => {
    const s = scratch();
    try {
        const out = path.join(s.dir, "project");
        const run = await report(["--workspace", WORKSPACE, "--out", out, "--name", "Contoso Shadow IT"], s.visual);
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /wrote the Power BI project .*Contoso Shadow IT\.pbip/);
        assert.deepEqual(readdirSync(out).sort(), [".gitignore", "Contoso Shadow IT.Report", "Contoso Shadow IT.SemanticModel", "Contoso Shadow IT.pbip"]);
        assert.deepEqual(readdirSync(s.dir).sort(), ["project", "visual.pbiviz"]);
        assert.ok(readFileSync(path.join(out, "Contoso Shadow IT.SemanticModel", "definition", "expressions.tmdl"), "utf8").includes(`"${WORKSPACE.toLowerCase()}" meta`));
    } finally {
        s.done();
    }
});

test("a bad workspace ID, a bad name or bad refresh windows exit 2 and write nothing", async () => {
    const s = scratch();
    try {
        const out = path.join(s.dir, "project");
        const cases: [string[], RegExp][] = [
            [["--workspace", "contoso-sentinel"], /--workspace "contoso-sentinel" is not a workspace ID: expected a GUID/],
            [["--workspace", WORKSPACE, "--name", "Shadow: IT"], /--name "Shadow: IT" holds ":", which file names cannot hold on Windows/],
            [["--workspace", WORKSPACE, "--name", "a/b"], /holds "\/"/],
            [["--workspace", WORKSPACE, "--name", "CON"], /reserves for devices/],
            [["--workspace", WORKSPACE, "--name", "Report."], /ends with a dot/],
            [["--workspace", WORKSPACE, "--refresh-days", "1"], /--refresh-days "1" is not valid: give a whole number of days from 2/],
            [["--workspace", WORKSPACE, "--keep-days", "5", "--refresh-days", "7"], /the days refreshed must lie within the days kept/],
            [["--workspace", WORKSPACE, "--days", "0"], /--days "0" is not valid/],
        ];
        for (const [args, message] of cases) {
            const run = await report([...args, "--out", out], s.visual);
            assert.equal(run.code, 2, args.join(" "));
            assert.match(run.stderr, message);
            assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
            assert.equal(existsSync(out), false, args.join(" "));
        }
        const missing = await report(["--workspace", WORKSPACE, "--out", out], path.join(s.dir, "none.pbiviz"));
        assert.equal(missing.code, 2);
        assert.match(missing.stderr, /cannot read the visual package .*none\.pbiviz \(ENOENT\)/);
    } finally {
        s.done();
    }
});

test("a non-empty output folder is refused unless --force, which replaces it whole", async () => {
    const s = scratch();
    try {
        const out = path.join(s.dir, "project");
        mkdirSync(out);
        writeFileSync(path.join(out, "notes.txt"), "keep me");
        const refused = await report(["--workspace", WORKSPACE, "--out", out], s.visual);
        assert.equal(refused.code, 2);
        assert.match(refused.stderr, /is not empty; choose a new folder, or add --force/);
        assert.deepEqual(readdirSync(out), ["notes.txt"]);
        const forced = await report(["--workspace", WORKSPACE, "--out", out, "--force"], s.visual);
        assert.equal(forced.code, 0, forced.stderr);
        assert.ok(existsSync(path.join(out, "Shadow IT.pbip")));
        assert.equal(existsSync(path.join(out, "notes.txt")), false);
        assert.deepEqual(readdirSync(s.dir).sort(), ["project", "visual.pbiviz"], "no temporary folder is left");
    } finally {
        s.done();
    }
});

test("a file on the way to --out exits 2 and names it; an unwritable place exits 1 with the reason; nothing is left half written", async () => {
    const s = scratch();
    try {
        // A parent that is a file: the same on every platform and for every user.
        const file = path.join(s.dir, "a-file");
        writeFileSync(file, "");
        for (const out of [path.join(file, "project"), path.join(file, "deeper", "project")]) {
            const run = await report(["--workspace", WORKSPACE, "--out", out], s.visual);
            assert.equal(run.code, 2);
            assert.match(run.stderr, /^shadowit: --out .*project: .*a-file is a file, not a folder; choose another --out folder\n$/);
            assert.deepEqual(readdirSync(s.dir).sort(), ["a-file", "visual.pbiviz"]);
        }
        if (process.platform !== "win32" && process.getuid?.() !== 0) {
            const locked = path.join(s.dir, "locked");
            mkdirSync(locked);
            chmodSync(locked, 0o555);
            try {
                const denied = await report(["--workspace", WORKSPACE, "--out", path.join(locked, "project")], s.visual);
                assert.equal(denied.code, 1);
                assert.match(denied.stderr, /permission denied \(EACCES\)/);
                assert.deepEqual(readdirSync(locked), []);
            } finally {
                chmodSync(locked, 0o755);
            }
        }
    } finally {
        s.done();
    }
});

test("--from-folder reads an export folder: the workspace comes from its one GUID subfolder", async () => {
    const s = scratch();
    try {
        const exports = path.join(s.dir, "exports");
        mkdirSync(path.join(exports, WORKSPACE.toLowerCase(), "McasShadowItReporting"), { recursive: true });
        const out = path.join(s.dir, "offline");
        const run = await report(["--from-folder", exports, "--out", out], s.visual);
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /it reads .*exports \(in the service, through an on-premises data gateway\)/);
        const appDaily = readFileSync(path.join(out, "Shadow IT.SemanticModel", "definition", "tables", "App Daily.tmdl"), "utf8");
        assert.ok(appDaily.includes(`Root = ${JSON.stringify(exports)},`), "the folder is absolute in the M");
        const expressions = readFileSync(path.join(out, "Shadow IT.SemanticModel", "definition", "expressions.tmdl"), "utf8");
        assert.ok(expressions.includes(`expression WorkspaceId = "${WORKSPACE.toLowerCase()}" meta`));
        const empty = await report(["--from-folder", path.join(s.dir, "none"), "--out", path.join(s.dir, "other")], s.visual);
        assert.equal(empty.code, 2);
        assert.match(empty.stderr, /cannot read the export folder .*none \(ENOENT\)/);
    } finally {
        s.done();
    }
});

test("a write that fails half-way removes the staging folder and the parent folders it created", () => {
    const s = scratch();
    try {
        // "x" as a file and "x/y" below it: the second write fails (ENOTDIR) after the first succeeded.
        const broken = { ...sampleProject(), files: new Map<string, string>([["x", "1"], ["x/y", "2"]]) };
        const out = path.join(s.dir, "new", "deeper", "project");
        assert.throws(() => writeProject(broken, out, false), (error: unknown) => {
            assert.ok(error instanceof UserError);
            assert.equal(error.exitCode, 1);
            assert.match(error.message, /cannot write the project beside .*project: (a parent is a file, not a folder \(ENOTDIR\)|it already exists \(EEXIST\)); choose another --out folder/);
            return true;
        });
        assert.deepEqual(readdirSync(s.dir), ["visual.pbiviz"]);
    } finally {
        s.done();
    }
});
