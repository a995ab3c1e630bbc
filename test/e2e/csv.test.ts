import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { CsvFormatError, csvRecords, normalizeHeader, parseLogAnalyticsCsv } from "../../src/preview/csv.ts";
import { textAt } from "../../src/preview/dataset.ts";

// The portal's "Export to CSV (all columns)" header for McasShadowItReporting.
const PORTAL_HEADER = "TenantId,SourceSystem,\"TimeGenerated [UTC]\",StreamName,TotalEvents,BlockedEvents,UploadedBytes," +
    "TotalBytes,DownloadedBytes,IpAddress,UserName,EnrichedUserName,AppName,AppId,AppCategory,AppTags,AppScore,Type";
const TENANT = "6b3a1c8e-2f4d-4e5a-9b7c-0d1e2f3a4b5c";

function row(fields: Partial<Record<string, string>>): string {
    const values: Record<string, string> = {
        TenantId: TENANT, SourceSystem: "Azure", TimeGenerated: "\"10/14/2025, 12:00:00.000 AM\"", StreamName: "Marketing Department",
        TotalEvents: "120", BlockedEvents: "4", UploadedBytes: "1510000", TotalBytes: "4060000", DownloadedBytes: "2550000",
        IpAddress: "10.1.4.27", UserName: "avery.lee@contoso.example", EnrichedUserName: "Avery Lee", AppName: "Dropbox",
        AppId: "11627", AppCategory: "Cloud storage", AppTags: "\"[\"\"sanctioned\"\"]\"", AppScore: "7", Type: "McasShadowItReporting",
        ...fields,
    };
    return ["TenantId", "SourceSystem", "TimeGenerated", "StreamName", "TotalEvents", "BlockedEvents", "UploadedBytes", "TotalBytes",
        "DownloadedBytes", "IpAddress", "UserName", "EnrichedUserName", "AppName", "AppId", "AppCategory", "AppTags", "AppScore", "Type"]
        .map(name => values[name]).join(",");
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

    it("rejects an unclosed quote, text after a closing quote and a bare quote inside a field", () => {
        assert.match(errorOf(`${PORTAL_HEADER}\n${row({ Type: "\"McasShadowItReporting" })}\n`), /^data\.csv:2: field 18: a quoted field is not closed/);
        assert.match(errorOf(`${PORTAL_HEADER}\n${row({ AppName: "\"Drop\"box" })}\n`), /^data\.csv:2: field 13: unexpected text after a closing quote/);
        assert.match(errorOf(`${PORTAL_HEADER}\n${row({ AppName: "Drop\"box" })}\n`), /^data\.csv:2: field 13: a quote inside an unquoted field/);
    });

    it("rejects an empty file and a duplicated header column", () => {
        assert.match(errorOf("", "none.csv"), /^none\.csv: the file is empty/);
        assert.match(errorOf("\ufeff\r\n", "none.csv"), /^none\.csv: the file is empty/);
        assert.equal(errorOf(`${PORTAL_HEADER},AppName\n`), "data.csv:1: column AppName appears twice in the header");
    });
});
