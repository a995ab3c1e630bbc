import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import { readTmdl, type TmdlObject } from "./report-tmdl-reader.ts";
import { readPackagedVisual } from "../../src/dataset/report/pbiviz.ts";
import { REPO, sampleProject, textOf, VISUAL_GUID, zip } from "./report-setup.ts";
import type { RoleName } from "../../src/model/types.ts";
import type { PanelDefinition } from "../../src/panels/definition.ts";
import { PANELS } from "../../src/panels/registry.ts";

const SCHEMA_ROOT = path.join(REPO, "vendor", "schemas", "fabric");
const SCHEMA_URL = "https://developer.microsoft.com/json-schemas/fabric/";

function schemaFiles(dir: string): string[] {
    return readdirSync(dir).flatMap(name => {
        const full = path.join(dir, name);
        return statSync(full).isDirectory() ? schemaFiles(full) : name.endsWith(".json") ? [full] : [];
    });
}

/** Every vendored schema, registered under the URL it is published at, so that relative $refs resolve. */
function validators(): (url: string) => ValidateFunction {
    const ajv = new Ajv({ strict: false, allErrors: true });
    for (const file of schemaFiles(SCHEMA_ROOT)) {
        const schema = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
        const url = SCHEMA_URL + path.relative(SCHEMA_ROOT, file).split(path.sep).join("/");
        assert.equal(String(schema.$schema), "http://json-schema.org/draft-07/schema#", `${url} is draft-07 (ajv's default)`);
        ajv.addSchema({ ...schema, $id: url }, url);
    }
    return url => {
        const validate = ajv.getSchema(url);
        assert.ok(validate, `the schema ${url} is vendored in vendor/schemas/fabric`);
        return validate;
    };
}

test("every PBIP and PBIR JSON file validates against the schema its $schema names", () => {
    const project = sampleProject();
    const schemaOf = validators();
    const jsonFiles = [...project.files.keys()].filter(f => /\.(json|pbir|pbism|pbip)$/.test(f) && !f.includes("/CustomVisuals/"));
    assert.equal(jsonFiles.length, 21);
    for (const file of jsonFiles) {
        const document = JSON.parse(textOf(project, file)) as { $schema?: string };
        assert.ok(document.$schema?.startsWith(SCHEMA_URL), `${file} names its schema`);
        const validate = schemaOf(String(document.$schema));
        assert.ok(validate(document), `${file}: ${JSON.stringify(validate.errors, null, 1)}`);
    }
});

test("the schema check fails on a file Power BI would refuse (a visual without a position)", () => {
    const project = sampleProject();
    const file = "Shadow IT.Report/definition/pages/shadowItPage/visuals/shadowItTopApps/visual.json";
    const document = JSON.parse(textOf(project, file)) as Record<string, unknown>;
    delete document.position;
    const validate = validators()(String(document.$schema));
    assert.equal(validate(document), false);
});

test("the .pbip opens the report, and the report refers to the model by relative path", () => {
    const project = sampleProject();
    assert.deepEqual(JSON.parse(textOf(project, "Shadow IT.pbip")).artifacts, [{ report: { path: "Shadow IT.Report" } }]);
    assert.deepEqual(JSON.parse(textOf(project, "Shadow IT.Report/definition.pbir")).datasetReference, { byPath: { path: "../Shadow IT.SemanticModel" } });
});

test("the visual is a private custom visual: its package under CustomVisuals/<guid>/, registered in resourcePackages", () => {
    const project = sampleProject();
    const report = JSON.parse(textOf(project, "Shadow IT.Report/definition/report.json")) as { resourcePackages: unknown };
    assert.deepEqual(report.resourcePackages, [{ name: VISUAL_GUID, type: "CustomVisual", items: [{ name: `${VISUAL_GUID}.pbiviz.json`, path: `${VISUAL_GUID}.pbiviz.json`, type: "CustomVisualMetadata" }] }]);
    const folder = `Shadow IT.Report/CustomVisuals/${VISUAL_GUID}/`;
    assert.equal(JSON.parse(textOf(project, `${folder}package.json`)).visual.guid, VISUAL_GUID);
    assert.ok(project.files.has(`${folder}resources/${VISUAL_GUID}.pbiviz.json`));
});

interface Projection { field: Record<"Column" | "Measure", { Expression: { SourceRef: { Entity: string } }; Property: string }> }
interface VisualFile {
    name: string;
    visual: {
        visualType: string;
        query: { queryState: Record<string, { projections: Projection[] }> };
        visualContainerObjects: { title: [{ properties: { show: unknown; text: { expr: { Literal: { Value: string } } } } }]; general: [{ properties: { altText: { expr: { Literal: { Value: string } } } } }] };
    };
}

function visualsOf(page: string): VisualFile[] {
    const project = sampleProject();
    const prefix = `Shadow IT.Report/definition/pages/${page}/visuals/`;
    return [...project.files.keys()].filter(f => f.startsWith(prefix)).map(f => JSON.parse(textOf(project, f)) as VisualFile);
}

