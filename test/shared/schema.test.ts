import { test } from "node:test";
import assert from "node:assert/strict";
import {
    DEFAULT_RISK_THRESHOLDS, MCAS_SHADOW_IT_REPORTING, formatBytes, isGuid, parseAppTags, riskBandOf, tagClassOf,
} from "../../src/schema.ts";
import { findTable } from "../../src/dataset/tables.ts";

test("formatBytes speaks SI by default and binary on request, with three significant digits", () => {
    assert.equal(formatBytes(0), "0 B");
    assert.equal(formatBytes(999), "999 B");
    assert.equal(formatBytes(1514874), "1.51 MB");
    assert.equal(formatBytes(4067785), "4.07 MB");
    assert.equal(formatBytes(2552911), "2.55 MB");
    assert.equal(formatBytes(12_345_678_901), "12.3 GB");
    assert.equal(formatBytes(123_456_789_012), "123 GB");
    assert.equal(formatBytes(4067785, "binary"), "3.88 MiB");
    assert.equal(formatBytes(1024, "binary"), "1.00 KiB");
    assert.equal(formatBytes(1000), "1.00 kB");
});

test("formatBytes carries a rounded 1000 into the next unit", () => {
    assert.equal(formatBytes(999_600), "1.00 MB");
    assert.equal(formatBytes(999_999_999), "1.00 GB");
    assert.equal(formatBytes(1023.7 * 1024, "binary"), "1.00 MiB");
});

test("formatBytes survives huge, negative and non-finite values", () => {
    assert.equal(formatBytes(9e15), "9.00 PB");
    assert.equal(formatBytes(2 ** 53), "9.01 PB");
    assert.equal(formatBytes(1e30), "1000000000000 EB");
    assert.equal(formatBytes(-1514874), "-1.51 MB");
    assert.equal(formatBytes(Number.NaN), "–");
    assert.equal(formatBytes(Number.POSITIVE_INFINITY), "–");
});

test("riskBandOf follows the 0-3 / 4-7 / 8-10 defaults and isolates unscored values", () => {
    assert.deepEqual([0, 3, 4, 7, 8, 10].map(s => riskBandOf(s)), ["high", "high", "medium", "medium", "low", "low"]);
    assert.equal(riskBandOf(3.5), "medium");
    for (const bad of [null, undefined, -1, 11, Number.NaN, Number.POSITIVE_INFINITY]) {
        assert.equal(riskBandOf(bad), "unscored", String(bad));
    }
    assert.equal(riskBandOf(5, { highMax: 5, mediumMax: 8 }), "high");
    assert.equal(riskBandOf(9, { highMax: 5, mediumMax: 8 }), "low");
    assert.deepEqual(DEFAULT_RISK_THRESHOLDS, { highMax: 3, mediumMax: 7 });
});

test("parseAppTags reads the JSON array strings Log Analytics sends, and bare or broken values", () => {
    assert.deepEqual(parseAppTags('["sanctioned"]'), ["sanctioned"]);
    assert.deepEqual(parseAppTags('["unsanctioned","Monitored"]'), ["unsanctioned", "Monitored"]);
    assert.deepEqual(parseAppTags("[]"), []);
    assert.deepEqual(parseAppTags(["sanctioned", 4]), ["sanctioned"]);
    assert.deepEqual(parseAppTags("sanctioned"), ["sanctioned"]);
    assert.deepEqual(parseAppTags('["sanctioned"'), []);
    assert.deepEqual(parseAppTags('{"a":1}'), ["{\"a\":1}"]);
    assert.deepEqual(parseAppTags(null), []);
    assert.deepEqual(parseAppTags(42), []);
});

test("tagClassOf: unsanctioned wins, custom tags count as other", () => {
    assert.equal(tagClassOf(["sanctioned"]), "sanctioned");
    assert.equal(tagClassOf(["Unsanctioned"]), "unsanctioned");
    assert.equal(tagClassOf(["sanctioned", "unsanctioned"]), "unsanctioned");
    assert.equal(tagClassOf(["Monitored"]), "other");
    assert.equal(tagClassOf([]), "other");
    // Tags compare whole, trimmed and in any case; the order of the tags does not matter.
    assert.equal(tagClassOf(["  SANCTIONED "]), "sanctioned");
    assert.equal(tagClassOf(["unsanctioned", "sanctioned"]), "unsanctioned");
    assert.equal(tagClassOf(["Monitored", "sanctioned", "Legacy"]), "sanctioned");
    assert.equal(tagClassOf(["not sanctioned", "sanctioned by IT"]), "other");
});

test("isGuid accepts workspace IDs and nothing else", () => {
    assert.ok(isGuid("b459b4a5-912e-46d5-9cb1-a43069212eb4"));
    assert.ok(isGuid("B459B4A5-912E-46D5-9CB1-A43069212EB4"));
    assert.ok(!isGuid("b459b4u5-912x-46d5-9cb1-p43069212nb4"));
    assert.ok(!isGuid(" b459b4a5-912e-46d5-9cb1-a43069212eb4"));
    assert.ok(!isGuid(""));
});

test("the McasShadowItReporting schema lists the documented columns in order", () => {
    assert.equal(findTable("McasShadowItReporting"), MCAS_SHADOW_IT_REPORTING);
    assert.equal(findTable("mcasshadowitreporting"), undefined);
    assert.deepEqual(MCAS_SHADOW_IT_REPORTING.columns.map(c => c.name), [
        "TenantId", "SourceSystem", "TimeGenerated", "StreamName", "TotalEvents", "BlockedEvents", "UploadedBytes",
        "TotalBytes", "DownloadedBytes", "IpAddress", "UserName", "EnrichedUserName", "AppName", "AppId", "AppCategory",
        "AppTags", "AppScore", "Type",
    ]);
});
