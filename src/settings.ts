import powerbi from "powerbi-visuals-api";
import { formattingSettings } from "powerbi-visuals-utils-formattingmodel";
import { DEFAULT_RISK_THRESHOLDS } from "./schema";
import {
    FONT_SIZE_DEFAULT, FONT_SIZE_MAX, FONT_SIZE_MIN, HIGH_MAX_LIMIT, MEDIUM_MAX_LIMIT, normalizeFontSize,
    normalizeRowCap, normalizeStaleAfterDays, normalizeThresholds, normalizeTopN, STALE_AFTER_DAYS_DEFAULT,
    STALE_AFTER_DAYS_MAX, STALE_AFTER_DAYS_MIN, TOP_N_DEFAULT, TOP_N_MAX, TOP_N_MIN,
} from "./model/limits";
import { DashboardSettings, PanelId, POWER_BI_ROW_CEILING } from "./model/types";
import { PANEL_IDS, PANELS_BY_PRIORITY } from "./panels/registry";
import {
    DAILY_UPLOAD_MB_DEFAULT, DAILY_UPLOAD_MB_MAX, DAILY_UPLOAD_MB_MIN, MEDIAN_FACTOR_MAX, normalizeDailyUploadMb, normalizeMedianFactor,
} from "./panels/top-users/model";
import { AI_CATEGORIES_TEXT_DEFAULT, parseAiCategories } from "./panels/ai-apps/categories";

// Card and slice names equal the object and property names in capabilities.json.

// Literal values of the const enum powerbi.visuals.ValidatorType, so that this module also runs untranspiled by tsc.
const MIN = 0 as powerbi.visuals.ValidatorType.Min;
const MAX = 1 as powerbi.visuals.ValidatorType.Max;

/*
 * Every slice has a description, shown by the formatting pane: the English text here, localized through
 * `<displayNameKey>_Description` (the same keys and texts as the descriptions in capabilities.json).
 */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
    Format_HighMax: "Highest AppScore that counts as high risk (default 3).",
    Format_MediumMax: "Highest AppScore that counts as medium risk (default 7); higher scores are low risk.",
    Format_TopN: "Number of categories shown before the rest is grouped as Other (1 to 50).",
    Format_TopAppsN: "Number of apps listed in the top apps table (1 to 50).",
    Format_ByteUnits: "SI units (1 kB = 1000 B) or binary units (1 KiB = 1024 B).",
    Format_FontSize: "Text size in points (8 to 24).",
    Format_FreshnessReference: "Count the days since each stream's last data from the latest day in the data, or from today.",
    Format_StaleAfterDays: "A stream without data for this many days or more is shown as stale (1 to 365).",
    Format_TimelineSplit: "Split each day's traffic into upload and download, by risk band, or by sanctioned state.",
    Format_TopUsersN: "Number of users (or IP addresses) listed by upload (1 to 50).",
    Format_DailyUploadMb: "Flag a user whose upload to high-risk or unsanctioned apps exceeds this many megabytes on a day (default 500).",
    Format_MedianFactor: "Also flag a user whose upload is at least this many times the median user's (0, the default, leaves it off; up to 1000).",
    Format_AiCategories: "App categories that count as AI, separated by commas (default: Generative AI, AI model provider, MCP server); compared without case.",
    Format_AiAppsN: "Number of AI apps listed by traffic (1 to 50).",
    Format_PanelModePanel: "The whole dashboard, or one panel filling the visual. Bind only the fields that panel needs: Power BI then queries at that panel's grain, with exact distinct counts and far fewer rows.",
    Format_RowCap: "Most rows to load: 0 loads up to the Power BI limit of 1,048,576 rows; otherwise 30,000 to 1,048,576.",
    Format_Sanctioned: "Traffic of apps tagged sanctioned.",
    Format_Unsanctioned: "Traffic of apps tagged unsanctioned.",
    Format_OtherTag: "Traffic of apps with no or other tags.",
    Format_Uploaded: "Uploaded bytes.",
    Format_Downloaded: "Downloaded bytes.",
    Format_High: "High risk band.",
    Format_Medium: "Medium risk band.",
    Format_Low: "Low risk band.",
    Format_Unscored: "Apps without a valid risk score.",
    // The Panels card's switches: each panel declares its own (src/panels/).
    ...Object.fromEntries(PANELS_BY_PRIORITY.map(panel => [panel.toggle.displayNameKey, panel.toggle.description])),
};

