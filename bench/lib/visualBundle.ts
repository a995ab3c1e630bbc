import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import JSZip from "jszip";

export interface VisualBundle {
    readonly file: string;
    readonly sizeBytes: number;
    readonly guid: string;
    readonly version: string;
    readonly contentJs: string;
    readonly contentCss: string;
    readonly strings: Record<string, string>;
    /** Set when the package was rebuilt by this run. */
    readonly rebuilt: boolean;
}

/** Inputs of `pbiviz package`: when any is newer than the package, it is rebuilt before measuring. */
const VISUAL_INPUTS = ["src", "style", "stringResources", "assets", "capabilities.json", "pbiviz.json", "tsconfig.json"];
const NOT_IN_VISUAL = new Set([join("src", "dataset"), join("src", "preview")]);

function newestMtime(root: string, relative: string): number {
    const path = join(root, relative);
    if (!existsSync(path) || NOT_IN_VISUAL.has(relative)) return 0;
    const stat = statSync(path);
    if (!stat.isDirectory()) return stat.mtimeMs;
    let newest = 0;
    for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(root, join(relative, name)));
    return newest;
}

export function findPackage(root: string): string | null {
    const dist = join(root, "dist");
    if (!existsSync(dist)) return null;
    const files = readdirSync(dist).filter(f => f.endsWith(".pbiviz")).map(f => join(dist, f));
    if (files.length === 0) return null;
    return files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

export function packageIsStale(root: string, file: string): boolean {
    const built = statSync(file).mtimeMs;
    return VISUAL_INPUTS.some(input => newestMtime(root, input) > built);
}

function buildPackage(root: string): void {
    const cli = join(root, "node_modules", "powerbi-visuals-tools", "bin", "pbiviz.js");
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm install first`);
    console.log("bench: building the visual with `pbiviz package` …");
    const result = spawnSync(process.execPath, [cli, "package"], { cwd: root, stdio: "inherit" });
    if (result.status !== 0) throw new Error(`pbiviz package failed (exit ${result.status}): the visual does not build`);
}

/** The packaged visual, rebuilt first when it is missing or older than its sources. */
export async function loadVisualBundle(root: string): Promise<VisualBundle> {
    let file = findPackage(root);
    let rebuilt = false;
    if (!file || packageIsStale(root, file)) {
        if (!existsSync(join(root, "src", "visual.ts")) || !existsSync(join(root, "capabilities.json"))) {
            throw new Error("the visual has no src/visual.ts or capabilities.json yet: nothing to package");
        }
        buildPackage(root);
        rebuilt = true;
        file = findPackage(root);
        if (!file) throw new Error("pbiviz package succeeded but wrote no dist/*.pbiviz");
    }
    return readBundle(root, file, rebuilt);
}

/** The visual in a .pbiviz file: its content.js, style, guid and en-US strings. */
export async function readBundle(root: string, file: string, rebuilt = false): Promise<VisualBundle> {
    const zip = await JSZip.loadAsync(readFileSync(file));
    const entry = Object.keys(zip.files).find(name => /^resources\/[^/]+\.pbiviz\.json$/.test(name));
    if (!entry) throw new Error(`${file} has no resources/<guid>.pbiviz.json`);
    const manifest = JSON.parse(await zip.files[entry].async("string")) as {
        visual?: { guid?: string; version?: string };
        content?: { js?: string; css?: string };
        stringResources?: Record<string, Record<string, string>>;
    };
    const guid = manifest.visual?.guid;
    const contentJs = manifest.content?.js;
    if (!guid || !contentJs) throw new Error(`${file}: ${entry} has no visual.guid or content.js`);
    let strings = manifest.stringResources?.["en-US"] ?? {};
    const resources = join(root, "stringResources", "en-US", "resources.json");
    if (Object.keys(strings).length === 0 && existsSync(resources)) {
        strings = JSON.parse(readFileSync(resources, "utf8")) as Record<string, string>;
    }
    return {
        file, sizeBytes: statSync(file).size, guid, version: manifest.visual?.version ?? "?", contentJs,
        contentCss: manifest.content?.css ?? "", strings, rebuilt,
    };
}
