// Builds dist/<guid>.<version>.pbiviz with `pbiviz package` when it is missing or older than the visual's sources.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** What goes into the package. The preview and the companion are not part of the visual bundle. */
const SOURCE_ENTRIES = ["src", "style", "stringResources", "assets", "capabilities.json", "pbiviz.json", "tsconfig.json"];
const NOT_IN_BUNDLE = [join("src", "preview"), join("src", "dataset")];

function newestModification(root: string, path: string): number {
    const full = join(root, path);
    if (!existsSync(full)) return 0;
    const stats = statSync(full);
    if (!stats.isDirectory()) return stats.mtimeMs;
    if (NOT_IN_BUNDLE.includes(relative(root, full))) return 0;
    let newest = stats.mtimeMs;
    for (const name of readdirSync(full)) newest = Math.max(newest, newestModification(root, join(path, name)));
    return newest;
}

function visualGuid(root: string): string {
    const pbiviz = JSON.parse(readFileSync(join(root, "pbiviz.json"), "utf8")) as { visual?: { guid?: string } };
    const guid = pbiviz.visual?.guid;
    if (!guid) throw new Error("pbiviz.json has no visual.guid");
    return guid;
}

/** The newest packaged visual in dist/, or null. */
export function findPackagedVisual(root: string): { file: string; mtimeMs: number } | null {
    const dist = join(root, "dist");
    if (!existsSync(dist)) return null;
    const guid = visualGuid(root);
    const candidates = readdirSync(dist)
        .filter(name => name.startsWith(`${guid}.`) && name.endsWith(".pbiviz"))
        .map(name => ({ file: join(dist, name), mtimeMs: statSync(join(dist, name)).mtimeMs }))
        .sort((a, b) => b.mtimeMs - a.mtimeMs);
    return candidates[0] ?? null;
}

export interface BuildResult {
    readonly file: string;
    readonly rebuilt: boolean;
}

export async function ensurePackagedVisual(root: string, log: (line: string) => void, force = false): Promise<BuildResult> {
    const existing = findPackagedVisual(root);
    const sourcesChanged = SOURCE_ENTRIES.reduce((newest, entry) => Math.max(newest, newestModification(root, entry)), 0);
    if (existing && !force && existing.mtimeMs >= sourcesChanged) {
        log(`visual: ${relative(root, existing.file)} is up to date`);
        return { file: existing.file, rebuilt: false };
    }
    log(existing ? "visual: sources changed, running pbiviz package…" : "visual: no package in dist/, running pbiviz package…");
    await runPbivizPackage(root);
    const built = findPackagedVisual(root);
    if (!built) throw new Error("pbiviz package finished but dist/ holds no .pbiviz for this visual");
    log(`visual: built ${relative(root, built.file)}`);
    return { file: built.file, rebuilt: true };
}

function runPbivizPackage(root: string): Promise<void> {
    const entry = join(root, "node_modules", "powerbi-visuals-tools", "bin", "pbiviz.js");
    if (!existsSync(entry)) {
        return Promise.reject(new Error("powerbi-visuals-tools is not installed: run `npm ci` first"));
    }
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [entry, "package"], { cwd: root, stdio: ["ignore", "pipe", "pipe"], windowsHide: true });
        const output: string[] = [];
        const keep = (chunk: Buffer) => {
            output.push(chunk.toString("utf8"));
            if (output.length > 400) output.splice(0, output.length - 400);
        };
        child.stdout.on("data", keep);
        child.stderr.on("data", keep);
        child.on("error", reject);
        child.on("close", (code, signal) => {
            if (code === 0) resolve();
            else {
                const tail = output.join("").split(/\r?\n/).filter(line => line.trim() !== "").slice(-40).join("\n");
                reject(new Error(`pbiviz package failed (${signal ?? `exit code ${code}`}):\n${tail}`));
            }
        });
    });
}
