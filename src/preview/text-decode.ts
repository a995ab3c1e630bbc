// Turns the bytes of a CSV file into text, deciding its encoding. Pure: bytes in, text and what was decided out.
//
// The rules (README, "The preview"):
// - a byte order mark decides: UTF-8, UTF-16 LE or UTF-16 BE (Excel's "Unicode Text" is UTF-16 LE with a BOM);
// - UTF-16 without a BOM is recognised by its zero bytes: the header's column names are ASCII, so every other byte
//   of the first line is zero;
// - otherwise the file must be UTF-8 (the Log Analytics portal's export is); a file that is not valid UTF-8 is read as
//   Windows-1252, the encoding of Excel's "CSV (Comma delimited)" on Western European Windows, and a note says so;
// - UTF-32, zip files (an .xlsx workbook) and other binary files are refused.
import { CsvFormatError } from "./csv.ts";

export type TextEncodingName = "UTF-8" | "UTF-16 LE" | "UTF-16 BE" | "Windows-1252";

export interface DecodedText {
    readonly text: string;
    readonly encoding: TextEncodingName;
    readonly byteOrderMark: boolean;
    /** What the user should know about the decoding (a guessed encoding), or null. */
    readonly note: string | null;
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence, or -1 (the well-formed sequences of the Unicode Standard, table 3-7). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
    let i = 0;
    while (i < bytes.length) {
        const lead = bytes[i];
        if (lead < 0x80) {
            i++;
            continue;
        }
        let continuation: number;
        let lower = 0x80;
        let upper = 0xbf;
        if (lead >= 0xc2 && lead <= 0xdf) {
            continuation = 1;
        } else if (lead >= 0xe0 && lead <= 0xef) {
            continuation = 2;
            if (lead === 0xe0) lower = 0xa0;
            if (lead === 0xed) upper = 0x9f;
        } else if (lead >= 0xf0 && lead <= 0xf4) {
            continuation = 3;
            if (lead === 0xf0) lower = 0x90;
            if (lead === 0xf4) upper = 0x8f;
        } else {
            return i;
        }
        for (let k = 1; k <= continuation; k++) {
            const next = bytes[i + k];
            if (next === undefined || next < lower || next > upper) return i;
            lower = 0x80;
            upper = 0xbf;
        }
        i += continuation + 1;
    }
    return -1;
}

/**
 * Windows-1252 is ISO-8859-1 except for 0x80-0x9F, which hold these characters (the WHATWG Encoding Standard's
 * index-windows-1252; its five unassigned bytes map to the C1 control of the same value). Decoded here, not with
 * TextDecoder("windows-1252"): Node 20.18.3 and later decode 0x80-0x9F as C1 controls (nodejs/node#60888).
 */
const WINDOWS_1252_HIGH = [
    0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
    0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
];

export function decodeWindows1252(bytes: Uint8Array): string {
    let text = "";
    const chunk: number[] = [];
    for (let i = 0; i < bytes.length; i++) {
        const byte = bytes[i];
        chunk.push(byte >= 0x80 && byte <= 0x9f ? WINDOWS_1252_HIGH[byte - 0x80] : byte);
        if (chunk.length === 8192) {
            text += String.fromCharCode(...chunk);
            chunk.length = 0;
        }
    }
    return text + String.fromCharCode(...chunk);
}

/** 1-based line of a byte offset in a file whose line feeds are single 0x0A bytes (UTF-8, Windows-1252). */
function lineOfByte(bytes: Uint8Array, offset: number): number {
    let line = 1;
    for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
    return line;
}

function hex(byte: number): string {
    return `0x${byte.toString(16).toUpperCase().padStart(2, "0")}`;
}

/** "LE" when the odd bytes of the first line are zero and the even ones are not, "BE" for the reverse. */
function utf16WithoutBom(bytes: Uint8Array): "LE" | "BE" | null {
    const pairs = Math.min(Math.floor(bytes.length / 2), 256);
    if (pairs < 2) return null;
    let little = 0;
    let big = 0;
    let counted = 0;
    for (let p = 0; p < pairs; p++) {
        const even = bytes[2 * p];
        const odd = bytes[2 * p + 1];
        if ((even === 0x0a && odd === 0) || (even === 0 && odd === 0x0a)) break; // end of the header line
        counted++;
        if (odd === 0 && even !== 0) little++;
        else if (even === 0 && odd !== 0) big++;
    }
    if (counted < 2) return null;
    if (little >= counted * 0.9) return "LE";
    if (big >= counted * 0.9) return "BE";
    return null;
}

