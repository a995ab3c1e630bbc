// Reads a packaged visual (.pbiviz, a zip archive) into the files Power BI Desktop keeps for a private custom visual
// under a report's CustomVisuals/<guid>/ folder: package.json and resources/<guid>.pbiviz.json.
import { inflateRawSync } from "node:zlib";
import { UserError } from "../errors.ts";

export interface PackagedVisual {
    /** The visual's guid, from package.json's visual.guid (pbiviz.json's visual.guid): its visualType in reports. */
    readonly guid: string;
    readonly displayName: string;
    /** Archive entries by path ("package.json", "resources/<guid>.pbiviz.json", ...). */
    readonly files: ReadonlyMap<string, Buffer>;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

/** The entries of a zip archive (stored or deflated; no zip64, no encryption: what pbiviz package writes). */
export function readZip(archive: Buffer, what: string): Map<string, Buffer> {
    const bad = (reason: string) => new UserError(`${what} is not a valid .pbiviz package (${reason}); build it again with \`npm run package\``, 1);
    let eocd = -1;
    for (let i = archive.length - 22; i >= Math.max(0, archive.length - 22 - 65_535); i--) {
        if (archive.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) { eocd = i; break; }
    }
    if (eocd < 0) throw bad("no zip directory");
    const count = archive.readUInt16LE(eocd + 10);
    let offset = archive.readUInt32LE(eocd + 16);
    const entries = new Map<string, Buffer>();
    for (let n = 0; n < count; n++) {
        if (offset + 46 > archive.length || archive.readUInt32LE(offset) !== CENTRAL_FILE_HEADER) throw bad("a damaged zip directory");
        const method = archive.readUInt16LE(offset + 10);
        const compressedSize = archive.readUInt32LE(offset + 20);
        const nameLength = archive.readUInt16LE(offset + 28);
        const extraLength = archive.readUInt16LE(offset + 30);
        const commentLength = archive.readUInt16LE(offset + 32);
        const local = archive.readUInt32LE(offset + 42);
        const name = archive.toString("utf8", offset + 46, offset + 46 + nameLength);
        offset += 46 + nameLength + extraLength + commentLength;
        if (name.endsWith("/")) continue;
        if (archive.readUInt32LE(local) !== LOCAL_FILE_HEADER) throw bad(`a damaged entry ${name}`);
        const start = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
        const data = archive.subarray(start, start + compressedSize);
        if (method === 0) entries.set(name, Buffer.from(data));
        else if (method === 8) entries.set(name, inflateRawSync(data));
        else throw bad(`entry ${name} uses compression method ${method}`);
    }
    return entries;
}

export function readPackagedVisual(archive: Buffer, what: string): PackagedVisual {
    const files = readZip(archive, what);
    const manifest = files.get("package.json");
    if (!manifest) throw new UserError(`${what} holds no package.json; build it again with \`npm run package\``, 1);
    let guid: unknown;
    let displayName: unknown;
    try {
        const parsed = JSON.parse(manifest.toString("utf8")) as { visual?: { guid?: unknown; displayName?: unknown } };
        guid = parsed.visual?.guid;
        displayName = parsed.visual?.displayName;
    } catch {
        throw new UserError(`${what}: its package.json is not JSON; build it again with \`npm run package\``, 1);
    }
    if (typeof guid !== "string" || !/^[A-Za-z0-9]+$/.test(guid)) {
        throw new UserError(`${what}: its package.json names no visual guid; build it again with \`npm run package\``, 1);
    }
    if (!files.has(`resources/${guid}.pbiviz.json`)) {
        throw new UserError(`${what} holds no resources/${guid}.pbiviz.json; build it again with \`npm run package\``, 1);
    }
    return { guid, displayName: typeof displayName === "string" ? displayName : guid, files };
}
