import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { updateModel, visibleText } from "../../src/model/index.ts";
import type { Panel } from "../../src/model/types.ts";
import { buildDataView, generateRows, LABELS, settingsWith } from "./builder.ts";

function ready<T>(panel: Panel<T>): T {
    assert.equal(panel.status, "ready");
    return (panel as { data: T }).data;
}

describe("visibleText", () => {
    it("shows a right-to-left override as an escape, so a spoofed file name reads as it is stored", () => {
        assert.equal(visibleText("\u202Egnp.exe"), "<U+202E>gnp.exe");
    });

    it("escapes every bidi control, mark, zero-width and other format character", () => {
        const controls = [
            0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c,
            0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x00ad, 0xe0041,
        ];
        for (const code of controls) {
            const hex = code.toString(16).toUpperCase().padStart(4, "0");
            assert.equal(visibleText(`a${String.fromCodePoint(code)}b`), `a<U+${hex}>b`, `U+${hex}`);
        }
    });

    it("escapes control characters, line separators and lone surrogates", () => {
        assert.equal(visibleText("a\tb\u0000c\u007f"), "a<U+0009>b<U+0000>c<U+007F>");
        assert.equal(visibleText("a\u2028b\u2029"), "a<U+2028>b<U+2029>");
        assert.equal(visibleText("x\uD800y\uDC00"), "x<U+D800>y<U+DC00>");
    });

    it("leaves printable text, accents, other scripts and emoji as they are", () => {
        for (const text of ["Dropbox", "Zoë Tomás Bjørn", "Microsoft Teams (会议)", "بريد", "שלום", "😀 chat", "a b"]) {
            assert.equal(visibleText(text), text);
        }
    });
});

describe("names with invisible characters in the model", () => {
    const rows = generateRows(30, 5).map((row, i) => i === 0
        ? { ...row, AppName: "\u202Egnp.exe", StreamName: "Head\u200BOffice", AppCategory: "Cloud\u2066 storage", TotalBytes: 9e12 }
        : row);
    const model = updateModel(undefined, buildDataView(rows), settingsWith({ topN: 50 }), LABELS, { isAppend: false }).model;

    it("labels every panel's item with the escaped name, while keys keep the raw value", () => {
        const app = ready(model.topApps).apps[0];
        assert.equal(app.label.text, "<U+202E>gnp.exe");
        assert.equal(app.label.key, "s:\u202Egnp.exe");
        assert.equal(app.category?.text, "Cloud<U+2066> storage");
        assert.ok(ready(model.streamBytes).some(bar => bar.label.text === "Head<U+200B>Office"));
        assert.ok(ready(model.categoryTraffic).some(bar => bar.label.text === "Cloud<U+2066> storage"));
    });
});