test("every field a visual binds exists in the model, as a column or a measure of that table", () => {
    const project = sampleProject();
    const tables = [...project.files.keys()].filter(f => f.includes("/definition/tables/"))
        .flatMap(f => readTmdl(textOf(project, f), f)).filter(o => o.type === "Table");
    const has = (kind: string, table: string, name: string) => tables.some((t: TmdlObject) => t.name === table && t.children.some(c => c.type === kind && c.name === name));
    let bound = 0;
    for (const page of ["shadowItPage", "identityPage"]) {
        for (const visual of visualsOf(page)) {
            for (const [role, state] of Object.entries(visual.visual.query.queryState)) {
                for (const projection of state.projections) {
                    const [kind, ref] = Object.entries(projection.field)[0] as ["Column" | "Measure", { Expression: { SourceRef: { Entity: string } }; Property: string }];
                    assert.ok(has(kind, ref.Expression.SourceRef.Entity, ref.Property), `${visual.name}.${role}: ${kind} ${ref.Expression.SourceRef.Entity}[${ref.Property}]`);
                    bound++;
                }
            }
        }
    }
    assert.equal(bound, 45);
});

test("the users table keeps only users with traffic to risky apps and failed or risky sign-ins", () => {
    const table = visualsOf("identityPage").find(v => v.name === "flaggedUsersTable") as unknown as { filterConfig: { filters: { field: unknown; filter: unknown }[] } };
    const measure = { Measure: { Expression: { SourceRef: { Entity: "Risky App Users" } }, Property: "Flagged user risky app traffic" } };
    assert.deepEqual(table.filterConfig.filters.map(f => f.field), [measure]);
    assert.deepEqual(table.filterConfig.filters[0]?.filter, {
        Version: 2,
        From: [{ Name: "f", Entity: "Risky App Users", Type: 0 }],
        Where: [{ Condition: { Comparison: { ComparisonKind: 1, Left: { Measure: { Expression: { SourceRef: { Source: "f" } }, Property: "Flagged user risky app traffic" } }, Right: { Literal: { Value: "0L" } } } } }],
    });
});

test("the shadowit visual binds its capabilities' roles; the pages have the slicers and native visuals asked for", () => {
    const capabilities = JSON.parse(readFileSync(path.join(REPO, "capabilities.json"), "utf8")) as { dataRoles: { name: string; kind: string }[] };
    const roles = new Map(capabilities.dataRoles.map(r => [r.name, r.kind]));
    const shadowIt = visualsOf("shadowItPage");
    const customs = shadowIt.filter(v => v.visual.visualType === VISUAL_GUID);
    assert.deepEqual(customs.map(v => v.name).sort(), [
        "shadowItCategories", "shadowItFreshness", "shadowItKpis", "shadowItRiskBands", "shadowItStreams", "shadowItTimeline", "shadowItTopApps",
    ]);
    for (const custom of customs) {
        for (const [role, state] of Object.entries(custom.visual.query.queryState)) {
            const kind = roles.get(role);
            assert.ok(kind, `${role} is a data role of capabilities.json`);
            const fieldKind = Object.keys(state.projections[0]?.field ?? {})[0];
            assert.equal(fieldKind, kind === "Measure" ? "Measure" : "Column", role);
        }
    }
    // Only the per-stream panels group by stream: elsewhere a row per stream would add Global view to the others.
    assert.deepEqual(customs.filter(v => "StreamName" in v.visual.query.queryState).map(v => v.name).sort(), ["shadowItFreshness", "shadowItStreams"]);
    const kpis = customs.find(v => v.name === "shadowItKpis");
    assert.deepEqual(Object.values(kpis?.visual.query.queryState.Users?.projections[0]?.field ?? {})[0], { Expression: { SourceRef: { Entity: "User Daily" } }, Property: "Users" });
    assert.ok(Object.keys(kpis?.visual.query.queryState ?? {}).every(role => roles.get(role) === "Measure"), "no grouping role on the headline visual");
    // The exact-count roles: each panel gets the measure of its grain (docs/visual.md, exact distinct counts).
    const boundTo = (name: string, role: string) => Object.values(customs.find(v => v.name === name)?.visual.query.queryState[role]?.projections[0]?.field ?? {})[0];
    assert.deepEqual(boundTo("shadowItKpis", "UsersTotal"), { Expression: { SourceRef: { Entity: "User Daily" } }, Property: "Users (total)" });
    assert.deepEqual(boundTo("shadowItTopApps", "UsersPerApp"), { Expression: { SourceRef: { Entity: "App Daily" } }, Property: "Users per app" });
    assert.deepEqual(boundTo("shadowItStreams", "UsersPerStream"), { Expression: { SourceRef: { Entity: "User Daily" } }, Property: "Users per stream" });
    const page = JSON.parse(textOf(sampleProject(), "Shadow IT.Report/definition/pages/shadowItPage/page.json")) as { visualInteractions: unknown };
    assert.deepEqual(page.visualInteractions, [
        ...customs.map(v => v.name).filter(name => name !== "shadowItKpis").map(source => ({ source, target: "shadowItKpis", type: "NoFilter" })),
        { source: "userSlicer", target: "shadowItFreshness", type: "NoFilter" },
    ]);
    assert.deepEqual(shadowIt.filter(v => v.visual.visualType === "slicer").map(v => Object.values(v.visual.query.queryState.Values?.projections[0]?.field ?? {})[0]?.Property), ["Date", "StreamName", "DisplayName"]);
    assert.deepEqual(visualsOf("identityPage").map(v => v.visual.visualType).sort(), ["clusteredColumnChart", "slicer", "tableEx"]);
});

