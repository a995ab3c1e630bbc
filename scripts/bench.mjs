// `npm run bench [-- --quick] [-- --only render,scale,package,export,pushdown,grain]`: runs bench/main.ts through tsx
// and writes BENCHMARKS.md. Benchmarks are not tests: nothing in `npm test` runs this.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const result = spawnSync(process.execPath, ["--max-old-space-size=8192", "--expose-gc", "--import", "tsx", join(root, "bench", "main.ts"), ...process.argv.slice(2)], {
    cwd: root,
    stdio: "inherit",
});
if (result.error) {
    console.error(`bench: could not start Node: ${result.error.message}`);
    process.exit(1);
}
process.exit(result.status ?? 1);
