import powerbiVisuals from "eslint-plugin-powerbi-visuals";
import tseslint from "typescript-eslint";

// `pbiviz package` lints all of src/ with the plugin's recommended rules, the companion included: so do we.
const visualRules = ["src/**/*.ts"];

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
);