/** The description and its localization key of the slice named by `key`. */
function described(key: string): { description: string; descriptionKey: string } {
    return { description: DESCRIPTIONS[key] ?? "", descriptionKey: `${key}_Description` };
}

function integerInput(name: string, key: string, displayName: string, value: number, min: number, max: number): formattingSettings.NumUpDown {
    return new formattingSettings.NumUpDown({
        name,
        displayName,
        displayNameKey: key,
        ...described(key),
        value,
        options: { minValue: { type: MIN, value: min }, maxValue: { type: MAX, value: max } },
    });
}

type DropdownItems = ConstructorParameters<typeof formattingSettings.ItemDropdown>[0]["items"];

/** A dropdown of `items`, the first chosen until the user picks another. */
function dropdown(name: string, key: string, displayName: string, items: DropdownItems): formattingSettings.ItemDropdown {
    return new formattingSettings.ItemDropdown({ name, displayName, displayNameKey: key, ...described(key), items, value: items[0] });
}

class RiskBandsCard extends formattingSettings.SimpleCard {
    name = "riskBands";
    displayName = "Risk bands";
    displayNameKey = "Format_RiskBands";
    highMax = integerInput("highMax", "Format_HighMax", "High risk up to score", DEFAULT_RISK_THRESHOLDS.highMax, 0, HIGH_MAX_LIMIT);
    mediumMax = integerInput("mediumMax", "Format_MediumMax", "Medium risk up to score", DEFAULT_RISK_THRESHOLDS.mediumMax, 1, MEDIUM_MAX_LIMIT);
    slices = [this.highMax, this.mediumMax];
}

class CategoryTrafficCard extends formattingSettings.SimpleCard {
    name = "categoryTraffic";
    displayName = "Category traffic";
    displayNameKey = "Format_CategoryTraffic";
    topN = integerInput("topN", "Format_TopN", "Top categories", TOP_N_DEFAULT, TOP_N_MIN, TOP_N_MAX);
    slices = [this.topN];
}

class TopAppsCard extends formattingSettings.SimpleCard {
    name = "topApps";
    displayName = "Top apps";
    displayNameKey = "Format_TopApps";
    topN = integerInput("topN", "Format_TopAppsN", "Apps shown", TOP_N_DEFAULT, TOP_N_MIN, TOP_N_MAX);
    slices = [this.topN];
}

const FRESHNESS_REFERENCE_ITEMS = [
    { value: "data", displayNameKey: "Format_FreshnessReference_Data" },
    { value: "today", displayNameKey: "Format_FreshnessReference_Today" },
];

class FreshnessCard extends formattingSettings.SimpleCard {
    name = "freshness";
    displayName = "Data freshness";
    displayNameKey = "Format_Freshness";
    reference = dropdown("reference", "Format_FreshnessReference", "Days since", FRESHNESS_REFERENCE_ITEMS);
    staleAfterDays = integerInput(
        "staleAfterDays", "Format_StaleAfterDays", "Stale after days", STALE_AFTER_DAYS_DEFAULT, STALE_AFTER_DAYS_MIN, STALE_AFTER_DAYS_MAX);
    slices = [this.reference, this.staleAfterDays];
}

class TopUsersCard extends formattingSettings.SimpleCard {
    name = "topUsers";
    displayName = "Top users";
    displayNameKey = "Format_TopUsers";
    topN = integerInput("topN", "Format_TopUsersN", "Users shown", TOP_N_DEFAULT, TOP_N_MIN, TOP_N_MAX);
    dailyUploadMb = integerInput("dailyUploadMb", "Format_DailyUploadMb", "Daily upload flag (MB)",
        DAILY_UPLOAD_MB_DEFAULT, DAILY_UPLOAD_MB_MIN, DAILY_UPLOAD_MB_MAX);
    medianFactor = integerInput("medianFactor", "Format_MedianFactor", "Flag above the median (×)", 0, 0, MEDIAN_FACTOR_MAX);
    slices = [this.topN, this.dailyUploadMb, this.medianFactor];
}

