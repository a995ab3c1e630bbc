import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BLANK_KEY, MAX_LABEL_LENGTH, updateModel } from "../../src/model/index.ts";
import type { DashboardModel, Panel } from "../../src/model/types.ts";
import { buildDataView, DataViewOptions, DiscoveryRow, generateRows, LABELS, settingsWith } from "./builder.ts";

const base = generateRows(40, 3);

function modelOf(rows: readonly DiscoveryRow[], options: DataViewOptions = {}, labels = LABELS): DashboardModel {
    return updateModel(undefined, buildDataView(rows, options), settingsWith({ topN: 50 }), labels, { isAppend: false }).model;
}

function ready<T>(panel: Panel<T>): T {
    assert.equal(panel.status, "ready");
    return (panel as { data: T }).data;
}

describe("blank categories", () => {
    const blanks = [null, undefined, "", "   ", "\t"];
    const rows = [
        ...blanks.map((blank, i) => ({ ...base[i], AppCategory: blank, StreamName: blank, TotalBytes: 100 })),
        { ...base[10], AppCategory: "(Blank)", StreamName: "(Blank)", TotalBytes: 7 },
    ];

    it("shows null, undefined, empty and whitespace values as one (Blank) item, apart from a real \"(Blank)\"", () => {
        const bars = ready(modelOf(rows).categoryTraffic);
        assert.equal(bars.length, 2);
        const [blank, literal] = bars;
        assert.deepEqual(blank.label, { key: BLANK_KEY, text: "(Blank)", isBlank: true });
        assert.equal(blank.totalBytes, 500);
        assert.deepEqual(blank.selection.rows, [0]);
        assert.equal(literal.label.text, "(Blank)");
        assert.equal(literal.label.isBlank, false);
        assert.notEqual(literal.label.key, blank.label.key);
        assert.equal(literal.totalBytes, 7);

        const streams = ready(modelOf(rows).streamBytes);
        assert.equal(streams.filter(bar => bar.label.isBlank).length, 1);
    });

    it("uses the localized text given for blanks and Other", () => {
        const bars = ready(modelOf(rows, {}, { blank: "(Leer)", other: "Andere" }).categoryTraffic);
        assert.equal(bars[0].label.text, "(Leer)");
        const topOne = updateModel(undefined, buildDataView(rows), settingsWith({ topN: 1 }), { blank: "(Vide)", other: "Autres" }, { isAppend: false });
        const other = ready(topOne.model.categoryTraffic)[1];
        assert.equal(other.label.text, "Autres");
        assert.equal(other.isOther, true);
    });
});

describe("invalid measure values", () => {
    const bad: unknown[] = [-5, Number.NaN, Infinity, -Infinity, "12", "lots", true, {}];
    const rows = bad.map((value, i) => ({
        ...base[i], AppCategory: "Cloud storage", TotalBytes: value, UploadedBytes: value, TotalEvents: value,
    }));
    rows.push({ ...base[20], AppCategory: "Cloud storage", TotalBytes: 1000, UploadedBytes: 400, TotalEvents: 9, BlockedEvents: 3 });
    rows.push({ ...base[21], AppCategory: "Cloud storage", TotalBytes: null, UploadedBytes: undefined, TotalEvents: null });

    it("leaves out negative, NaN, infinite and non-numeric values and counts them per measure", () => {
        const model = modelOf(rows);
        // -5 is negative; the seven others are not finite (-Infinity too) or not numbers.
        assert.deepEqual(model.note.negativeValues, { UploadedBytes: 1, TotalBytes: 1, TotalEvents: 1 });
        assert.deepEqual(model.note.invalidValues, { UploadedBytes: 7, TotalBytes: 7, TotalEvents: 7 });
        const kpis = ready(model.kpis);
        assert.equal(kpis.totalBytes, 1000);
        assert.equal(kpis.uploadedBytes, 400);
        assert.equal(kpis.totalEvents, 9);
        const [bar] = ready(model.categoryTraffic);
        assert.equal(bar.totalBytes, 1000);
        assert.ok(Number.isFinite(bar.byTag.other + bar.byTag.sanctioned + bar.byTag.unsanctioned));
        assert.equal(model.note.rowsRead, rows.length);
    });

    it("does not count blanks (null, undefined) as invalid", () => {
        const blankOnly = [{ ...base[0], TotalBytes: null, UploadedBytes: undefined }];
        assert.deepEqual(modelOf(blankOnly).note.invalidValues, {});
    });

    it("counts an invalid part once when the total is derived from upload and download", () => {
        const parts = [
            { ...base[0], UploadedBytes: -1, DownloadedBytes: 50 },
            { ...base[1], UploadedBytes: 25, DownloadedBytes: Number.NaN },
        ];
        const model = modelOf(parts, { roles: ["AppCategory", "UploadedBytes", "DownloadedBytes"] });
        assert.deepEqual(model.note.negativeValues, { UploadedBytes: 1 });
        assert.deepEqual(model.note.invalidValues, { DownloadedBytes: 1 });
        assert.equal(ready(model.kpis).totalBytes, 75);
    });
});