/** The panel a shadowit visual's objects put it in (panel mode), as its saved literal, or undefined. */
function panelModeOf(visual: VisualFile): string | undefined {
    const objects = (visual.visual as unknown as { objects?: { panelMode?: [{ properties: { panel?: { expr: { Literal: { Value: string } } } } }] } }).objects;
    const value = objects?.panelMode?.[0]?.properties.panel?.expr.Literal.Value;
    return value === undefined ? undefined : value.replace(/^'(.*)'$/, "$1");
}

/** What a panel-mode visual lacks: its panel mode names no registered panel, or its bindings miss fields the panel needs. */
function panelModeProblems(visual: VisualFile, modes: readonly string[]): string[] {
    const panelId = panelModeOf(visual);
    if (panelId === undefined) return [`${visual.name} has no panel mode`];
    if (!modes.includes(panelId) || panelId === "dashboard") return [`${visual.name}'s panel mode "${panelId}" is none of capabilities.json's panels`];
    const panel = (PANELS as readonly PanelDefinition[]).find(p => p.id === panelId);
    if (panel === undefined) return [`${visual.name}'s panel "${panelId}" is not registered`];
    const missing = panel.missing(new Set(Object.keys(visual.visual.query.queryState) as RoleName[]));
    return missing.length > 0 ? [`${visual.name} (${panelId}) binds no ${missing.join(", ")}`] : [];
}

test("every shadowit visual shows one registered panel, bound to every field that panel needs", () => {
    const capabilities = JSON.parse(readFileSync(path.join(REPO, "capabilities.json"), "utf8")) as {
        objects: { panelMode: { properties: { panel: { type: { enumeration: { value: string }[] } } } } };
    };
    const modes = capabilities.objects.panelMode.properties.panel.type.enumeration.map(item => item.value);
    const customs = visualsOf("shadowItPage").filter(v => v.visual.visualType === VISUAL_GUID);
    assert.deepEqual(customs.flatMap(v => panelModeProblems(v, modes)), []);
    assert.deepEqual(customs.map(panelModeOf).sort(), ["category-traffic", "freshness", "kpis", "risk-bands", "stream-bytes", "timeline", "top-apps"]);
    // The check finds a visual without a field its panel needs, and a panel mode that names no panel.
    const streams = customs.find(v => v.name === "shadowItStreams") as VisualFile;
    const { UploadedBytes: _dropped, ...rest } = streams.visual.query.queryState;
    assert.deepEqual(panelModeProblems({ ...streams, visual: { ...streams.visual, query: { queryState: rest } } }, modes), ["shadowItStreams (stream-bytes) binds no UploadedBytes"]);
    const renamed = JSON.parse(JSON.stringify(streams).replace("'stream-bytes'", "'streams'")) as VisualFile;
    assert.match(panelModeProblems(renamed, modes).join(), /panel mode "streams" is none of capabilities.json's panels/);
});

test("every visual has a title and alt text", () => {
    for (const page of ["shadowItPage", "identityPage"]) {
        for (const visual of visualsOf(page)) {
            const objects = visual.visual.visualContainerObjects;
            assert.match(objects.title[0].properties.text.expr.Literal.Value, /^'.{4,}'$/, `${visual.name} title`);
            assert.match(objects.general[0].properties.altText.expr.Literal.Value, /^'.{20,}'$/, `${visual.name} alt text`);
        }
    }
});

test("a packaged visual is read from its deflated zip; a damaged one is refused with what to do", () => {
    const manifest = JSON.stringify({ visual: { guid: VISUAL_GUID, displayName: "Shadow IT Discovery" } });
    const resource = JSON.stringify({ visual: { guid: VISUAL_GUID }, content: { js: "x".repeat(5000) } });
    const deflated = zip({ "package.json": manifest, [`resources/${VISUAL_GUID}.pbiviz.json`]: resource }, true);
    const visual = readPackagedVisual(deflated, "deflated.pbiviz");
    assert.equal(visual.guid, VISUAL_GUID);
    assert.equal(visual.files.get(`resources/${VISUAL_GUID}.pbiviz.json`)?.toString("utf8"), resource);
    assert.ok(deflated.length < resource.length, "the entry really is compressed");
    assert.throws(() => readPackagedVisual(Buffer.from("not a zip at all, just text"), "bad.pbiviz"), /bad\.pbiviz is not a valid \.pbiviz package \(no zip directory\); build it again with `npm run package`/);
    assert.throws(() => readPackagedVisual(zip({ "package.json": manifest }), "partial.pbiviz"), /partial\.pbiviz holds no resources\/.*\.pbiviz\.json/);
    assert.throws(() => readPackagedVisual(zip({ "package.json": "{}" }), "noguid.pbiviz"), /names no visual guid/);
});