class AiAppsCard extends formattingSettings.SimpleCard {
    name = "aiApps";
    displayName = "AI apps";
    displayNameKey = "Format_AiApps";
    categories = new formattingSettings.TextInput({
        name: "categories",
        displayName: "AI categories",
        displayNameKey: "Format_AiCategories",
        ...described("Format_AiCategories"),
        placeholder: AI_CATEGORIES_TEXT_DEFAULT,
        value: AI_CATEGORIES_TEXT_DEFAULT,
    });
    topN = integerInput("topN", "Format_AiAppsN", "AI apps shown", TOP_N_DEFAULT, TOP_N_MIN, TOP_N_MAX);
    slices = [this.categories, this.topN];
}

const TIMELINE_SPLIT_ITEMS = [
    { value: "direction", displayNameKey: "Format_TimelineSplit_Direction" },
    { value: "riskBand", displayNameKey: "Format_TimelineSplit_RiskBand" },
    { value: "tagClass", displayNameKey: "Format_TimelineSplit_TagClass" },
];

class TimelineCard extends formattingSettings.SimpleCard {
    name = "timeline";
    displayName = "Traffic per day";
    displayNameKey = "Format_Timeline";
    split = dropdown("split", "Format_TimelineSplit", "Split by", TIMELINE_SPLIT_ITEMS);
    slices = [this.split];
}

const BYTE_UNIT_ITEMS = [
    { value: "si", displayNameKey: "Format_ByteUnits_Si" },
    { value: "binary", displayNameKey: "Format_ByteUnits_Binary" },
];

class FormatCard extends formattingSettings.SimpleCard {
    name = "format";
    displayName = "Format";
    displayNameKey = "Format_Format";
    byteUnits = dropdown("byteUnits", "Format_ByteUnits", "Byte units", BYTE_UNIT_ITEMS);
    fontSize = integerInput("fontSize", "Format_FontSize", "Text size", FONT_SIZE_DEFAULT, FONT_SIZE_MIN, FONT_SIZE_MAX);
    rowCap = integerInput("rowCap", "Format_RowCap", "Row limit", 0, 0, POWER_BI_ROW_CEILING);
    slices = [this.byteUnits, this.fontSize, this.rowCap];
}

/** The value of panel mode that draws the whole dashboard (the default); any other value is a panel id. */
export const WHOLE_DASHBOARD = "dashboard";

/**
 * The whole dashboard, then one item per registered panel in the layout's order, named by the panel's title: a new
 * panel appears here by itself (capabilities.json lists the same values; test/model/panel-mode.test.ts checks it).
 */
export const PANEL_MODE_ITEMS: readonly { value: string; displayNameKey: string }[] = [
    { value: WHOLE_DASHBOARD, displayNameKey: "Format_PanelMode_Dashboard" },
    ...PANELS_BY_PRIORITY.map(panel => ({ value: panel.id, displayNameKey: panel.titleKey })),
];

class PanelModeCard extends formattingSettings.SimpleCard {
    name = "panelMode";
    displayName = "Panel mode";
    displayNameKey = "Format_PanelMode";
    panel = new formattingSettings.ItemDropdown({
        name: "panel",
        displayName: "Show",
        displayNameKey: "Format_PanelModePanel",
        ...described("Format_PanelModePanel"),
        items: [...PANEL_MODE_ITEMS],
        value: PANEL_MODE_ITEMS[0],
    });
    slices = [this.panel];
}

/**
 * The panel that panel mode draws, or null for the whole dashboard. A saved value that names no registered panel
 * (a panel since removed, a hand-edited report) falls back to the whole dashboard.
 */
export function panelModeOf(value: unknown): PanelId | null {
    return typeof value === "string" && value !== WHOLE_DASHBOARD && PANEL_IDS.includes(value as PanelId) ? value as PanelId : null;
}

export type ColorName = keyof DashboardSettings["colors"];

export const COLOR_NAMES: readonly ColorName[] = [
    "sanctioned", "unsanctioned", "otherTag", "uploaded", "downloaded", "high", "medium", "low", "unscored",
];

