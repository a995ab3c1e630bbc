// Shared setup of the `shadowit report` specs: a packaged visual and a project built from fixed options.
import { crc32, deflateRawSync } from "node:zlib";
import { readFileSync } from "node:fs";
import path from "node:path";
import { buildProject, readPackagedVisual, validateReportOptions, type Project } from "../../src/dataset/report/index.ts";

export const REPO = path.resolve(__dirname, "..", "..");
export const WORKSPACE = "6F1C0F0E-1234-4BCD-9A0B-0123456789AB";
/** The instant the specs build projects at. */
export const NOW = new Date("2026-03-02T10:00:00Z");
export const VISUAL_GUID = (JSON.parse(readFileSync(path.join(REPO, "pbiviz.json"), "utf8")) as { visual: { guid: string } }).visual.guid;

/** A zip archive, the layout `pbiviz package` writes its .pbiviz in: entries stored, or deflated as pbiviz does. */
export function zip(entries: Readonly<Record<string, string>>, deflate = false): Buffer {
    const locals: Buffer[] = [];
    const centrals: Buffer[] = [];
    let offset = 0;
    for (const [name, text] of Object.entries(entries)) {
        const raw = Buffer.from(text, "utf8");
        const data = deflate ? deflateRawSync(raw) : raw;
        const nameBytes = Buffer.from(name, "utf8");
        const crc = crc32(raw);
        const local = Buffer.alloc(30);
        local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(deflate ? 8 : 0, 8); local.writeUInt32LE(crc, 14);
        local.writeUInt32LE(data.length, 18); local.writeUInt32LE(raw.length, 22); local.writeUInt16LE(nameBytes.length, 26);
        const central = Buffer.alloc(46);
        central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(deflate ? 8 : 0, 10); central.writeUInt32LE(crc, 16);
        central.writeUInt32LE(data.length, 20); central.writeUInt32LE(raw.length, 24); central.writeUInt16LE(nameBytes.length, 28);
        central.writeUInt32LE(offset, 42);
        locals.push(local, nameBytes, data);
        centrals.push(central, nameBytes);
        offset += local.length + nameBytes.length + data.length;
    }
    const directory = Buffer.concat(centrals);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(Object.keys(entries).length, 8); end.writeUInt16LE(Object.keys(entries).length, 10);
    end.writeUInt32LE(directory.length, 12); end.writeUInt32LE(offset, 16);
    return Buffer.concat([...locals, directory, end]);
}

/** A .pbiviz with the two entries a packaged visual holds, named by the visual's real guid. */
export function fakePbiviz(guid = VISUAL_GUID): Buffer {
    return zip({
        "package.json": JSON.stringify({ visual: { guid, displayName: "Shadow IT Discovery", version: "1.0.0.0" }, resources: [{ file: `resources/${guid}.pbiviz.json` }] }),
        [`resources/${guid}.pbiviz.json`]: JSON.stringify({ visual: { guid }, content: { js: "", css: "" } }),
    });
}

export function sampleProject(fromFolder?: string): Project {
    const options = validateReportOptions({ workspace: WORKSPACE, keepDays: "90", refreshDays: "3", fromFolder });
    return buildProject(options, readPackagedVisual(fakePbiviz(), "test.pbiviz"), NOW);
}

export function textOf(project: Project, file: string): string {
    const content = project.files.get(file);
    if (content === undefined) throw new Error(`no ${file} in the project`);
    return typeof content === "string" ? content : content.toString("utf8");
}
