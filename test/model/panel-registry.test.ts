import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { FormattingSettingsService } from "powerbi-visuals-utils-formattingmodel";
import type powerbi from "powerbi-visuals-api";
import { GROUPING_ROLES, MEASURE_ROLES, updateModel } from "../../src/model/index.ts";
import type { RoleName } from "../../src/model/types.ts";
import type { PanelDefinition } from "../../src/panels/definition.ts";
import { PANEL_IDS, PANELS } from "../../src/panels/registry.ts";
import { PANEL_RENDERERS, type PanelRenderer } from "../../src/panels/renderers.ts";
import { computeLayout } from "../../src/render/layout.ts";
import { ENGLISH } from "../../src/render/strings.ts";
import { ShadowItSettingsModel, toDashboardSettings } from "../../src/settings.ts";
import { ALL_ROLES, buildDataView, generateRows, LABELS, settingsWith, TIME_AND_PEOPLE } from "./builder.ts";
import { LOCALES } from "../fixtures/locales.ts";

const root = join(__dirname, "..", "..");
const readJson = (...path: string[]): unknown => JSON.parse(readFileSync(join(root, ...path), "utf8"));

interface PanelSwitch { displayName?: string; displayNameKey?: string; description?: string; descriptionKey?: string; type?: unknown }
interface Capabilities {
    dataRoles: Array<{ name: string }>;
    objects: { panels: { properties: Record<string, PanelSwitch> } };
}

interface Sources {
    readonly capabilities: Capabilities;
    readonly resources: Readonly<Record<string, Readonly<Record<string, string>>>>;
    readonly english: Readonly<Record<string, string>>;
    /** The panels' render halves by id (src/panels/renderers.ts). */
    readonly renderers: Readonly<Record<string, Partial<PanelRenderer> | undefined>>;
}

const sources: Sources = {
    capabilities: readJson("capabilities.json") as Capabilities,
    resources: Object.fromEntries(LOCALES.map(locale => [locale, readJson("stringResources", locale, "resources.resjson")])) as Sources["resources"],
    english: ENGLISH,
    renderers: PANEL_RENDERERS,
};

const ALL_BOUND: ReadonlySet<RoleName> = new Set<RoleName>([...GROUPING_ROLES, ...MEASURE_ROLES]);
const PLACEMENTS = ["strip", "grid", "full-row"];

/** What a panel's declarations lack or contradict, as readable lines; empty when the panel is complete. */
function problemsOf(panel: PanelDefinition, all: readonly PanelDefinition[], from: Sources): string[] {
    const problems: string[] = [];
    const id = String(panel.id ?? "");
    const say = (text: string) => problems.push(`${id || "(no id)"}: ${text}`);
    if (!/^[a-z]+(-[a-z]+)*$/.test(id)) say("the id is not lower-case words joined by hyphens");
    if (all.filter(other => other.id === panel.id).length !== 1) say("the id is registered more than once");
    if (typeof panel.priority !== "number" || !Number.isFinite(panel.priority)) say("no layout priority");
    else if (all.filter(other => other.priority === panel.priority).length !== 1) say("its priority is shared with another panel");
    if (!Array.isArray(panel.shownWhenBound)) say("no shownWhenBound list (empty when the panel is always laid out)");
    if (!PLACEMENTS.includes(panel.placement)) say(`placement "${panel.placement}" is none of ${PLACEMENTS.join(", ")}`);
    for (const name of ["missing", "build", "isEmpty"] as const) {
        if (typeof panel[name] !== "function") say(`no ${name} function`);
    }
    const renderer = Object.hasOwn(from.renderers, id) ? from.renderers[id] : undefined;
    if (renderer === undefined) say("no render half in src/panels/renderers.ts");
    else if (typeof renderer.render !== "function") say("no render function");
    const textKeys: string[] = [panel.titleKey, panel.landingKey];
    for (const key of textKeys) if (typeof key !== "string" || !(key in from.english)) say(`"${key}" has no English text in src/render/strings.ts`);
    const toggle = panel.toggle;
    if (!toggle || !toggle.property || !toggle.displayNameKey || !toggle.displayName || !toggle.description) {
        say("no complete switch (property, displayNameKey, displayName, description) for the Panels card");
    } else {
        const declared = from.capabilities.objects.panels.properties[toggle.property];
        const expected: PanelSwitch = {
            displayName: toggle.displayName, displayNameKey: toggle.displayNameKey, description: toggle.description,
            descriptionKey: `${toggle.displayNameKey}_Description`, type: { bool: true },
        };
        if (declared === undefined) say(`capabilities.json objects.panels has no property "${toggle.property}"`);
        else if (JSON.stringify(declared) !== JSON.stringify(expected)) {
            say(`capabilities.json objects.panels.${toggle.property} is ${JSON.stringify(declared)}, expected ${JSON.stringify(expected)}`);
        }
        textKeys.push(toggle.displayNameKey, `${toggle.displayNameKey}_Description`);
    }
    for (const locale of LOCALES) {
        for (const key of textKeys) {
            const text = from.resources[locale]?.[key];
            if (typeof text !== "string" || text.trim() === "") say(`stringResources/${locale} has no "${key}"`);
        }
    }
    if (typeof panel.missing === "function") {
        const asked = panel.missing(new Set());
        if (asked.length === 0) say("with nothing bound it asks for no field, so it would always count as ready");
        if (panel.missing(ALL_BOUND).length > 0) say("with every field bound it still asks for fields");
        const roles = new Set(from.capabilities.dataRoles.map(role => role.name));
        for (const role of asked) {
            if (!roles.has(role)) say(`asks for ${role}, which capabilities.json does not declare`);
            if (!(`Visual_Field_${role}` in from.english)) say(`asks for ${role}, which has no Visual_Field_${role} text`);
        }
    }
    return problems;
}

