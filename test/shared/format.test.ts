import { test } from "node:test";
import assert from "node:assert/strict";
import { Formatter } from "../../src/render/format.ts";

test("counts are formatted in the locale's digits and grouping, small ones from a per-locale memo", () => {
    const arabic = new Intl.NumberFormat("ar-EG", { maximumFractionDigits: 0 });
    const ar = new Formatter("ar-EG", "si");
    // Memoized small counts keep the locale's own digits, on first use and on every later one, in any instance.
    assert.equal(ar.count(7), arabic.format(7));
    assert.notEqual(ar.count(7), "7");
    assert.equal(new Formatter("ar-EG", "binary").count(7), arabic.format(7));
    const en = new Formatter("en-US", "si");
    assert.equal(en.count(7), "7");
    assert.equal(new Formatter("de-DE", "si").count(1023), "1.023");
    // Past the memo, fractions and negatives go to Intl every time.
    assert.equal(en.count(1024), "1,024");
    assert.equal(en.count(157957), "157,957");
    assert.equal(en.count(2.6), "3");
    assert.equal(en.count(-3), "-3");
    assert.equal(en.count(1023), "1,023");
});
