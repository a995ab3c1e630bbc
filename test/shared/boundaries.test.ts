import { test } from "node:test";
import assert from "node:assert/strict";
import { builtinModules } from "node:module";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import webpack from "webpack";
import { ESLint } from "eslint";

/*
 * The layers' boundaries (docs/architecture.md, "Boundaries"): eslint's no-restricted-imports holds them file by
 * file; this reads the whole import graph, so an import that slips past a pattern (a dynamic import, a re-export,
 * a path spelled differently) still fails, and bundles the visual as pbiviz does to prove it reaches no Node code.
 */

const ROOT = resolve(__dirname, "..", "..");
const SRC = join(ROOT, "src");
const NODE_BUILTINS = new Set(builtinModules);

interface Import {
    readonly specifier: string;
    /** The file it resolves to, for a relative specifier that names one. */
    readonly file: string | null;
    /** `import type` / `export type`: erased from the JavaScript. */
    readonly typeOnly: boolean;
}

function tsFilesUnder(dir: string): string[] {
    return readdirSync(dir).sort().flatMap(name => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return tsFilesUnder(path);
        return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [path] : [];
    });
}

function resolveRelative(from: string, specifier: string): string | null {
    const base = resolve(dirname(from), specifier);
    for (const candidate of [base, `${base}.ts`, join(base, "index.ts")]) {
        if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
    return null;
}

const importCache = new Map<string, Import[]>();

/** Every import of a file: declarations, re-exports, `import()` and `require()`. */
function importsOf(file: string): Import[] {
    const cached = importCache.get(file);
    if (cached) return cached;
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    const found: Import[] = [];
    const add = (specifier: string, typeOnly: boolean): void => {
        found.push({ specifier, typeOnly, file: specifier.startsWith(".") ? resolveRelative(file, specifier) : null });
    };
    const visit = (node: ts.Node): void => {
        if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
            const clause = node.importClause;
            const typeOnly = clause !== undefined && (clause.isTypeOnly || (clause.name === undefined
                && clause.namedBindings !== undefined && ts.isNamedImports(clause.namedBindings)
                && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every(e => e.isTypeOnly)));
            add(node.moduleSpecifier.text, typeOnly);
        } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
            add(node.moduleSpecifier.text, node.isTypeOnly);
        } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])
            && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === "require"))) {
            add(node.arguments[0].text, false);
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    importCache.set(file, found);
    return found;
}

const shown = (file: string): string => relative(ROOT, file).split(sep).join("/");
const under = (file: string, folder: string): boolean => file.startsWith(join(SRC, folder) + sep);
const isNodeBuiltin = (specifier: string): boolean => specifier.startsWith("node:") || NODE_BUILTINS.has(specifier.split("/")[0]);

/** The visual's layers: everything in src/ but the companion and the preview host. */
const VISUAL_FILES = tsFilesUnder(SRC).filter(file => !under(file, "dataset") && !under(file, "preview"));

function violations(files: readonly string[], forbidden: (imported: Import) => string | null): string[] {
    return files.flatMap(file => importsOf(file).flatMap(imported => {
        const why = forbidden(imported);
        return why === null ? [] : [`${shown(file)} imports "${imported.specifier}": ${why}`];
    }));
}

/*
 * The visual's layers (docs/architecture.md, "Layers"), lowest first. A panel is split in two: its model half
 * (src/panels/registry.ts, definition.ts, needs.ts, each panel's module, index.ts and model.ts) belongs to the model,
 * its render half (src/panels/renderers.ts and each panel folder's render.ts and export.ts) to the renderer.
 */
type Layer = "schema" | "model" | "settings" | "export" | "render" | "interaction" | "visual";

const PANEL_RENDER_HALVES = new Set(["renderers.ts", "render.ts", "export.ts"]);