describe("hostile names", () => {
    it("truncates 10,000-character names with an ellipsis and counts them", () => {
        const long = "A".repeat(10_000);
        const longer = "A".repeat(9_999) + "B";
        const rows = [
            { ...base[0], AppCategory: long, StreamName: long },
            { ...base[1], AppCategory: longer, StreamName: "Head Office" },
        ];
        const model = modelOf(rows);
        const bars = ready(model.categoryTraffic);
        assert.equal(bars.length, 2, "names equal in their first characters stay distinct");
        for (const bar of bars) {
            assert.equal(bar.label.text.length, MAX_LABEL_LENGTH);
            assert.ok(bar.label.text.endsWith("…"));
        }
        assert.equal(model.note.truncatedLabels, 3);
    });

    it("does not split a surrogate pair when truncating", () => {
        const emoji = "x" + "😀".repeat(200);
        const [bar] = ready(modelOf([{ ...base[0], AppCategory: emoji }]).categoryTraffic);
        assert.ok(bar.label.text.length <= MAX_LABEL_LENGTH);
        assert.ok(!/[\ud800-\udbff]…$/.test(bar.label.text));
        assert.ok(bar.label.text.endsWith("😀…"));
    });

    it("keeps markup verbatim as text", () => {
        const markup = "<img src=x onerror=alert(1)><b>Storage</b> & \"quotes\"";
        const rows = [{ ...base[0], AppCategory: markup, StreamName: "<script>alert('x')</script>" }];
        const model = modelOf(rows);
        assert.equal(ready(model.categoryTraffic)[0].label.text, markup);
        assert.equal(ready(model.streamBytes)[0].label.text, "<script>alert('x')</script>");
        assert.equal(model.note.truncatedLabels, 0);
    });

    it("takes malformed AppTags as other", () => {
        const rows = ["[\"sanctioned\"", "{}", "42", "[1,2]", "[\"Sanctioned\"]", "unsanctioned"].map((tags, i) => ({
            ...base[i], AppName: `Mail app ${i}`, AppCategory: "Webmail", AppTags: tags, TotalBytes: 10 ** i,
        }));
        const [bar] = ready(modelOf(rows).categoryTraffic);
        assert.deepEqual(bar.byTag, { sanctioned: 10_000, unsanctioned: 100_000, other: 1 + 10 + 100 + 1000 });
    });
});

describe("huge values", () => {
    it("sums values near 2^53 without throwing and stays finite", () => {
        const rows = Array.from({ length: 50 }, (_, i) => ({
            ...base[i % base.length], AppName: `App ${i % 2}`, AppCategory: i % 2 ? "Cloud storage" : "Webmail",
            TotalBytes: 9e15, UploadedBytes: 2 ** 53 - 1,
        }));
        const model = modelOf(rows);
        const kpis = ready(model.kpis);
        assert.equal(kpis.totalBytes, 9e15 * 50);
        assert.ok(Number.isFinite(kpis.uploadedBytes));
        assert.ok(Math.abs((kpis.uploadedBytes as number) - (2 ** 53 - 1) * 50) / ((2 ** 53) * 50) < 1e-12);
        const bars = ready(model.categoryTraffic);
        assert.deepEqual(bars.map(bar => bar.totalBytes), [9e15 * 25, 9e15 * 25]);
        assert.deepEqual(model.note.invalidValues, {});
    });

    it("keeps 1.7e308 values finite per row but does not throw when their sum overflows", () => {
        const rows = [0, 1].map(i => ({ ...base[i], AppCategory: "X", TotalBytes: 1.7e308 }));
        const model = modelOf(rows);
        assert.equal(ready(model.categoryTraffic)[0].totalBytes, Infinity);
    });
});
