import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { FormattingSettingsService } from "powerbi-visuals-utils-formattingmodel";
import type powerbi from "powerbi-visuals-api";
import { LOCALES } from "../fixtures/locales.ts";
import {
    applyPaletteDefaults, COLOR_NAMES, PALETTE_KEYS, SEMANTIC_COLORS, ShadowItSettingsModel, ThemePalette, toDashboardSettings,
} from "../../src/settings.ts";

/** A theme palette that hands out colours in order of first request, as the host's palette does. */
function themePalette(isHighContrast = false): ThemePalette & { requested: string[] } {
    const theme = ["#118DFF", "#12239E", "#E66C37", "#6B007B", "#E044A7", "#744EC2", "#D9B300", "#D64550", "#197278"];
    const requested: string[] = [];
    return {
        isHighContrast,
        foreground: { value: "#FFFF00" },
        background: { value: "#000000" },
        requested,
        getColor(key: string) {
            if (!requested.includes(key)) requested.push(key);
            return { value: theme[requested.indexOf(key) % theme.length] };
        },
    };
}

/** Settings as Power BI delivers them: dataView.metadata.objects keyed by capabilities object and property. */
function populate(objects: powerbi.DataViewObjects): ShadowItSettingsModel {
    const dataView = { metadata: { columns: [], objects } } as powerbi.DataView;
    return new FormattingSettingsService().populateFormattingSettingsModel(ShadowItSettingsModel, dataView);
}

