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

test("the model imports nothing from render, interaction or the visual", () => {
    const model = VISUAL_FILES.filter(file => under(file, "model"));
    assert.ok(model.length > 10, "src/model has its modules");
    assert.deepEqual(violations(model, ({ file }) => {
        if (file === null) return null;
        if (under(file, "render") || under(file, "interaction")) return "drawing and clicks sit above the model";
        return file === join(SRC, "visual.ts") ? "the visual wires the model, not the other way" : null;
    }), []);
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
