import { builtinModules } from "node:module";
import powerbiVisuals from "eslint-plugin-powerbi-visuals";
import tseslint from "typescript-eslint";

// `pbiviz package` lints all of src/ with the plugin's recommended rules, the companion included: so do we.
const visualRules = ["src/**/*.ts"];

// The layers' one-way flow (docs/architecture.md, "Boundaries"); test/shared/boundaries.test.ts checks the same
// rules over the whole import graph, and that the visual's bundle reaches no Node code.
const nodeAndCompanion = [
    { regex: "^node:", message: "The visual runs in a browser sandbox: no Node modules." },
    { regex: "^(\\.\\.?/)+(\\.\\./)*(dataset|preview)(/|$)", message: "The visual imports nothing from the companion (src/dataset) or the preview host (src/preview)." },
];
const nodeBuiltins = builtinModules.filter(name => !name.startsWith("_")).map(name => ({
    name, message: "The visual runs in a browser sandbox: no Node modules.",
}));
const visualLayers = ["src/visual.ts", "src/settings.ts", "src/schema.ts", "src/model/**/*.ts", "src/render/**/*.ts", "src/interaction/**/*.ts", "src/panels/**/*.ts"];

export default tseslint.config(
    { ignores: ["node_modules/**", "dist/**", ".tmp/**", "coverage/**", ".vscode/**", "out/**"] },
    { ...powerbiVisuals.configs.recommended, files: visualRules },
    {
        files: ["**/*.ts"],
        extends: [tseslint.configs.recommended],
        rules: {
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
        },
    },
    {
        files: visualLayers,
        rules: { "no-restricted-imports": ["error", { paths: nodeBuiltins, patterns: nodeAndCompanion }] },
    },
    {
        // The model is pure data: it knows nothing of drawing, clicks or the visual that wires them.
        files: ["src/model/**/*.ts"],
        rules: {
            "no-restricted-imports": ["error", {
                paths: nodeBuiltins,
                patterns: [
                    ...nodeAndCompanion,
                    { regex: "^(\\.\\./)+(render|interaction)(/|$)", message: "The model imports nothing from src/render or src/interaction." },
                    { regex: "^(\\.\\./)+visual$", message: "The model imports nothing from src/visual.ts." },
                    { regex: "^(\\.\\./)+panels/(renderers|[a-z-]+/(render|export))$", message: "The model loads the panels' model halves only: how a panel draws is in src/panels/renderers.ts." },
                ],
            }],
        },
    },
    {
        // A panel's model half (its definition, module, index.ts and model.ts) is part of the model: it loads neither the
        // renderer nor the panel's render half (renderers.ts, render.ts, export.ts). Types alone (a title's StringKey)
        // are erased from the JavaScript and allowed.
        files: ["src/panels/**/*.ts"],
        ignores: ["src/panels/renderers.ts", "src/panels/*/render.ts", "src/panels/*/export.ts"],
        rules: {
            "@typescript-eslint/no-restricted-imports": ["error", {
                patterns: [
                    {
                        regex: "^(\\.\\./)+(render|interaction|export)/", allowTypeImports: true,
                        message: "A panel's model half loads nothing that draws, clicks or exports: that is its render half's job (src/panels/renderers.ts).",
                    },
                    {
                        regex: "^\\.\\.?/(\\.\\./)*([a-z-]+/)?(renderers|render|export)$", allowTypeImports: true,
                        message: "A panel's model half loads no render half (src/panels/renderers.ts, a panel's render.ts or export.ts).",
                    },
                    { regex: "^(\\.\\./)+visual$", message: "A panel's model half imports nothing from src/visual.ts." },
                ],
            }],
        },
    },
);
