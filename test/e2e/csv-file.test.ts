// The bytes of a --data file: encodings (BOM, UTF-16 without BOM, Windows-1252), files that are not CSV, and paths
// that cannot be read.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CsvFormatError } from "../../src/preview/csv.ts";
import { decodeCsvBytes, decodeWindows1252, firstInvalidUtf8 } from "../../src/preview/text-decode.ts";
import { DataFileError, describeReadFailure, readPreviewCsv } from "../../src/preview/data-file.ts";
import { textAt } from "../../src/preview/dataset.ts";
import { startPreview } from "../../src/preview/start.ts";

const COLUMNS = ["TimeGenerated [UTC]", "StreamName", "TotalEvents", "BlockedEvents", "UploadedBytes", "TotalBytes", "DownloadedBytes",
    "IpAddress", "UserName", "AppName", "AppCategory", "AppTags", "AppScore"];

function table(delimiter: string, names: readonly string[]): string {
    const rows = names.map((name, i) => ["2025-10-14T00:00:00Z", "Zürich Büro", "120", "4", "1510000", "4060000", "2550000", "10.1.4.27",
        `user${i}@contoso.example`, name, "Cloud storage", "", "7"].join(delimiter));
    return [COLUMNS.join(delimiter), ...rows].join("\r\n") + "\r\n";
}

const NAMES = ["Dropbox", "Zoë Müller's Café", "東京ストレージ", "Emoji 📦"];

function utf16(text: string, order: "LE" | "BE", bom: boolean): Uint8Array {
    const le = Buffer.from((bom ? "\ufeff" : "") + text, "utf16le");
    if (order === "LE") return le;
    const be = Buffer.alloc(le.length);
    for (let i = 0; i < le.length; i += 2) {
        be[i] = le[i + 1];
        be[i + 1] = le[i];
    }
    return be;
}

/** The Windows-1252 bytes of text made of Latin-1 letters and the euro sign. */
function windows1252(text: string): Uint8Array {
    return Uint8Array.from([...text].map(ch => (ch === "€" ? 0x80 : ch.charCodeAt(0))));
}

function decodeError(bytes: Uint8Array): string {
    try {
        decodeCsvBytes(bytes, "data.csv");
    } catch (error) {
        assert.ok(error instanceof CsvFormatError, String(error));
        return error.message;
    }
    assert.fail("expected the bytes to be refused");
}

describe("CSV file bytes", () => {
    it("decodes UTF-16 LE and BE, with and without a byte order mark, and says so", () => {
        const text = table(",", NAMES);
        for (const order of ["LE", "BE"] as const) {
            for (const bom of [true, false]) {
                const decoded = decodeCsvBytes(utf16(text, order, bom), "data.csv");
                assert.equal(decoded.text, text, `${order} ${bom}`);
                assert.equal(decoded.encoding, `UTF-16 ${order}`);
                assert.equal(decoded.note, `data.csv is UTF-16 ${order}${bom ? "" : " without a byte order mark"}`);
            }
        }
    });

    it("reads UTF-8 with or without a byte order mark without a note", () => {
        const text = table(",", NAMES);
        for (const bytes of [Buffer.from(text, "utf8"), Buffer.from(`\ufeff${text}`, "utf8")]) {
            const decoded = decodeCsvBytes(bytes, "data.csv");
            assert.equal(decoded.text, text);
            assert.equal(decoded.encoding, "UTF-8");
            assert.equal(decoded.note, null);
        }
    });

    it("reads a file that is not valid UTF-8 as Windows-1252 and names the first invalid byte and its line", () => {
        const text = table(";", ["Dropbox", "Café Crème €", "Ørsted Ålborg"]);
        const decoded = decodeCsvBytes(windows1252(text), "excel.csv");
        assert.equal(decoded.text, text);
        assert.equal(decoded.encoding, "Windows-1252");
        // "Zürich" on line 2 holds the first byte above 0x7F: ü is 0xFC.
        assert.match(decoded.note ?? "", /^excel\.csv is not UTF-8 \(first invalid byte 0xFC on line 2\), so it was read as Windows-1252, .*save it as CSV UTF-8/);
        assert.equal(decodeWindows1252(Uint8Array.from([0x80, 0x92, 0x93, 0x94, 0x8a, 0x9f, 0x81, 0xe9, 0xff])), "€’“”ŠŸ\u0081éÿ");
        assert.equal(firstInvalidUtf8(Buffer.from("aé", "utf8")), -1);
        assert.equal(firstInvalidUtf8(Uint8Array.from([0x61, 0xe9, 0x62])), 1);
        assert.equal(firstInvalidUtf8(Uint8Array.from([0xed, 0xa0, 0x80])), 0, "an encoded surrogate is not UTF-8");
        assert.equal(firstInvalidUtf8(Uint8Array.from([0x61, 0xe2, 0x82])), 1, "a sequence cut short at the end");
    });

    it("refuses zip archives, UTF-32, NUL bytes and a UTF-8 byte order mark followed by invalid UTF-8", () => {
        assert.match(decodeError(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00])), /^data\.csv: the file is a zip archive \(an Excel workbook\?\), not a CSV file/);
        assert.match(decodeError(Uint8Array.from([0xff, 0xfe, 0, 0, 0x41, 0, 0, 0])), /^data\.csv: the file is UTF-32, which the preview does not read: save it as CSV UTF-8$/);
        assert.match(decodeError(Buffer.from("AppName,x\nab\u0000c,1\n", "utf8")), /^data\.csv:2: the file holds NUL characters when read as UTF-8: it is not a text CSV file/);
        assert.match(decodeError(Uint8Array.from([0xef, 0xbb, 0xbf, 0x41, 0x0a, 0xe9])), /^data\.csv:2: the file starts with a UTF-8 byte order mark but is not valid UTF-8 \(byte 0xE9\)/);
        assert.match(decodeError(Uint8Array.from([0xff, 0xfe, 0x41, 0x00, 0x42])), /^data\.csv: the file looks like UTF-16 LE but has an odd number of bytes \(3\)/);
    });
});

