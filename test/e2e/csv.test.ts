import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { CsvFormatError, csvRecords, normalizeHeader, parseLogAnalyticsCsv } from "../../src/preview/csv.ts";
import { textAt } from "../../src/preview/dataset.ts";

// The portal's "Export to CSV (all columns)" header for McasShadowItReporting.
const PORTAL_HEADER = "TenantId,SourceSystem,\"TimeGenerated [UTC]\",StreamName,TotalEvents,BlockedEvents,UploadedBytes," +
    "TotalBytes,DownloadedBytes,IpAddress,UserName,EnrichedUserName,AppName,AppId,AppCategory,AppTags,AppScore,Type";
const TENANT = "6b3a1c8e-2f4d-4e5a-9b7c-0d1e2f3a4b5c";

function row(fields: Partial<Record<string, string>>, delimiter = ","): string {
    const values: Record<string, string> = {
        TenantId: TENANT, SourceSystem: "Azure", TimeGenerated: "\"10/14/2025, 12:00:00.000 AM\"", StreamName: "Marketing Department",
        TotalEvents: "120", BlockedEvents: "4", UploadedBytes: "1510000", TotalBytes: "4060000", DownloadedBytes: "2550000",
        IpAddress: "10.1.4.27", UserName: "avery.lee@contoso.example", EnrichedUserName: "Avery Lee", AppName: "Dropbox",
        AppId: "11627", AppCategory: "Cloud storage", AppTags: "\"[\"\"sanctioned\"\"]\"", AppScore: "7", Type: "McasShadowItReporting",
        ...fields,
    };
    return ["TenantId", "SourceSystem", "TimeGenerated", "StreamName", "TotalEvents", "BlockedEvents", "UploadedBytes", "TotalBytes",
        "DownloadedBytes", "IpAddress", "UserName", "EnrichedUserName", "AppName", "AppId", "AppCategory", "AppTags", "AppScore", "Type"]
        .map(name => values[name]).join(delimiter);
}

/** 1-based column of the first occurrence of `text` in `line`. */
function columnOf(line: string, text: string): number {
    const index = line.indexOf(text);
    assert.ok(index >= 0, `${text} is in ${line}`);
    return index + 1;
}

function errorOf(text: string, file = "data.csv"): string {
    try {
        parseLogAnalyticsCsv(text, file);
    } catch (error) {
        assert.ok(error instanceof CsvFormatError, `expected a CsvFormatError, got ${String(error)}`);
        return error.message;
    }
    assert.fail("expected the file to be rejected");
}