function decodeUtf16Bytes(bytes: Uint8Array, order: "LE" | "BE", file: string): string {
    if (bytes.length % 2 !== 0) {
        throw new CsvFormatError(file, null, `the file looks like UTF-16 ${order} but has an odd number of bytes (${bytes.length}): it is cut short or not UTF-16; save it again as CSV UTF-8`);
    }
    try {
        return new TextDecoder(order === "LE" ? "utf-16le" : "utf-16be", { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
        throw new CsvFormatError(file, null, `the file looks like UTF-16 ${order} but holds invalid UTF-16 (an unpaired surrogate): save it again as CSV UTF-8`);
    }
}

/** UTF-16 by its byte order mark or, without one, by its zero bytes; null when the file is not UTF-16. */
function decodeUtf16(bytes: Uint8Array, file: string): DecodedText | null {
    const [b0, b1] = bytes;
    const byBom = b0 === 0xff && b1 === 0xfe ? "LE" : b0 === 0xfe && b1 === 0xff ? "BE" : null;
    const order = byBom ?? utf16WithoutBom(bytes);
    if (order === null) return null;
    const encoding: TextEncodingName = order === "LE" ? "UTF-16 LE" : "UTF-16 BE";
    return {
        text: decodeUtf16Bytes(byBom ? bytes.subarray(2) : bytes, order, file),
        encoding,
        byteOrderMark: byBom !== null,
        note: `${file} is ${encoding}${byBom ? "" : " without a byte order mark"}`,
    };
}

/** The text of valid UTF-8, or null. The native decoder checks; firstInvalidUtf8 then only runs to say where. */
function decodeUtf8(bytes: Uint8Array): string | null {
    try {
        return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
        return null;
    }
}

function decodeUtf8OrWindows1252(bytes: Uint8Array, file: string): DecodedText {
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    const body = bom ? bytes.subarray(3) : bytes;
    const text = decodeUtf8(body);
    if (text !== null) return { text, encoding: "UTF-8", byteOrderMark: bom, note: null };
    const invalid = firstInvalidUtf8(body);
    const line = lineOfByte(body, invalid);
    if (bom) {
        throw new CsvFormatError(file, line, `the file starts with a UTF-8 byte order mark but is not valid UTF-8 (byte ${hex(body[invalid])}): save it again as CSV UTF-8`);
    }
    return {
        text: decodeWindows1252(body),
        encoding: "Windows-1252",
        byteOrderMark: false,
        note: `${file} is not UTF-8 (first invalid byte ${hex(body[invalid])} on line ${line}), so it was read as Windows-1252, the encoding ` +
            "of Excel's \"CSV (Comma delimited)\" on Western European Windows; if names look wrong, save it as CSV UTF-8 and start again",
    };
}

function refuseBinary(text: string, file: string, encoding: TextEncodingName): void {
    const nul = text.indexOf("\u0000");
    if (nul < 0) return;
    const line = text.slice(0, nul).split("\n").length;
    throw new CsvFormatError(file, line,
        `the file holds NUL characters when read as ${encoding}: it is not a text CSV file, or is in an encoding the preview does not read (such as UTF-32); save it as CSV UTF-8`);
}

export function decodeCsvBytes(bytes: Uint8Array, file: string): DecodedText {
    const [b0, b1, b2, b3] = bytes;
    if (b0 === 0x50 && b1 === 0x4b && b2 === 0x03 && b3 === 0x04) {
        throw new CsvFormatError(file, null, "the file is a zip archive (an Excel workbook?), not a CSV file: in Excel use Save As › CSV UTF-8 (Comma delimited), or export the query results from Log Analytics as CSV");
    }
    if ((b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) || (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff)) {
        throw new CsvFormatError(file, null, "the file is UTF-32, which the preview does not read: save it as CSV UTF-8");
    }
    const decoded = decodeUtf16(bytes, file) ?? decodeUtf8OrWindows1252(bytes, file);
    refuseBinary(decoded.text, file, decoded.encoding);
    return decoded;
}