const COLOR_KEYS: Readonly<Record<ColorName, string>> = {
    sanctioned: "Format_Sanctioned",
    unsanctioned: "Format_Unsanctioned",
    otherTag: "Format_OtherTag",
    uploaded: "Format_Uploaded",
    downloaded: "Format_Downloaded",
    high: "Format_High",
    medium: "Format_Medium",
    low: "Format_Low",
    unscored: "Format_Unscored",
};

const COLOR_NAMES_EN: Readonly<Record<ColorName, string>> = {
    sanctioned: "Sanctioned",
    unsanctioned: "Unsanctioned",
    otherTag: "Other tags",
    uploaded: "Uploaded",
    downloaded: "Downloaded",
    high: "High risk",
    medium: "Medium risk",
    low: "Low risk",
    unscored: "Unscored",
};

class ColorsCard extends formattingSettings.SimpleCard {
    name = "colors";
    displayName = "Colors";
    displayNameKey = "Format_Colors";
    // An empty value means "not set by the user": the theme palette decides (see toDashboardSettings).
    pickers: Record<ColorName, formattingSettings.ColorPicker> = Object.fromEntries(COLOR_NAMES.map(name => [
        name,
        new formattingSettings.ColorPicker({
            name, displayName: COLOR_NAMES_EN[name], displayNameKey: COLOR_KEYS[name], ...described(COLOR_KEYS[name]), value: { value: "" },
        }),
    ])) as Record<ColorName, formattingSettings.ColorPicker>;
    slices = COLOR_NAMES.map(name => this.pickers[name]);
}

function toggle(name: string, key: string, displayName: string): formattingSettings.ToggleSwitch {
    return new formattingSettings.ToggleSwitch({ name, displayName, displayNameKey: key, ...described(key), value: true });
}

/** One switch per registered panel, in the layout's order, as each panel declares it. */
class PanelsCard extends formattingSettings.SimpleCard {
    name = "panels";
    displayName = "Panels";
    displayNameKey = "Format_Panels";
    toggles: Readonly<Record<PanelId, formattingSettings.ToggleSwitch>> = Object.fromEntries(PANELS_BY_PRIORITY.map(panel => [
        panel.id, toggle(panel.toggle.property, panel.toggle.displayNameKey, panel.toggle.displayName),
    ])) as Record<PanelId, formattingSettings.ToggleSwitch>;
    slices = PANELS_BY_PRIORITY.map(panel => this.toggles[panel.id]);
}

export class ShadowItSettingsModel extends formattingSettings.Model {
    riskBands = new RiskBandsCard();
    categoryTraffic = new CategoryTrafficCard();
    topApps = new TopAppsCard();
    format = new FormatCard();
    colors = new ColorsCard();
    panels = new PanelsCard();
    freshness = new FreshnessCard();
    timeline = new TimelineCard();
    topUsers = new TopUsersCard();
    aiApps = new AiAppsCard();
    panelMode = new PanelModeCard();
    cards = [
        this.riskBands, this.categoryTraffic, this.topApps, this.freshness, this.timeline, this.topUsers, this.aiApps, this.format, this.colors,
        this.panels, this.panelMode,
    ];
}

/** What toDashboardSettings needs of the host palette; ISandboxExtendedColorPalette fits it. */
export interface ThemePalette {
    readonly isHighContrast: boolean;
    readonly foreground: { readonly value: string };
    readonly background: { readonly value: string };
    readonly foregroundSelected?: { readonly value: string };
    getColor(key: string): { readonly value: string };
}

/** Palette keys: stable, so the theme hands out the same colour to the same meaning on every update. */
export const PALETTE_KEYS: Readonly<Record<ColorName, string>> = {
    sanctioned: "shadowit.sanctioned",
    unsanctioned: "shadowit.unsanctioned",
    otherTag: "shadowit.otherTag",
    uploaded: "shadowit.uploaded",
    downloaded: "shadowit.downloaded",
    high: "shadowit.high",
    medium: "shadowit.medium",
    low: "shadowit.low",
    unscored: "shadowit.unscored",
};