function layerOf(file: string): Layer {
    if (file === join(SRC, "schema.ts")) return "schema";
    if (file === join(SRC, "settings.ts")) return "settings";
    if (under(file, "model")) return "model";
    if (under(file, "panels")) return PANEL_RENDER_HALVES.has(file.slice(file.lastIndexOf(sep) + 1)) ? "render" : "model";
    if (under(file, "export")) return "export";
    if (under(file, "render")) return "render";
    if (under(file, "interaction")) return "interaction";
    return "visual";
}

/*
 * What each layer's code may load at run time, whatever the path. `import type` is free across layers: it is
 * erased from the JavaScript, so a model type may name a render type (a panel's title is a StringKey) without the
 * model loading a line of the renderer. The renderer's one run-time use of src/interaction is the Defender address
 * (defender-link.ts, a pure function of the app id); the rest of interaction talks to the host and sits above it.
 */
const ALLOWED: Readonly<Record<Layer, readonly Layer[]>> = {
    schema: ["schema"],
    model: ["schema", "model"],
    settings: ["schema", "model", "settings"],
    export: ["export"],
    render: ["schema", "model", "settings", "export", "render"],
    interaction: ["schema", "model", "settings", "export", "render", "interaction"],
    visual: ["schema", "model", "settings", "export", "render", "interaction", "visual"],
};
const RENDER_MAY_LOAD = new Set([join(SRC, "interaction", "defender-link.ts")]);

/** The files `file` loads at run time, itself included, with the chain of imports that reaches each. */
function runtimeClosure(file: string): Map<string, string[]> {
    const reached = new Map<string, string[]>([[file, [file]]]);
    const queue = [file];
    while (queue.length > 0) {
        const current = queue.shift() as string;
        for (const imported of importsOf(current)) {
            if (imported.typeOnly || imported.file === null || reached.has(imported.file)) continue;
            reached.set(imported.file, [...(reached.get(current) as string[]), imported.file]);
            queue.push(imported.file);
        }
    }
    return reached;
}

/** Every file a layer's code loads, directly or not, that its layer may not load; each with the chain that reaches it. */
function layerViolations(files: readonly string[], layerFor: (file: string) => Layer = layerOf): string[] {
    return files.flatMap(file => {
        const layer = layerFor(file);
        const allowed = ALLOWED[layer];
        return [...runtimeClosure(file)].flatMap(([reached, chain]) => {
            const other = layerFor(reached);
            if (allowed.includes(other)) return [];
            if (layer === "render" && RENDER_MAY_LOAD.has(reached)) return [];
            return [`${layer}: ${chain.map(shown).join(" → ")} (${other})`];
        });
    });
}

test("the layers load only what lies below them, also through other modules (type imports aside)", () => {
    const model = VISUAL_FILES.filter(file => layerOf(file) === "model");
    assert.ok(model.filter(file => under(file, "model")).length > 10, "src/model has its modules");
    assert.ok(model.some(file => under(file, "panels")), "the panels' model halves are in the model layer");
    assert.deepEqual(layerViolations(VISUAL_FILES), []);
});

test("the Defender address the renderer loads from src/interaction loads only the model", () => {
    for (const file of RENDER_MAY_LOAD) {
        const outside = [...runtimeClosure(file).keys()].filter(reached => reached !== file && !ALLOWED.model.includes(layerOf(reached)));
        assert.deepEqual(outside.map(shown), [], shown(file));
    }
});

test("the layer check follows a chain of imports to a forbidden module", () => {
    // Taken for a model module, the renderers' registry reaches src/render through the panels' render halves: the
    // chain the old registry made from model/snapshot.ts, whose panel definitions carried their render functions.
    const renderers = join(SRC, "panels", "renderers.ts");
    const asModel = (file: string): Layer => file === renderers ? "model" : layerOf(file);
    const chains = layerViolations([renderers], asModel);
    assert.ok(chains.some(chain => /^model: src\/panels\/renderers\.ts → src\/panels\/[a-z-]+\/render\.ts \(render\)$/.test(chain)), chains.join("\n"));
    // Two steps away: a module of src/render that renderers.ts does not import itself, reached through one it does.
    assert.ok(chains.some(chain => /^model: src\/panels\/renderers\.ts → \S+ → src\/render\/\S+ \(render\)$/.test(chain)), chains.join("\n"));
});