describe("Log Analytics CSV export reader", () => {
    it("reads the portal's export: BOM, CRLF, quoted `TimeGenerated [UTC]` header, AppTags as a JSON array string", () => {
        const text = "\ufeff" + [PORTAL_HEADER, row({}), row({ AppName: "Box", AppTags: "\"[\"\"unsanctioned\"\",\"\"Finance\"\"]\"", AppScore: "3" })].join("\r\n") + "\r\n";
        const { dataset, ignoredColumns } = parseLogAnalyticsCsv(text, "export.csv");
        assert.equal(dataset.rowCount, 2);
        assert.equal(textAt(dataset.text.AppName, 0), "Dropbox");
        assert.equal(textAt(dataset.text.AppName, 1), "Box");
        assert.equal(textAt(dataset.text.AppTags, 0), "[\"sanctioned\"]");
        assert.equal(textAt(dataset.text.AppTags, 1), "[\"unsanctioned\",\"Finance\"]");
        assert.deepEqual(dataset.numbers.AppScore, [7, 3]);
        assert.deepEqual(dataset.numbers.UploadedBytes, [1510000, 1510000]);
        assert.deepEqual(ignoredColumns, ["TenantId", "SourceSystem", "TimeGenerated", "EnrichedUserName", "AppId", "Type"]);
    });

    it("accepts plain, unquoted headers, LF line ends, no trailing newline and any column order", () => {
        const header = "AppName,AppCategory,StreamName,AppScore,AppTags,UploadedBytes,DownloadedBytes,TotalBytes,TotalEvents,BlockedEvents,UserName,IpAddress";
        const text = `${header}\nSlack,Collaboration,Firewall A,9,,10,20,30,5,0,u1,10.0.0.1\nSlack,Collaboration,Firewall A,9,,1,2,3,1,1,u2,10.0.0.2`;
        const { dataset } = parseLogAnalyticsCsv(text, "plain.csv");
        assert.equal(dataset.rowCount, 2);
        assert.deepEqual(dataset.numbers.TotalBytes, [30, 3]);
        assert.equal(textAt(dataset.text.AppTags, 0), "");
        assert.equal(textAt(dataset.text.UserName, 1), "u2");
    });

    it("matches header names case-insensitively and drops any bracketed suffix", () => {
        assert.equal(normalizeHeader(" TimeGenerated [UTC] "), "TimeGenerated");
        assert.equal(normalizeHeader("TimeGenerated [Local Time]"), "TimeGenerated");
        const header = PORTAL_HEADER.replace("AppName", "appname").replace("UploadedBytes", "\"UploadedBytes\"");
        const { dataset } = parseLogAnalyticsCsv(`${header}\n${row({})}\n`, "case.csv");
        assert.equal(textAt(dataset.text.AppName, 0), "Dropbox");
        assert.deepEqual(dataset.numbers.UploadedBytes, [1510000]);
    });

    it("keeps quoted commas, doubled quotes, line breaks and markup inside fields as text", () => {
        const hostile = "\"<img src=x onerror=alert(1)>, \"\"Inc\"\"\nLine 2\"";
        const text = `${PORTAL_HEADER}\n${row({ AppName: hostile })}\n${row({ AppName: "Next" })}\n`;
        const { dataset } = parseLogAnalyticsCsv(text, "hostile.csv");
        assert.equal(dataset.rowCount, 2);
        assert.equal(textAt(dataset.text.AppName, 0), "<img src=x onerror=alert(1)>, \"Inc\"\nLine 2");
        assert.equal(textAt(dataset.text.AppName, 1), "Next");
    });

    it("keeps 10,000-character names whole and reads empty numbers as blanks", () => {
        const long = "A".repeat(10000);
        const { dataset } = parseLogAnalyticsCsv(`${PORTAL_HEADER}\n${row({ AppName: long, AppScore: "", BlockedEvents: "" })}\n`, "long.csv");
        assert.equal(textAt(dataset.text.AppName, 0)?.length, 10000);
        assert.deepEqual(dataset.numbers.AppScore, [null]);
        assert.deepEqual(dataset.numbers.BlockedEvents, [null]);
    });

    it("skips blank lines and reads a header-only file as no rows", () => {
        assert.equal(parseLogAnalyticsCsv(`${PORTAL_HEADER}\n\n${row({})}\n\n`, "blank.csv").dataset.rowCount, 1);
        assert.equal(parseLogAnalyticsCsv(`${PORTAL_HEADER}\r\n`, "empty-rows.csv").dataset.rowCount, 0);
    });

    it("counts physical lines across quoted line breaks when it reports a line", () => {
        const text = `${PORTAL_HEADER}\n${row({ AppName: "\"two\nlines\"" })}\n${row({ UploadedBytes: "12x" })}\n`;
        assert.equal(errorOf(text), "data.csv:4: column UploadedBytes: \"12x\" is not a number");
        const records = [...csvRecords("a,b\r\n\"x\r\ny\",z\r\nlast,one", "f.csv")];
        assert.deepEqual(records.map(r => r.line), [1, 2, 4]);
        assert.deepEqual(records[1].fields, ["x\r\ny", "z"]);
    });

    it("names the line and column of a value that is not a number", () => {
        const lines = [PORTAL_HEADER, ...Array.from({ length: 15 }, () => row({})), row({ UploadedBytes: "12x" })];
        assert.equal(errorOf(lines.join("\n")), "data.csv:17: column UploadedBytes: \"12x\" is not a number");
    });

    it("rejects thousands separators with a hint, decimals in whole-number columns and values beyond 2^53", () => {
        assert.match(errorOf(`${PORTAL_HEADER}\n${row({ TotalBytes: "\"4,060,000\"" })}\n`),
            /^data\.csv:2: column TotalBytes: "4,060,000" is not a number: it has thousands separators/);
        assert.equal(errorOf(`${PORTAL_HEADER}\n${row({ AppScore: "7.5" })}\n`), "data.csv:2: column AppScore: \"7.5\" is not a whole number");
        assert.equal(errorOf(`${PORTAL_HEADER}\n${row({ TotalEvents: "NaN" })}\n`), "data.csv:2: column TotalEvents: \"NaN\" is not a number");
        assert.match(errorOf(`${PORTAL_HEADER}\n${row({ DownloadedBytes: "18446744073709551615" })}\n`),
            /^data\.csv:2: column DownloadedBytes: "18446744073709551615" is too large to be read exactly/);
    });

    it("rejects AppTags that start as a JSON array but are not one", () => {
        assert.equal(errorOf(`${PORTAL_HEADER}\n${row({ AppTags: "\"[\"\"sanctioned\"" })}\n`),
            "data.csv:2: column AppTags: \"[\\\"sanctioned\" is not a JSON array of tags like [\"sanctioned\"]");
    });

    it("names every missing required column and what it found", () => {
        const message = errorOf("TimeGenerated [UTC],AppName,TotalBytes\n2025-10-14,Dropbox,10\n", "short.csv");
        assert.match(message, /^short\.csv:1: missing required columns AppCategory, StreamName, AppTags, UserName, IpAddress, AppScore, UploadedBytes, DownloadedBytes, TotalEvents, BlockedEvents \(found: TimeGenerated, AppName, TotalBytes\)/);
    });

    it("rejects a row with the wrong number of fields", () => {
        assert.equal(errorOf(`${PORTAL_HEADER}\n${row({})}\n${row({})},extra\n`), "data.csv:3: expected 18 fields as in the header, found 19");
    });

    it("rejects an unclosed quote, text after a closing quote and a bare quote inside a field, at the line and column of the quote", () => {
        const unclosed = row({ Type: "\"McasShadowItReporting" });
        assert.equal(errorOf(`${PORTAL_HEADER}\n${unclosed}\n`),
            `data.csv:2:${columnOf(unclosed, "\"Mcas")}: field 18: the quoted field that opens here is never closed (a '"' is missing at its end)`);
        const textAfter = row({ AppName: "\"Drop\"box" });
        assert.equal(errorOf(`${PORTAL_HEADER}\n${textAfter}\n`),
            `data.csv:2:${columnOf(textAfter, "\"Drop")}: field 13: the quoted field that opens here ends at column ${columnOf(textAfter, "\"box")} ` +
            "with text after its closing quote: a '\"' is probably missing at the end of this field, or a quote inside it is not doubled");
        const bare = row({ AppName: "Drop\"box" });
        assert.match(errorOf(`${PORTAL_HEADER}\n${bare}\n`), new RegExp(`^data\\.csv:2:${columnOf(bare, "\"box")}: field 13: a quote inside an unquoted field`));
    });

    it("reports a quote left open where it opens, not lines later where the field it swallowed ends", () => {
        // The open quote runs over the line break to the next row's first quote ("10/14/2025, …"), where text follows.
        const open = row({ Type: "\"McasShadowItReporting" });
        const text = [PORTAL_HEADER, row({}), open, row({}), row({}), row({})].join("\n");
        const next = row({});
        assert.equal(errorOf(text),
            `data.csv:3:${columnOf(open, "\"Mcas")}: field 18: the quoted field that opens here ends at line 4, column ${columnOf(next, "\"10/14")} ` +
            "with text after its closing quote: a '\"' is probably missing at the end of this field, or a quote inside it is not doubled");
        const openUser = row({ UserName: "\"avery.lee@contoso.example", AppTags: "sanctioned" });
        assert.match(errorOf([PORTAL_HEADER, openUser, row({ AppTags: "sanctioned" }), row({})].join("\r\n")),
            new RegExp(`^data\\.csv:2:${columnOf(openUser, "\"avery")}: field 11: the quoted field that opens here ends at line 3`));
        // A quoted line break that ends cleanly but leaves the record with too many fields gets a hint.
        const spread = `${row({ AppName: "\"two\nlines\"" })},extra`;
        assert.equal(errorOf(`${PORTAL_HEADER}\n${spread}\n`),
            `data.csv:2: expected 18 fields as in the header, found 19; a quoted field opens on line 2 at column ${columnOf(spread, "\"two")} ` +
            "and runs over a line break: if it should not, a '\"' is missing at its end");
    });

    it("reads semicolon- and tab-separated files whose header names the columns, and says how it read them", () => {
        for (const delimiter of [";", "\t"] as const) {
            const header = PORTAL_HEADER.split(",").join(delimiter);
            const text = [header, row({}, delimiter), row({ AppName: "\"Box; Inc.\"", StreamName: "\"Firewall\tA\"", TotalBytes: "5" }, delimiter)].join("\r\n");
            const { dataset, delimiter: used } = parseLogAnalyticsCsv(text, "excel.csv");
            assert.equal(used, delimiter);
            assert.equal(dataset.rowCount, 2);
            assert.equal(textAt(dataset.text.AppName, 1), "Box; Inc.");
            assert.equal(textAt(dataset.text.StreamName, 1), "Firewall\tA");
            assert.deepEqual(dataset.numbers.TotalBytes, [4060000, 5]);
            assert.equal(textAt(dataset.text.AppTags, 0), "[\"sanctioned\"]");
        }
        assert.equal(parseLogAnalyticsCsv(`${PORTAL_HEADER}\n${row({})}\n`, "comma.csv").delimiter, ",");
    });

    it("names the delimiter it tried when a semicolon-separated header still lacks columns", () => {
        const message = errorOf("TimeGenerated [UTC];AppName;TotalBytes;StreamName\n2025-10-14;Dropbox;10;A\n", "excel.csv");
        assert.match(message, /^excel\.csv:1: missing required columns AppCategory, AppTags, UserName, IpAddress, AppScore, UploadedBytes, DownloadedBytes, TotalEvents, BlockedEvents \(found, reading the file as semicolon-separated: TimeGenerated, AppName, TotalBytes, StreamName\); export McasShadowItReporting with all its columns, comma-, semicolon- or tab-separated$/);
    });

    it("reads whole numbers written with an exponent or a zero fraction, exactly", () => {
        const text = `${PORTAL_HEADER}\n${row({ TotalBytes: "4.06e6", UploadedBytes: "1.51E+6", AppScore: "7.0", TotalEvents: "9007199254740991", DownloadedBytes: "9.007199254740991e15", BlockedEvents: "-0" })}\n`;
        const { dataset } = parseLogAnalyticsCsv(text, "exponent.csv");
        assert.deepEqual(dataset.numbers.TotalBytes, [4060000]);
        assert.deepEqual(dataset.numbers.UploadedBytes, [1510000]);
        assert.deepEqual(dataset.numbers.AppScore, [7]);
        assert.deepEqual(dataset.numbers.TotalEvents, [9007199254740991]);
        assert.deepEqual(dataset.numbers.DownloadedBytes, [9007199254740991]);
        assert.deepEqual(dataset.numbers.BlockedEvents, [0]);
        const shifted = parseLogAnalyticsCsv(`${PORTAL_HEADER}\n${row({ BlockedEvents: "40e-1", AppScore: "-0.00e5" })}\n`, "shifted.csv").dataset;
        assert.deepEqual(shifted.numbers.BlockedEvents, [4]);
        assert.deepEqual(shifted.numbers.AppScore, [0]);
    });

    it("says exactly why a number is refused: a fraction, beyond 2^53 − 1, or outside an int column", () => {
        const refused = (fields: Partial<Record<string, string>>) => errorOf(`${PORTAL_HEADER}\n${row(fields)}\n`);
        assert.equal(refused({ TotalBytes: "1e18" }), "data.csv:2: column TotalBytes: \"1e18\" = 1,000,000,000,000,000,000 is too large to be read exactly: " +
            "the preview holds numbers as JavaScript doubles, exact only up to 2^53 − 1 = 9,007,199,254,740,991; a value this large in one row is most likely corrupt, so check the row");
        assert.match(refused({ TotalBytes: "9007199254740992" }), /^data\.csv:2: column TotalBytes: "9007199254740992" is too large to be read exactly: /);
        assert.match(refused({ TotalBytes: "-1E400" }), /^data\.csv:2: column TotalBytes: "-1E400" is too large to be read exactly: /);
        assert.equal(refused({ TotalEvents: "1.5e0" }), "data.csv:2: column TotalEvents: \"1.5e0\" (written in exponent form) is not a whole number");
        assert.equal(refused({ TotalEvents: "1e-3" }), "data.csv:2: column TotalEvents: \"1e-3\" (written in exponent form) is not a whole number");
        assert.equal(refused({ AppScore: "3e9" }), "data.csv:2: column AppScore: \"3e9\" is outside the range of AppScore, an int column (-2,147,483,648 to 2,147,483,647)");
        assert.equal(refused({ AppScore: "e5" }), "data.csv:2: column AppScore: \"e5\" is not a number");
        assert.equal(refused({ AppScore: "." }), "data.csv:2: column AppScore: \".\" is not a number");
    });

    it("rejects an empty file and a duplicated header column", () => {
        assert.match(errorOf("", "none.csv"), /^none\.csv: the file is empty/);
        assert.match(errorOf("\ufeff\r\n", "none.csv"), /^none\.csv: the file is empty/);
        assert.equal(errorOf(`${PORTAL_HEADER},AppName\n`), "data.csv:1: column AppName appears twice in the header");
    });
});
