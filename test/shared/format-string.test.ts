import { test } from "node:test";
import assert from "node:assert/strict";
import { formatWithFormatString as format } from "../../src/render/format-string.ts";

// Built with the local-time constructor: the host hands the visual Date objects shown in the viewer's local time,
// so the fields read back are the same in every time zone.
const instant = new Date(2026, 2, 2, 15, 7, 8);
const midnight = new Date(2026, 2, 2);
// fr-FR groups with a narrow no-break space in ICU's data.
const nnbsp = "\u202f";

test("thousands-grouped counts and two-decimal amounts use the locale's separators", () => {
    assert.equal(format(1234567.891, "#,0", "en-US"), "1,234,568");
    assert.equal(format(1234567.891, "#,0", "de-DE"), "1.234.568");
    assert.equal(format(1234567.891, "#,0", "fr-FR"), `1${nnbsp}234${nnbsp}568`);
    assert.equal(format(1234567.891, "#,0", "ja-JP"), "1,234,568");
    assert.equal(format(1234567.891, "#,0.00", "de-DE"), "1.234.567,89");
    assert.equal(format(1234.5, "#,##0.00", "en-US"), "1,234.50");
    assert.equal(format(1234.5, "#,0.###############", "de-DE"), "1.234,5");
    assert.equal(format(-1234.5, "#,0", "en-US"), "-1,235");
    assert.equal(format(0, "#,0.00", "fr-FR"), "0,00");
});

test("\"0\" shows the rounded number without grouping; a negative that rounds to zero loses its minus", () => {
    assert.equal(format(7, "0", "en-US"), "7");
    assert.equal(format(1234.5, "0", "de-DE"), "1235");
    assert.equal(format(-1234.4, "0", "ja-JP"), "-1234");
    assert.equal(format(-0.001, "0", "en-US"), "0");
    assert.equal(format(0.05, "0.0", "de-DE"), "0,1");
});

test("percent formats multiply by 100, with their own negative and zero sections", () => {
    assert.equal(format(0.1234, "0.0%", "en-US"), "12.3%");
    assert.equal(format(0.1234, "0.0%", "de-DE"), "12,3%");
    const sections = "0.00 %;-0.00 %;0.00 %";
    assert.equal(format(-0.1234, sections, "en-US"), "-12.34 %");
    assert.equal(format(-0.1234, sections, "fr-FR"), "-12,34 %");
    assert.equal(format(0, sections, "ja-JP"), "0.00 %");
    assert.equal(format(0.25, "Percent", "en-US"), "25.00%");
    assert.equal(format(0.25, "Percent", "de-DE"), "25,00\u00a0%");
});

test("currency sections print their escaped symbols and parentheses instead of a minus sign", () => {
    const dollars = "\\$#,0.00;(\\$#,0.00);\\$#,0.00";
    assert.equal(format(1234.5, dollars, "en-US"), "$1,234.50");
    assert.equal(format(-1234.5, dollars, "en-US"), "($1,234.50)");
    assert.equal(format(-1234.5, dollars, "de-DE"), "($1.234,50)");
    assert.equal(format(0, dollars, "ja-JP"), "$0.00");
    assert.equal(format(1234.5, "#,0.00 [$€-407]", "de-DE"), "1.234,50 €");
    assert.equal(format(-5, "#,0;-#,0;\"none\"", "en-US"), "-5");
    assert.equal(format(0, "#,0;-#,0;\"none\"", "en-US"), "none");
    // An empty negative section is written with the positive one.
    assert.equal(format(-1234.5, "0.00;;", "en-US"), "-1234.50");
    assert.equal(format(1.5, "0.0 \"GB\"", "fr-FR"), "1,5 GB");
});

test("named numeric formats follow the locale, the currency of the locale's region included", () => {
    assert.equal(format(1234.5, "General Number", "en-US"), "1234.5");
    assert.equal(format(1234.5, "General Number", "fr-FR"), "1234,5");
    assert.equal(format(1234.5, "Currency", "en-US"), "$1,234.50");
    assert.equal(format(1234.5, "Currency", "de-DE"), "1.234,50\u00a0€");
    assert.equal(format(1234.5, "Currency", "ja-JP"), "￥1,235");
    assert.equal(format(1234.5, "Fixed", "en-US"), "1234.50");
    assert.equal(format(1234.5, "Standard", "en-US"), "1,234.50");
    assert.equal(format(1234.5, "Scientific", "en-US"), "1.23E+03");
    assert.equal(format(0, "Yes/No", "en-US"), "No");
});