test("the model imports nothing from render, interaction or the visual", () => {
    const model = VISUAL_FILES.filter(file => under(file, "model"));
    assert.ok(model.length > 10, "src/model has its modules");
    assert.deepEqual(violations(model, ({ file }) => {
        if (file === null) return null;
        if (under(file, "render") || under(file, "interaction")) return "drawing and clicks sit above the model";
        return file === join(SRC, "visual.ts") ? "the visual wires the model, not the other way" : null;
    }), []);
});

test("the visual's run-time closure reaches no Node module, companion or preview code", () => {
    const reached = runtimeClosure(join(SRC, "visual.ts"));
    const foreign = [...reached].flatMap(([file, chain]) => importsOf(file).filter(i => !i.typeOnly).flatMap(({ specifier, file: target }) => {
        if (isNodeBuiltin(specifier)) return [`${chain.map(shown).join(" → ")} imports "${specifier}"`];
        if (target !== null && (under(target, "dataset") || under(target, "preview"))) return [`${chain.map(shown).join(" → ")} → ${shown(target)}`];
        return [];
    }));
    assert.ok(reached.size > 50, "the visual loads its modules");
    assert.deepEqual(foreign, []);
});

test("no module of the visual imports the companion, the preview host or Node", () => {
    assert.deepEqual(violations(VISUAL_FILES, ({ specifier, file }) => {
        if (isNodeBuiltin(specifier)) return "a Node module, absent from the browser sandbox";
        if (file !== null && (under(file, "dataset") || under(file, "preview"))) return "the companion's or the preview's code";
        if (specifier.startsWith(".") && file === null) return "resolves to no file";
        return null;
    }), []);
});

test("no run-time import of the model closes a loop, even through type imports", () => {
    // Type imports between the fold's shapes are fine (they vanish from the JavaScript), but a module that loads
    // another at run time must not be imported back by it: that is what tied the accumulator and the model builder.
    const model = new Set(VISUAL_FILES.filter(file => under(file, "model")));
    const edges = (file: string, runtimeOnly: boolean): string[] => importsOf(file)
        .filter(i => i.file !== null && model.has(i.file) && !(runtimeOnly && i.typeOnly)).map(i => i.file as string);
    const pathBetween = (from: string, to: string): string[] | null => {
        const cameFrom = new Map<string, string>([[from, from]]);
        const queue = [from];
        while (queue.length > 0) {
            const file = queue.shift() as string;
            if (file === to) {
                const path = [to];
                while (path[0] !== from) path.unshift(cameFrom.get(path[0]) as string);
                return path;
            }
            for (const next of edges(file, false)) {
                if (!cameFrom.has(next)) {
                    cameFrom.set(next, file);
                    queue.push(next);
                }
            }
        }
        return null;
    };
    const loops = [...model].flatMap(file => edges(file, true).flatMap(next => {
        const back = pathBetween(next, file);
        return back === null ? [] : [[file, ...back].map(shown).join(" → ")];
    }));
    assert.deepEqual(loops, []);
});

test("lint rejects a forbidden import in the model and in the renderer", async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const source = [
        'import { fitText } from "../render/format";',
        'import { readFileSync } from "node:fs";',
        'import { UserError } from "../dataset/errors";',
        "export const used = [fitText, readFileSync, UserError];",
        "",
    ].join("\n");
    const [model] = await eslint.lintText(source, { filePath: join(SRC, "model", "boundary-probe.ts") });
    const [render] = await eslint.lintText(source.replace("../render/format", "./format"), { filePath: join(SRC, "render", "boundary-probe.ts") });
    const restricted = (result: ESLint.LintResult): number[] =>
        result.messages.filter(m => m.ruleId === "no-restricted-imports").map(m => m.line);
    assert.deepEqual(restricted(model), [1, 2, 3]);
    assert.deepEqual(restricted(render), [2, 3]);
});

