// The Power BI Project (PBIP) layout, and writing it so that nothing is ever half written: the project is built in
// a temporary folder beside the target and renamed into place at the end.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { UserError } from "../errors.ts";
import { defaultRange } from "../m/parameters.ts";
import { buildSemanticModel, type SemanticModelDef } from "./model.ts";
import type { ReportOptions } from "./options.ts";
import { reportFiles } from "./pbir.ts";
import type { PackagedVisual } from "./pbiviz.ts";
import { semanticModelDefinitionFiles } from "./tmdl.ts";

const PBIP_SCHEMA = "https://developer.microsoft.com/json-schemas/fabric/pbip/pbipProperties/1.0.0/schema.json";
const PBISM_SCHEMA = "https://developer.microsoft.com/json-schemas/fabric/item/semanticModel/definitionProperties/1.0.0/schema.json";

export interface Project {
    readonly model: SemanticModelDef;
    /** Every file by its path relative to the output folder, with "/" separators. */
    readonly files: ReadonlyMap<string, string | Buffer>;
}

function json(value: object): string {
    return `${JSON.stringify(value, null, 2)}\n`;
}

/** The whole project as files (pure). `now` sets Desktop's default RangeStart/RangeEnd. */
export function buildProject(options: ReportOptions, visual: PackagedVisual, now: Date): Project {
    const model = buildSemanticModel({
        workspace: options.workspace,
        range: defaultRange(options.desktopDays, now),
        policy: { rollingWindowDays: options.keepDays, incrementalDays: options.refreshDays },
        ...(options.fromFolder !== undefined ? { fromFolder: options.fromFolder } : {}),
    });
    const modelFolder = `${options.name}.SemanticModel`;
    const reportFolder = `${options.name}.Report`;
    const files = new Map<string, string | Buffer>();
    files.set(`${options.name}.pbip`, json({
        $schema: PBIP_SCHEMA, version: "1.0", artifacts: [{ report: { path: reportFolder } }], settings: { enableAutoRecovery: true },
    }));
    files.set(`${modelFolder}/definition.pbism`, json({ $schema: PBISM_SCHEMA, version: "4.0", settings: {} }));
    for (const [path, text] of semanticModelDefinitionFiles(model)) files.set(`${modelFolder}/definition/${path}`, text);
    for (const [path, content] of reportFiles(modelFolder, visual)) files.set(`${reportFolder}/${path}`, content);
    files.set(".gitignore", "**/.pbi/localSettings.json\n**/.pbi/cache.abf\n");
    return { model, files };
}

function reasonOf(error: unknown): string {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const reasons: Record<string, string> = {
        EACCES: "permission denied", EPERM: "operation not permitted", EROFS: "read-only file system",
        ENOSPC: "no space left on the device", ENOTDIR: "a parent is a file, not a folder", EEXIST: "it already exists",
    };
    return code ? `${reasons[code] ?? "cannot write"} (${code})` : String(error);
}

/**
 * Writes the project into `out`. An existing non-empty `out` is refused unless `force`; then the old folder is
 * replaced only once the new project is complete. Validation problems exit 2; I/O failures exit 1.
 */
export function writeProject(project: Project, out: string, force: boolean): string {
    const target = resolve(out);
    if (existsSync(target)) {
        if (!statSync(target).isDirectory()) throw new UserError(`--out ${target} is a file, not a folder; choose a folder path`);
        if (readdirSync(target).length > 0 && !force) {
            throw new UserError(`--out ${target} is not empty; choose a new folder, or add --force to replace its contents with the project`);
        }
    }
    const parent = dirname(target);
    // A file on the way to --out: mkdir reports it as EEXIST on Linux and ENOTDIR elsewhere; name the file instead.
    const blocking = firstExistingAncestor(parent);
    if (blocking !== undefined && !statSync(blocking).isDirectory()) {
        throw new UserError(`--out ${target}: ${blocking} is a file, not a folder; choose another --out folder`);
    }
    const staging = join(parent, `.${basename(target)}.shadowit-${process.pid}.tmp`);
    let createdParent: string | undefined;
    try {
        createdParent = mkdirSync(parent, { recursive: true });
        rmSync(staging, { recursive: true, force: true });
        mkdirSync(staging);
        for (const [path, content] of project.files) {
            const file = join(staging, ...path.split("/"));
            mkdirSync(dirname(file), { recursive: true });
            writeFileSync(file, content);
        }
    } catch (error) {
        removeQuietly(staging);
        // Folders created on the way to --out go too: a failed run leaves the disk as it found it.
        if (createdParent !== undefined) removeQuietly(createdParent);
        throw new UserError(`cannot write the project beside ${target}: ${reasonOf(error)}; choose another --out folder`, 1);
    }
    const previous = existsSync(target) ? join(parent, `.${basename(target)}.shadowit-${process.pid}.old`) : undefined;
    try {
        if (previous) renameSync(target, previous);
        renameSync(staging, target);
    } catch (error) {
        if (previous && !existsSync(target) && existsSync(previous)) renameSync(previous, target);
        removeQuietly(staging);
        throw new UserError(`cannot move the project into ${target}: ${reasonOf(error)}; close any program using that folder and try again`, 1);
    }
    if (previous) removeQuietly(previous);
    return target;
}

function firstExistingAncestor(folder: string): string | undefined {
    for (let at = folder; ; at = dirname(at)) {
        if (existsSync(at)) return at;
        if (dirname(at) === at) return undefined;
    }
}

/** Cleaning up after a failure must not hide the failure itself. */
function removeQuietly(folder: string): void {
    try {
        rmSync(folder, { recursive: true, force: true });
    } catch {
        // Nothing was created there, or it cannot be removed either: the error already reported says why.
    }
}