describe("--data FILE", () => {
    const dir = mkdtempSync(join(tmpdir(), "shadowit-data-"));
    const path = (name: string) => join(dir, name);

    it("reads Excel's Unicode Text (UTF-16 LE, tab-separated) and a Windows-1252 semicolon file, with notes for the log", () => {
        writeFileSync(path("unicode.txt"), utf16(table("\t", NAMES), "LE", true));
        const unicode = readPreviewCsv(path("unicode.txt"));
        assert.equal(unicode.dataset.rowCount, NAMES.length);
        assert.deepEqual(NAMES.map((_, i) => textAt(unicode.dataset.text.AppName, i)), NAMES);
        assert.equal(textAt(unicode.dataset.text.StreamName, 0), "Zürich Büro");
        assert.deepEqual(unicode.notes, [`${path("unicode.txt")} is UTF-16 LE`, `${path("unicode.txt")} is tab-separated: read with '\\t' between fields`]);

        writeFileSync(path("latin.csv"), windows1252(table(";", ["Café Crème €"])));
        const latin = readPreviewCsv(path("latin.csv"));
        assert.equal(textAt(latin.dataset.text.AppName, 0), "Café Crème €");
        assert.equal(latin.encoding, "Windows-1252");
        assert.equal(latin.notes.length, 2);
        assert.match(latin.notes[1], /is semicolon-separated: read with ';' between fields$/);

        writeFileSync(path("plain.csv"), table(",", NAMES));
        assert.deepEqual(readPreviewCsv(path("plain.csv")).notes, []);
    });

    it("names the path of a folder, a missing file and an unreadable file", () => {
        mkdirSync(path("exports"));
        const message = (file: string) => {
            try {
                readPreviewCsv(file);
            } catch (error) {
                assert.ok(error instanceof DataFileError, String(error));
                return error.message;
            }
            assert.fail(`${file} was read`);
        };
        assert.equal(message(path("exports")), `${path("exports")} is a folder: pass a CSV file exported from Log Analytics (McasShadowItReporting)`);
        assert.equal(message(path("missing.csv")), `${path("missing.csv")}: no such file: pass a CSV file exported from Log Analytics (McasShadowItReporting)`);
        writeFileSync(path("a-file"), "x");
        assert.equal(message(join(path("a-file"), "x.csv")), `${join(path("a-file"), "x.csv")}: no such file: pass a CSV file exported from Log Analytics (McasShadowItReporting)`);
        assert.equal(describeReadFailure("secret.csv", Object.assign(new Error("denied"), { code: "EACCES" })).message,
            "secret.csv: permission denied: make the file readable for your user, or copy it somewhere you can read");
        assert.equal(describeReadFailure("busy.csv", Object.assign(new Error("busy"), { code: "EBUSY" })).message, "busy.csv: cannot read the file (EBUSY)");
    });

    const canDenyReading = process.platform !== "win32" && process.getuid?.() !== 0;
    it("names the path of a file it may not read", { skip: canDenyReading ? false : "permissions cannot deny reading here (Windows or root)" }, () => {
        writeFileSync(path("secret.csv"), table(",", NAMES));
        chmodSync(path("secret.csv"), 0o000);
        try {
            assert.throws(() => readPreviewCsv(path("secret.csv")), (error: unknown) => error instanceof DataFileError &&
                error.message === `${path("secret.csv")}: permission denied: make the file readable for your user, or copy it somewhere you can read`);
        } finally {
            chmodSync(path("secret.csv"), 0o600);
        }
    });

    it("stops npm start on a folder before it builds anything", async () => {
        mkdirSync(path("folder.csv"));
        await assert.rejects(startPreview({ root: join(__dirname, "..", ".."), port: 0, dataFile: path("folder.csv") }),
            { name: "DataFileError", message: `${path("folder.csv")} is a folder: pass a CSV file exported from Log Analytics (McasShadowItReporting)` });
    });

    after(() => rmSync(dir, { recursive: true, force: true }));
});
