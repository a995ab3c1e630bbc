// Reads the entries of a zip archive (a .pbiviz is one): enough of the format for what `pbiviz package` writes
// (stored or deflated entries, no encryption, no zip64).
import { inflateRawSync } from "node:zlib";

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

/** A file that is not a zip archive this reader can read; `detail` says what is wrong with it. */
export class ZipFormatError extends Error {
    constructor(readonly archiveName: string, readonly detail: string) {
        super(`${archiveName} is not a readable zip archive: ${detail}; rebuild it with \`npm run package\``);
    }
}

export function readZipEntries(archive: Buffer, name: string): Map<string, Buffer> {
    const fail = (detail: string): never => {
        throw new ZipFormatError(name, detail);
    };
    let end = -1;
    for (let offset = archive.length - 22; offset >= Math.max(0, archive.length - 22 - 0xffff); offset--) {
        if (archive.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) {
            end = offset;
            break;
        }
    }
    if (end < 0) fail("no zip directory");
    const count = archive.readUInt16LE(end + 10);
    let offset = archive.readUInt32LE(end + 16);
    const entries = new Map<string, Buffer>();
    for (let i = 0; i < count; i++) {
        if (offset + 46 > archive.length || archive.readUInt32LE(offset) !== CENTRAL_DIRECTORY_ENTRY) fail(`entry ${i + 1} is damaged`);
        const method = archive.readUInt16LE(offset + 10);
        const compressedSize = archive.readUInt32LE(offset + 20);
        const nameLength = archive.readUInt16LE(offset + 28);
        const extraLength = archive.readUInt16LE(offset + 30);
        const commentLength = archive.readUInt16LE(offset + 32);
        const localOffset = archive.readUInt32LE(offset + 42);
        const entryName = archive.toString("utf8", offset + 46, offset + 46 + nameLength);
        offset += 46 + nameLength + extraLength + commentLength;
        if (entryName.endsWith("/")) continue;
        if (localOffset + 30 > archive.length || archive.readUInt32LE(localOffset) !== LOCAL_FILE_HEADER) fail(`${entryName} is damaged`);
        const dataStart = localOffset + 30 + archive.readUInt16LE(localOffset + 26) + archive.readUInt16LE(localOffset + 28);
        const data = archive.subarray(dataStart, dataStart + compressedSize);
        if (method === 0) entries.set(entryName, Buffer.from(data));
        else if (method === 8) entries.set(entryName, inflateRawSync(data));
        else fail(`${entryName} uses compression method ${method}`);
    }
    return entries;
}
