// Runs node:test specs under the given folders (Node 20 has no glob support in `node --test`).
import { spawnSync } from "node:child_process";
import { readdirSync, statSync, existsSync } from "node:fs";
import { join } from "node:path";

function specsUnder(dir) {
    if (!existsSync(dir)) return [];
    return readdirSync(dir).sort().flatMap(name => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return specsUnder(path);
        return /\.test\.ts$/.test(name) ? [path] : [];
    });
}

const folders = process.argv.slice(2);
const specs = folders.flatMap(specsUnder);
if (specs.length === 0) {
    console.error(`no *.test.ts specs under ${folders.join(", ")}`);
    process.exit(1);
}
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", ...specs], { stdio: "inherit" });
process.exit(result.status ?? 1);