/**
 * Colours that carry a meaning (risk, sanctioned state) default to that meaning, not to the theme's next colour:
 * a theme may hand out red for "low risk". Upload and download have no such meaning and follow the theme.
 */
export const SEMANTIC_COLORS: Readonly<Partial<Record<ColorName, string>>> = {
    high: "#C4314B",
    medium: "#E8A33D",
    low: "#3B8E5A",
    unscored: "#8A8886",
    sanctioned: "#3B8E5A",
    unsanctioned: "#C4314B",
    otherTag: "#7F9CB8",
};

function defaultColor(palette: ThemePalette, name: ColorName): string {
    return SEMANTIC_COLORS[name] ?? palette.getColor(PALETTE_KEYS[name]).value;
}

function colorOf(model: ShadowItSettingsModel, palette: ThemePalette, name: ColorName): string {
    if (palette.isHighContrast) return palette.foreground.value;
    const chosen = model.colors.pickers[name].value?.value;
    return typeof chosen === "string" && chosen.trim() !== "" ? chosen : defaultColor(palette, name);
}

/**
 * The formatting pane's values as the model and renderers read them, with every value corrected into range.
 * In high contrast every colour is the palette foreground: renderers tell marks apart by pattern and outline.
 * `today` is the current day (model/days.ts) from the host's clock; tests pass a fixed one or none.
 */
export function toDashboardSettings(model: ShadowItSettingsModel, palette: ThemePalette, today: number | null = null): DashboardSettings {
    const byteUnits = model.format.byteUnits.value?.value === "binary" ? "binary" : "si";
    const colors = Object.fromEntries(COLOR_NAMES.map(name => [name, colorOf(model, palette, name)])) as Record<ColorName, string>;
    const panelMode = panelModeOf(model.panelMode.panel.value?.value);
    return {
        thresholds: normalizeThresholds({ highMax: model.riskBands.highMax.value, mediumMax: model.riskBands.mediumMax.value }),
        topN: normalizeTopN(model.categoryTraffic.topN.value),
        topAppsN: normalizeTopN(model.topApps.topN.value),
        byteUnits,
        rowCap: normalizeRowCap(model.format.rowCap.value),
        fontSize: normalizeFontSize(model.format.fontSize.value),
        panels: Object.fromEntries(PANELS_BY_PRIORITY.map(panel => [
            panel.id, panelMode === null ? model.panels.toggles[panel.id].value !== false : panel.id === panelMode,
        ])) as Record<PanelId, boolean>,
        panelMode,
        today,
        freshness: {
            reference: model.freshness.reference.value?.value === "today" ? "today" : "data",
            staleAfterDays: normalizeStaleAfterDays(model.freshness.staleAfterDays.value),
        },
        timeline: { split: timelineSplitOf(model.timeline.split.value?.value) },
        topUsers: {
            count: normalizeTopN(model.topUsers.topN.value),
            dailyUploadMb: normalizeDailyUploadMb(model.topUsers.dailyUploadMb.value),
            medianFactor: normalizeMedianFactor(model.topUsers.medianFactor.value),
        },
        aiApps: {
            categories: parseAiCategories(model.aiApps.categories.value),
            count: normalizeTopN(model.aiApps.topN.value),
        },
        colors,
    };
}

function timelineSplitOf(value: unknown): DashboardSettings["timeline"]["split"] {
    return value === "riskBand" || value === "tagClass" ? value : "direction";
}

/**
 * Prepares the settings model for the formatting pane: colours the user has not set show their default,
 * in high contrast the colour card is hidden because the host's colours apply, and in panel mode the Panels card's
 * switches are hidden because the chosen panel is drawn alone.
 */
export function applyPaletteDefaults(model: ShadowItSettingsModel, palette: ThemePalette): void {
    model.colors.visible = !palette.isHighContrast;
    model.panels.visible = panelModeOf(model.panelMode.panel.value?.value) === null;
    for (const name of COLOR_NAMES) {
        const picker = model.colors.pickers[name];
        const chosen = picker.value?.value;
        if (typeof chosen !== "string" || chosen.trim() === "") {
            picker.value = { value: defaultColor(palette, name) };
        }
    }
}
