import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ENGLISH } from "../../src/render/strings.ts";
import { LOCALES } from "../fixtures/locales.ts";

/*
 * The on-canvas strings are written twice on purpose: src/render/strings.ts is the fallback the visual shows when the
 * host has no translation, stringResources/<locale>/resources.resjson is what the host hands out. Nothing else
 * keeps them together, so this does.
 */

const root = join(__dirname, "..", "..");
const resources = (locale: string): Record<string, string> =>
    JSON.parse(readFileSync(join(root, "stringResources", locale, "resources.resjson"), "utf8")) as Record<string, string>;
const placeholders = (text: string): string[] => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map(m => m[1]))].sort();
/** The keys of the on-canvas strings; the formatting pane's and the roles' keys are Format_ and Role_ (capabilities.test.ts). */
const onCanvas = (keys: Iterable<string>): string[] => [...keys].filter(key => key.startsWith("Visual_")).sort();

describe("on-canvas strings", () => {
    it("are found in every locale the tests know (test/fixtures/locales.ts)", () => {
        assert.deepEqual(readdirSync(join(root, "stringResources")).sort(), [...LOCALES].sort());
    });

    it("hold the same keys in strings.ts and every locale's resources", () => {
        const keys = onCanvas(Object.keys(ENGLISH));
        assert.ok(keys.length > 80, "strings.ts lists the on-canvas strings");
        assert.deepEqual(Object.keys(ENGLISH).sort(), keys, "every key of strings.ts is an on-canvas (Visual_) key");
        for (const locale of LOCALES) assert.deepEqual(onCanvas(Object.keys(resources(locale))), keys, locale);
    });

    it("are the same English text in strings.ts and en-US", () => {
        const enUS = resources("en-US");
        const differ = Object.entries(ENGLISH).filter(([key, text]) => enUS[key] !== text).map(([key]) => key);
        assert.deepEqual(differ, []);
    });

    it("keep every placeholder in every translation, and none is empty", () => {
        for (const locale of LOCALES) {
            const strings = resources(locale);
            for (const [key, english] of Object.entries(ENGLISH)) {
                const text = strings[key];
                assert.ok(typeof text === "string" && text.trim() !== "", `${locale}: ${key} is empty`);
                assert.deepEqual(placeholders(text), placeholders(english), `${locale}: ${key} "${text}"`);
            }
        }
    });
});