const registered = PANELS as readonly PanelDefinition[];

describe("panel registry", () => {
    it("holds complete panels: id, title, priority, placement, switch, landing line, fields, build and render", () => {
        assert.deepEqual(registered.flatMap(panel => problemsOf(panel, registered, sources)), []);
        assert.deepEqual(Object.keys(PANEL_RENDERERS).sort(), [...PANEL_IDS].sort(), "a render half for each panel, and none without one");
    });

    it("finds what an incomplete panel lacks", () => {
        const [first] = registered;
        const broken = (changes: Partial<PanelDefinition>): PanelDefinition => ({ ...first, id: "broken-panel", priority: 999, ...changes });
        const cases: Array<[Partial<PanelDefinition>, RegExp]> = [
            [{ priority: undefined as unknown as number }, /no layout priority/],
            [{ missing: () => [] }, /always count as ready/],
            [{ titleKey: "Visual_Panel_Nothing" as PanelDefinition["titleKey"] }, /Visual_Panel_Nothing/],
            [{ toggle: { ...first.toggle, property: "nothing" } }, /objects.panels has no property "nothing"/],
            [{ toggle: { ...first.toggle, displayName: "Another name" } }, /expected/],
        ];
        const renderers = { ...sources.renderers, "broken-panel": sources.renderers[first.id] };
        for (const [changes, expected] of cases) {
            const panel = broken(changes);
            const problems = problemsOf(panel, [...registered, panel], { ...sources, renderers });
            assert.ok(problems.some(line => expected.test(line)), `${expected}: ${problems.join("; ")}`);
        }
        const drawless: Array<[Sources["renderers"], RegExp]> = [
            [{ ...sources.renderers, "broken-panel": { render: undefined } }, /no render function/],
            [sources.renderers, /no render half in src\/panels\/renderers.ts/],
        ];
        for (const [withRenderers, expected] of drawless) {
            const panel = broken({});
            const problems = problemsOf(panel, [...registered, panel], { ...sources, renderers: withRenderers });
            assert.ok(problems.some(line => expected.test(line)), `${expected}: ${problems.join("; ")}`);
        }
        const withoutGerman = { ...sources, resources: { ...sources.resources, "de-DE": {} } };
        assert.ok(problemsOf(first, registered, withoutGerman).some(line => line.includes("stringResources/de-DE")));
    });

    it("has a switch in capabilities.json for every panel, and no switch without a panel", () => {
        const properties = Object.keys(sources.capabilities.objects.panels.properties).sort();
        assert.deepEqual(properties, registered.map(panel => panel.toggle.property).sort());
    });

    it("gives the formatting pane one switch per panel, in the layout's order, read from the saved objects", () => {
        const card = new ShadowItSettingsModel().panels;
        assert.deepEqual(card.slices.map(slice => slice.name), PANEL_IDS.map(id => registered.find(p => p.id === id)!.toggle.property));
        const off = registered[registered.length - 1];
        const dataView = { metadata: { columns: [], objects: { panels: { [off.toggle.property]: false } } } } as unknown as powerbi.DataView;
        const model = new FormattingSettingsService().populateFormattingSettingsModel(ShadowItSettingsModel, dataView);
        const palette = { isHighContrast: false, foreground: { value: "#000" }, background: { value: "#fff" }, getColor: () => ({ value: "#123456" }) };
        const shown = toDashboardSettings(model, palette).panels;
        assert.deepEqual(Object.keys(shown).sort(), [...PANEL_IDS].sort());
        for (const id of PANEL_IDS) assert.equal(shown[id], id !== off.id, id);
    });

    it("builds every panel's part of the model, and lays every panel out when there is room", () => {
        const rows = generateRows(60, 3);
        const model = updateModel(undefined, buildDataView(rows, { roles: [...ALL_ROLES, ...TIME_AND_PEOPLE] }), settingsWith(), LABELS, { isAppend: false }).model;
        for (const id of PANEL_IDS) assert.equal(model.panels[id].status, "ready", id);
        const layout = computeLayout({ width: 1600, height: 4000, fontSize: 11, panels: PANEL_IDS, kpiTiles: 5, reservedTop: 0 });
        assert.deepEqual([...layout.boxes.keys()].sort(), [...PANEL_IDS].sort());
        assert.deepEqual(layout.hidden, []);
    });
});
