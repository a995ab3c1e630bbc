import powerbiVisuals from "eslint-plugin-powerbi-visuals";
import tseslint from "typescript-eslint";

const visualSources = ["src/*.ts", "src/model/**/*.ts", "src/render/**/*.ts", "src/interaction/**/*.ts"];

export default tseslint.config(
    { ignores: ["node_modules/**", "dist/**", ".tmp/**", "coverage/**", ".vscode/**", "out/**"] },
    { ...powerbiVisuals.configs.recommended, files: visualSources },
    {
        files: ["**/*.ts"],
        extends: [tseslint.configs.recommended],
        rules: {
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
        },
    },
);
