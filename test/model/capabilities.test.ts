import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import Ajv from "ajv";
import { GROUPING_ROLES, MEASURE_ROLES } from "../../src/model/index.ts";
import { LOCALES } from "../fixtures/locales.ts";

const root = join(__dirname, "..", "..");
const readJson = (...path: string[]): unknown => JSON.parse(readFileSync(join(root, ...path), "utf8"));

interface DataRole {
    name: string;
    kind: string;
    displayName: string;
    displayNameKey?: string;
    description?: string;
    requiredTypes?: Array<Record<string, boolean>>;
}

interface Capabilities {
    dataRoles: DataRole[];
    dataViewMappings: Array<{
        conditions: Array<Record<string, { max?: number }>>;
        categorical: {
            categories: { select: Array<{ bind: { to: string } }>; dataReductionAlgorithm: { window?: { count: number } } };
            values: { select: Array<{ bind: { to: string } }> };
        };
    }>;
    objects: Record<string, { properties: Record<string, { type: Record<string, unknown> }> }>;
    privileges: unknown[];
    tooltips: { supportedTypes: Record<string, boolean>; roles: string[] };
    [flag: string]: unknown;
}

const capabilities = readJson("capabilities.json") as Capabilities;

describe("capabilities.json", () => {
    it("is valid against the schema of the installed powerbi-visuals-api", () => {
        const schema = readJson("node_modules", "powerbi-visuals-api", "schema.capabilities.json") as object;
        // The schema uses a keyword of its own ("requires"), which a strict validator refuses to compile.
        const validate = new Ajv({ allErrors: true, logger: false, strict: false }).compile(schema);
        assert.equal(validate(capabilities), true, JSON.stringify(validate.errors, null, 2));
        // The validator does reject a broken file, so the check above means something.
        const broken = { ...capabilities, dataRoles: [{ name: "AppName", kind: "Dimension" }] };
        assert.equal(validate(broken), false);
    });

    it("declares every role of the model, measures numeric, each at most once", () => {
        const byName = new Map(capabilities.dataRoles.map(role => [role.name, role]));
        for (const name of GROUPING_ROLES) assert.equal(byName.get(name)?.kind, "Grouping", name);
        for (const name of MEASURE_ROLES) {
            const role = byName.get(name);
            assert.equal(role?.kind, "Measure", name);
            assert.ok(role?.requiredTypes?.some(type => type.numeric), `${name} requires numbers`);
        }
        for (const role of capabilities.dataRoles) {
            assert.ok(role.displayName && role.displayNameKey?.startsWith("Role_") && role.description, role.name);
        }
        const [mapping] = capabilities.dataViewMappings;
        assert.deepEqual(mapping.categorical.categories.select.map(item => item.bind.to), [...GROUPING_ROLES]);
        assert.deepEqual(mapping.categorical.categories.dataReductionAlgorithm, { window: { count: 30000 } });
        assert.deepEqual(mapping.categorical.values.select.map(item => item.bind.to), [...MEASURE_ROLES, "Tooltips"]);
        // Time generated takes up to four fields: the Year, Quarter, Month and Day levels of a date hierarchy, which a
        // one-field well would cut to its Year (date-hierarchy.ts).
        for (const name of [...GROUPING_ROLES, ...MEASURE_ROLES]) {
            assert.deepEqual(mapping.conditions[0][name], { max: name === "TimeGenerated" ? 4 : 1 }, name);
        }
    });

    it("asks only for the download privilege, never for web access, and supports what Power BI users expect", () => {
        // ExportContent for the CSV downloads (optional: the visual works without it); launchUrl needs no privilege.
        assert.deepEqual(capabilities.privileges, [{ name: "ExportContent", essential: false }]);
        for (const flag of ["supportsHighlight", "supportsKeyboardFocus", "supportsLandingPage", "supportsEmptyDataView", "supportsMultiVisualSelection", "supportsSynchronizingFilterState"]) {
            assert.equal(capabilities[flag], true, flag);
        }
        assert.deepEqual(capabilities.tooltips, { supportedTypes: { default: true, canvas: true }, roles: ["Tooltips"] });
        assert.ok(capabilities.dataRoles.some(role => role.name === "Tooltips" && role.kind === "Measure"));
    });

    it("has every localization key of the roles and formatting options in en-US, de-DE, fr-FR and ja-JP", () => {
        const keys = new Set<string>();
        const collect = (node: unknown): void => {
            if (Array.isArray(node)) node.forEach(collect);
            else if (node && typeof node === "object") {
                for (const [name, value] of Object.entries(node)) {
                    if ((name === "displayNameKey" || name === "descriptionKey") && typeof value === "string") keys.add(value);
                    else collect(value);
                }
            }
        };
        collect(capabilities);
        const settingsSource = readFileSync(join(root, "src", "settings.ts"), "utf8");
        for (const [, key] of settingsSource.matchAll(/"((?:Format|Role)_\w+)"/g)) keys.add(key);
        assert.ok(keys.size > 60);
        const english = readJson("stringResources", "en-US", "resources.resjson") as Record<string, string>;
        for (const locale of LOCALES) {
            const strings = readJson("stringResources", locale, "resources.resjson") as Record<string, string>;
            for (const key of keys) assert.ok(typeof strings[key] === "string" && strings[key].trim() !== "", `${locale}: ${key}`);
            if (locale !== "en-US") {
                const untranslated = [...keys].filter(key => strings[key] === english[key] && !/^Format_(Format|ByteUnits_Si)$/.test(key));
                assert.ok(untranslated.length <= 2, `${locale} leaves ${untranslated.join(", ")} in English`);
            }
        }
    });

    it("offers byte units as SI or binary", () => {
        const units = capabilities.objects.format.properties.byteUnits.type.enumeration as Array<{ value: string }>;
        assert.deepEqual(units.map(unit => unit.value), ["si", "binary"]);
    });
});