describe("formatting settings", () => {
    it("defaults to 0-3 / 4-7 / 8-10, top 10, SI units, 11 pt, no row cap, all panels, theme colours", () => {
        const palette = themePalette();
        const settings = toDashboardSettings(populate({}), palette);
        assert.deepEqual(settings.thresholds, { highMax: 3, mediumMax: 7 });
        assert.equal(settings.topN, 10);
        assert.equal(settings.byteUnits, "si");
        assert.equal(settings.fontSize, 11);
        assert.equal(settings.rowCap, 0);
        assert.deepEqual(settings.panels, {
            "kpis": true, "category-traffic": true, "risk-bands": true, "stream-bytes": true, "top-apps": true, "freshness": true, "timeline": true, "top-users": true, "ai-apps": true,
        });
        assert.deepEqual(settings.topUsers, { count: 10, dailyUploadMb: 500, medianFactor: 0 });
        assert.deepEqual(settings.timeline, { split: "direction" });
        assert.deepEqual(settings.freshness, { reference: "data", staleAfterDays: 2 });
        assert.equal(settings.today, null, "today is only known when the caller passes the host's clock");
        assert.equal(settings.topAppsN, 10);
        assert.deepEqual(Object.keys(settings.colors).sort(), [...COLOR_NAMES].sort());
        // Risk and sanctioned state keep their meaning whatever the theme; upload and download follow the theme.
        assert.equal(settings.colors.high, SEMANTIC_COLORS.high);
        assert.equal(settings.colors.low, SEMANTIC_COLORS.low);
        assert.equal(settings.colors.unsanctioned, SEMANTIC_COLORS.unsanctioned);
        assert.equal(settings.colors.sanctioned, SEMANTIC_COLORS.sanctioned);
        assert.notEqual(settings.colors.high, settings.colors.medium);
        assert.notEqual(settings.colors.medium, settings.colors.low);
        assert.notEqual(settings.colors.sanctioned, settings.colors.otherTag);
        assert.equal(settings.colors.uploaded, palette.getColor(PALETTE_KEYS.uploaded).value);
        assert.equal(settings.colors.downloaded, palette.getColor(PALETTE_KEYS.downloaded).value);
        assert.notEqual(settings.colors.uploaded, settings.colors.downloaded);
        // Stable keys: a second call gives the same colours.
        assert.deepEqual(toDashboardSettings(populate({}), palette).colors, settings.colors);
    });

    it("reads the values saved in the report", () => {
        const settings = toDashboardSettings(populate({
            riskBands: { highMax: 2, mediumMax: 6 },
            categoryTraffic: { topN: 25 },
            topApps: { topN: 7 },
            format: { byteUnits: "binary", fontSize: 14, rowCap: 200_000 },
            colors: { unsanctioned: { solid: { color: "#AA0000" } } },
            panels: { streamBytes: false, topApps: false },
        }), themePalette());
        assert.equal(settings.topAppsN, 7, "the top-apps table has its own top N");
        assert.deepEqual(settings.thresholds, { highMax: 2, mediumMax: 6 });
        assert.equal(settings.topN, 25);
        assert.equal(settings.byteUnits, "binary");
        assert.equal(settings.fontSize, 14);
        assert.equal(settings.rowCap, 200_000);
        assert.equal(settings.colors.unsanctioned, "#AA0000");
        assert.equal(settings.panels["stream-bytes"], false);
        assert.equal(settings.panels["top-apps"], false);
        assert.equal(settings.panels.kpis, true);
    });

    it("reads the freshness options and today, and corrects days without data into 1-365", () => {
        const read = (freshness: powerbi.DataViewObject, today: number | null = null) => toDashboardSettings(populate({ freshness }), themePalette(), today);
        assert.deepEqual(read({ reference: "today", staleAfterDays: 7 }, 20514), {
            ...read({}), today: 20514, freshness: { reference: "today", staleAfterDays: 7 },
        });
        assert.equal(read({ staleAfterDays: 0 }).freshness.staleAfterDays, 1);
        assert.equal(read({ staleAfterDays: 1000 }).freshness.staleAfterDays, 365);
        assert.equal(read({ staleAfterDays: Number.NaN }).freshness.staleAfterDays, 2);
        assert.equal(read({ reference: "yesterday" }).freshness.reference, "data");
        const split = (value: unknown) => toDashboardSettings(populate({ timeline: { split: value } as powerbi.DataViewObject }), themePalette()).timeline.split;
        const users = (topUsers: powerbi.DataViewObject) => toDashboardSettings(populate({ topUsers }), themePalette()).topUsers;
        assert.deepEqual(users({ topN: 0, dailyUploadMb: 0, medianFactor: -3 }), { count: 1, dailyUploadMb: 1, medianFactor: 0 });
        assert.deepEqual(users({ topN: 99, dailyUploadMb: 1e9, medianFactor: 5000 }), { count: 50, dailyUploadMb: 1_000_000, medianFactor: 1000 });
        assert.deepEqual(users({ dailyUploadMb: Number.NaN, medianFactor: 4.4 }), { count: 10, dailyUploadMb: 500, medianFactor: 4 });
        assert.deepEqual([split("riskBand"), split("tagClass"), split("direction"), split("weekday"), split(3)], ["riskBand", "tagClass", "direction", "direction", "direction"]);
    });

    it("corrects out-of-range and contradictory values instead of failing", () => {
        const cases: Array<[powerbi.DataViewObjects, Partial<ReturnType<typeof toDashboardSettings>>]> = [
            [{ riskBands: { highMax: 6, mediumMax: 4 } }, { thresholds: { highMax: 6, mediumMax: 7 } }],
            [{ riskBands: { highMax: 12, mediumMax: 15 } }, { thresholds: { highMax: 8, mediumMax: 9 } }],
            [{ riskBands: { highMax: -3, mediumMax: 0 } }, { thresholds: { highMax: 0, mediumMax: 1 } }],
            [{ riskBands: { highMax: 2.6, mediumMax: Number.NaN } }, { thresholds: { highMax: 3, mediumMax: 7 } }],
            [{ categoryTraffic: { topN: 0 } }, { topN: 1 }],
            [{ categoryTraffic: { topN: 500 } }, { topN: 50 }],
            [{ topApps: { topN: 0 } }, { topAppsN: 1, topN: 10 }],
            [{ topApps: { topN: 51.4 } }, { topAppsN: 50 }],
            [{ topApps: { topN: Number.NaN } }, { topAppsN: 10 }],
            [{ format: { fontSize: 3, rowCap: 10 } }, { fontSize: 8, rowCap: 30_000 }],
            [{ format: { fontSize: 99, rowCap: 9_000_000 } }, { fontSize: 24, rowCap: 1_048_576 }],
            [{ format: { rowCap: -5, byteUnits: "parsecs" } }, { rowCap: 0, byteUnits: "si" }],
        ];
        for (const [objects, expected] of cases) {
            const settings = toDashboardSettings(populate(objects), themePalette());
            for (const [key, value] of Object.entries(expected)) {
                assert.deepEqual(settings[key as keyof typeof settings], value, JSON.stringify(objects));
            }
        }
    });

    it("uses the high-contrast foreground for every colour, even colours the user chose", () => {
        const palette = themePalette(true);
        const settings = toDashboardSettings(populate({ colors: { sanctioned: { solid: { color: "#00AA00" } } } }), palette);
        for (const name of COLOR_NAMES) assert.equal(settings.colors[name], "#FFFF00", name);
    });

    it("shows the default colours in the pane and hides the colour card in high contrast", () => {
        const model = populate({ colors: { low: { solid: { color: "#00AA00" } } } });
        const palette = themePalette();
        applyPaletteDefaults(model, palette);
        assert.equal(model.colors.pickers.low.value.value, "#00AA00");
        assert.equal(model.colors.pickers.high.value.value, SEMANTIC_COLORS.high);
        assert.equal(model.colors.pickers.uploaded.value.value, palette.getColor(PALETTE_KEYS.uploaded).value);
        assert.equal(model.colors.visible, true);
        applyPaletteDefaults(model, themePalette(true));
        assert.equal(model.colors.visible, false);
    });

    it("builds a formatting model whose cards and slices are objects and properties of capabilities.json", () => {
        const capabilities = JSON.parse(readFileSync(join(__dirname, "..", "..", "capabilities.json"), "utf8")) as {
            objects: Record<string, { properties: Record<string, { type?: { filter?: boolean } }> }>;
        };
        const model = populate({});
        applyPaletteDefaults(model, themePalette());
        const formattingModel = new FormattingSettingsService().buildFormattingModel(model);
        const declared = new Set<string>();
        for (const card of formattingModel.cards) {
            for (const group of "groups" in card ? card.groups : []) {
                for (const slice of "slices" in group ? group.slices ?? [] : []) {
                    const descriptor = (slice as { control: { properties: { descriptor: { objectName: string; propertyName: string } } } })
                        .control.properties.descriptor;
                    declared.add(`${descriptor.objectName}.${descriptor.propertyName}`);
                }
            }
        }
        // general.filter holds the visual's JSON filter (applyJsonFilter), not a formatting option: no slice shows it.
        const inCapabilities = new Set(Object.entries(capabilities.objects)
            .flatMap(([object, { properties }]) => Object.entries(properties)
                .filter(([, property]) => property.type?.filter !== true)
                .map(([property]) => `${object}.${property}`)));
        assert.deepEqual([...declared].sort(), [...inCapabilities].sort());
    });
});

describe("formatting pane descriptions", () => {
    it("gives every slice a description, localized in en-US, de-DE, fr-FR and ja-JP", () => {
        const root = join(__dirname, "..", "..");
        const resources = LOCALES.map(locale => JSON.parse(
            readFileSync(join(root, "stringResources", locale, "resources.resjson"), "utf8")) as Record<string, string>);
        const model = new ShadowItSettingsModel();
        let slices = 0;
        for (const card of model.cards) {
            for (const slice of (card as { slices?: { name: string; description?: string; descriptionKey?: string }[] }).slices ?? []) {
                slices++;
                assert.ok(slice.description && slice.description.trim() !== "", `${card.name}.${slice.name} has no description`);
                for (const strings of resources) {
                    assert.ok(slice.descriptionKey && strings[slice.descriptionKey]?.trim(), `${card.name}.${slice.name}: ${slice.descriptionKey}`);
                }
            }
        }
        assert.equal(slices, 34);
    });
});