test("lint rejects a panel's model half that loads the renderer or a render half, and lets a type through", async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const source = [
        'import { renderKpis } from "../render/kpis";',
        'import { aiAppsTable } from "./ai-apps/render";',
        'import { PANEL_RENDERERS } from "./renderers";',
        'import type { StringKey } from "../render/strings";',
        'import { csvText } from "../export/csv";',
        "export const used = [renderKpis, aiAppsTable, PANEL_RENDERERS, csvText];",
        "export type Key = StringKey;",
        "",
    ].join("\n");
    const [half] = await eslint.lintText(source, { filePath: join(SRC, "panels", "boundary-probe.ts") });
    const [renderHalf] = await eslint.lintText(source, { filePath: join(SRC, "panels", "renderers.ts") });
    const restricted = (result: ESLint.LintResult): number[] =>
        result.messages.filter(m => m.ruleId === "@typescript-eslint/no-restricted-imports").map(m => m.line);
    assert.deepEqual(restricted(half), [1, 2, 3, 5]);
    assert.deepEqual(restricted(renderHalf), []);
    const [model] = await eslint.lintText('import { PANEL_RENDERERS } from "../panels/renderers";\nexport const used = PANEL_RENDERERS;\n',
        { filePath: join(SRC, "model", "boundary-probe.ts") });
    assert.deepEqual(model.messages.filter(m => m.ruleId === "no-restricted-imports").map(m => m.line), [1]);
});

test("the visual's bundle, built from src/visual.ts for the browser as pbiviz does, holds no Node code", async () => {
    const out = mkdtempSync(join(tmpdir(), "shadowit-bundle-"));
    try {
        // target "web" as pbiviz's webpack config: a Node module (fs, node:*) fails to resolve instead of being bundled.
        const compiler = webpack({
            mode: "production",
            target: "web",
            context: ROOT,
            entry: join(SRC, "visual.ts"),
            output: { path: out, filename: "visual.js", library: { type: "var", name: "shadowit" } },
            optimization: { minimize: false },
            resolve: { extensions: [".ts", ".js"] },
            module: {
                rules: [
                    { test: /\.ts$/, exclude: /node_modules/, use: { loader: "ts-loader", options: { transpileOnly: true, configFile: join(ROOT, "tsconfig.json") } } },
                    { test: /\.resjson$/, type: "json" },
                    // The stylesheet's text: pbiviz compiles it apart; only scripts matter here.
                    { test: /\.less$/, type: "asset/source" },
                ],
            },
            performance: { hints: false },
            infrastructureLogging: { level: "none" },
        });
        const stats = await new Promise<webpack.Stats>((done, fail) => compiler.run((error, result) => {
            compiler.close(() => undefined);
            if (error || !result) fail(error ?? new Error("webpack returned no stats"));
            else done(result);
        }));
        const info = stats.toJson({ all: false, errors: true, modules: true, nestedModules: true });
        assert.deepEqual((info.errors ?? []).map(e => e.message.split("\n")[0]), []);
        const modules = (info.modules ?? []).flatMap(m => [m, ...(m.modules ?? [])]).map(m => m.name ?? "");
        assert.ok(modules.some(name => name.includes("src/visual.ts")), "the bundle holds the visual");
        const foreign = modules.filter(name => /(^|\/)src\/(dataset|preview)\//.test(name) || /^(node:|external "(node:)?(fs|path|os|crypto|child_process)")/.test(name));
        assert.deepEqual(foreign, []);
    } finally {
        rmSync(out, { recursive: true, force: true });
    }
});
