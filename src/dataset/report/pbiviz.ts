// Reads a packaged visual (.pbiviz, a zip archive) into the files Power BI Desktop keeps for a private custom visual
// under a report's CustomVisuals/<guid>/ folder: package.json and resources/<guid>.pbiviz.json.
import { UserError } from "../errors.ts";
import { readZipEntries, ZipFormatError } from "../zip.ts";

export interface PackagedVisual {
    /** The visual's guid, from package.json's visual.guid (pbiviz.json's visual.guid): its visualType in reports. */
    readonly guid: string;
    readonly displayName: string;
    /** Archive entries by path ("package.json", "resources/<guid>.pbiviz.json", ...). */
    readonly files: ReadonlyMap<string, Buffer>;
}

/** The entries of the package; a file that is not a readable zip archive is a UserError saying what to do. */
function readZip(archive: Buffer, what: string): Map<string, Buffer> {
    try {
        return readZipEntries(archive, what);
    } catch (error) {
        if (error instanceof ZipFormatError) {
            throw new UserError(`${what} is not a valid .pbiviz package (${error.detail}); build it again with \`npm run package\``, 1);
        }
        throw error;
    }
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