test("scientific notation, thousands scaling and huge numbers", () => {
    assert.equal(format(1234.5, "0.00E+00", "en-US"), "1.23E+03");
    assert.equal(format(1234.5, "0.00E+00", "de-DE"), "1,23E+03");
    assert.equal(format(0.000123, "0.00E+00", "en-US"), "1.23E-04");
    assert.equal(format(999.99, "0.0E+00", "en-US"), "1.0E+03");
    assert.equal(format(-98765, "0.0E+0", "en-US"), "-9.9E+4");
    assert.equal(format(1234567, "#,0,", "en-US"), "1,235");
    assert.equal(format(1e21, "#,0", "en-US"), "1,000,000,000,000,000,000,000");
    assert.equal(format(Number.MAX_SAFE_INTEGER, "#,0", "de-DE"), "9.007.199.254.740.991");
});

test("blanks, NaN, infinities, strings and booleans", () => {
    assert.equal(format(null, "#,0", "en-US"), "");
    assert.equal(format(undefined, "#,0", "en-US"), "");
    assert.equal(format(NaN, "#,0", "en-US"), "NaN");
    assert.equal(format(Infinity, "#,0", "en-US"), "∞");
    assert.equal(format(-Infinity, "0.00", "de-DE"), "-∞");
    assert.equal(format("Salesforce", "#,0", "en-US"), "Salesforce");
    assert.equal(format(true, "Yes/No", "en-US"), "Yes");
    assert.equal(format(false, "On/Off", "de-DE"), "Off");
    assert.equal(format(true, undefined, "ja-JP"), "True");
});

test("custom date formats, in .NET and VBA spellings", () => {
    assert.equal(format(instant, "yyyy-MM-dd", "en-US"), "2026-03-02");
    assert.equal(format(instant, "dd/MM/yyyy", "de-DE"), "02/03/2026");
    assert.equal(format(instant, "m/d/yyyy h:nn AM/PM", "en-US"), "3/2/2026 3:07 PM");
    assert.equal(format(instant, "m/d/yyyy h:mm:ss am/pm", "en-US"), "3/2/2026 3:07:08 pm");
    assert.equal(format(instant, "yyyy-MM-dd HH:mm:ss", "ja-JP"), "2026-03-02 15:07:08");
    assert.equal(format(instant, "hh:mm tt", "en-US"), "03:07 PM");
    assert.equal(format(instant, "dddd, mmmm d, yyyy", "en-US"), "Monday, March 2, 2026");
    assert.equal(format(instant, "dddd d mmmm yyyy", "fr-FR"), "lundi 2 mars 2026");
    assert.equal(format(instant, "ddd d. MMM yy", "de-DE"), "Mo 2. Mär 26");
    assert.equal(format(instant, "yyyy\"年\"M\"月\"d\"日\"", "ja-JP"), "2026年3月2日");
});

test("named date formats follow the locale; General Date leaves out a midnight time", () => {
    assert.equal(format(instant, "General Date", "en-US"), "3/2/26, 3:07:08 PM");
    assert.equal(format(midnight, "General Date", "en-US"), "3/2/26");
    assert.equal(format(instant, "General Date", "de-DE"), "02.03.26, 15:07:08");
    assert.equal(format(instant, "Long Date", "en-US"), "Monday, March 2, 2026");
    assert.equal(format(instant, "Long Date", "fr-FR"), "lundi 2 mars 2026");
    assert.equal(format(instant, "Long Date", "ja-JP"), "2026年3月2日月曜日");
    assert.equal(format(instant, "Short Date", "de-DE"), "02.03.26");
    assert.equal(format(instant, "Short Time", "en-US"), "15:07");
    assert.equal(format(new Date(Number.NaN), "Short Date", "en-US"), "");
});

test("a format it does not understand falls back to the plain locale number or date, never to the format's text", () => {
    const plainNumber = "-1,234.5";
    const plainDate = "3/2/26, 3:07:08 PM";
    for (const unknown of ["yyyy-MM-dd", "\"unterminated", "[", "E+", ";;;;;", "0E+", "#,0 Q", "@", ""]) {
        assert.equal(format(-1234.5, unknown, "en-US"), plainNumber, `number with ${JSON.stringify(unknown)}`);
    }
    for (const unknown of ["#,0.00", "0%", "\"unterminated", "[", "@", "qqq", ";;", ""]) {
        assert.equal(format(instant, unknown, "en-US"), plainDate, `date with ${JSON.stringify(unknown)}`);
    }
    assert.equal(format(-1234.5, "yyyy-MM-dd", "de-DE"), "-1.234,5");
});
