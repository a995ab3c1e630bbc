// Reads the file given to `npm start -- --data FILE`: its bytes are decoded (text-decode.ts) and parsed (csv.ts);
// what could not be read is said with the path and what to do.
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { DELIMITER_NAMES, parseLogAnalyticsCsv, type CsvReadResult } from "./csv.ts";
import { decodeCsvBytes, type DecodedText } from "./text-decode.ts";

export class DataFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "DataFileError";
    }
}

const PASS_A_CSV = "pass a CSV file exported from Log Analytics (McasShadowItReporting)";

export function describeReadFailure(dataFile: string, error: unknown): DataFileError {
    const code = (error as NodeJS.ErrnoException).code;
    switch (code) {
        case "ENOENT":
        case "ENOTDIR":
            return new DataFileError(`${dataFile}: no such file: ${PASS_A_CSV}`);
        case "EISDIR":
            return new DataFileError(`${dataFile} is a folder: ${PASS_A_CSV}`);
        case "EACCES":
        case "EPERM":
            return new DataFileError(`${dataFile}: permission denied: make the file readable for your user, or copy it somewhere you can read`);
        default:
            return new DataFileError(`${dataFile}: cannot read the file (${code ?? (error instanceof Error ? error.message : String(error))})`);
    }
}

/** The file's bytes; a missing file, a folder or an unreadable file is a DataFileError that names the path. */
export function readDataFileBytes(dataFile: string): Uint8Array {
    const file = resolve(dataFile);
    try {
        // Checked first: reading a folder fails differently on each platform (EISDIR on Linux and macOS).
        if (statSync(file).isDirectory()) throw Object.assign(new Error("is a folder"), { code: "EISDIR" });
        return readFileSync(file);
    } catch (error) {
        throw describeReadFailure(dataFile, error);
    }
}

export interface PreviewCsv extends CsvReadResult {
    readonly file: string;
    readonly encoding: DecodedText["encoding"];
    /** Lines for the log: how the file was read when it was not a plain comma-separated UTF-8 file. */
    readonly notes: readonly string[];
}

export function readPreviewCsv(dataFile: string): PreviewCsv {
    const decoded = decodeCsvBytes(readDataFileBytes(dataFile), dataFile);
    const result = parseLogAnalyticsCsv(decoded.text, dataFile);
    const notes: string[] = [];
    if (decoded.note) notes.push(decoded.note);
    if (result.delimiter !== ",") notes.push(`${dataFile} is ${DELIMITER_NAMES[result.delimiter]}-separated: read with '${result.delimiter === "\t" ? "\\t" : result.delimiter}' between fields`);
    return { ...result, file: resolve(dataFile), encoding: decoded.encoding, notes };
}
