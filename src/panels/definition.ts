import type { Aggregates } from "../model/aggregates";
import type { DisplayLabels } from "../model/snapshot";
import type { DashboardSettings, RoleName } from "../model/types";
// A title is a key of the renderer's strings: a type alone, erased from the JavaScript (docs/architecture.md, "Layers").
import type { StringKey } from "../render/strings";

/**
 * Where the layout puts a panel: the strip across the top (the key figures' tiles), a cell of the chart grid, or a
 * row of its own across the full width (a table needs the width for its columns).
 */
export type PanelPlacement = "strip" | "grid" | "full-row";

/** The panel's on/off switch in the formatting pane's Panels card (capabilities.json objects.panels.properties). */
export interface PanelToggle {
    /** Property name in capabilities.json objects.panels and in the report's saved objects. */
    readonly property: string;
    /** Localization key of the switch's name; `${displayNameKey}_Description` is that of its description. */
    readonly displayNameKey: string;
    /** English name and description: the fallback when the host has no translation, as in capabilities.json. */
    readonly displayName: string;
    readonly description: string;
}

/** What a panel's model part is built from: the folded rows, never the rows themselves. */
export interface PanelBuildInput {
    /** Every folded row, the Global view's apart (see global-view.ts). */
    readonly aggregates: Aggregates;
    /** The rows the totals come from: the Global view's alone when it is beside other streams, else all. */
    readonly scope: Aggregates;
    readonly settings: DashboardSettings;
    readonly labels: DisplayLabels;
}

/**
 * One panel of the dashboard, its model half, declared in one module of src/panels/: what it is, where it goes, what
 * it needs and how it builds its part of the model. How it draws is its render half, in renderers.ts. The panel list,
 * the order of the layout, the titles, the fields each panel asks for and the Panels card's switches all derive from
 * the definitions in registry.ts; test/model/panel-registry.test.ts checks each definition against capabilities.json
 * and the four locales' resources, and that renderers.ts draws each one.
 */
export interface PanelDefinition<Id extends string = string, Data = unknown> {
    /** The section's data-panel attribute and the prefix of its marks' keys. */
    readonly id: Id;
    /** Localization key of the panel's title (also the section's aria-label). */
    readonly titleKey: StringKey;
    /** Lower is more important: when the viewport is too small, panels are dropped from the highest number down. */
    readonly priority: number;
    readonly placement: PanelPlacement;
    readonly toggle: PanelToggle;
    /**
     * Fields a report may well not have (time, people): the panel takes room on the dashboard only once one of them
     * is bound, and from then on names what else it misses like every panel. Before that the landing page and the
     * Panels card's switch say what it needs. Empty: the panel is always laid out.
     */
    readonly shownWhenBound: readonly RoleName[];
    /** Localization key of the landing page's line saying which fields draw this panel. */
    readonly landingKey: StringKey;
    /**
     * The fields to add before the panel can be drawn, in a fixed order; empty when it can be drawn. When one of
     * several fields would do, it names the single field that always completes the panel. With nothing bound every
     * panel names at least one field.
     */
    missing(bound: ReadonlySet<RoleName>): RoleName[];
    /** The panel's part of the model; called only when `missing` is empty. Pure: reads no DOM and no host. */
    build(input: PanelBuildInput): Data;
    /** True when the filters left nothing to draw ("No data to show"). */
    isEmpty(data: Data): boolean;
}

/** Declares a panel with its id and data types inferred from the definition. */
export function definePanel<const Id extends string, Data>(definition: PanelDefinition<Id, Data>): PanelDefinition<Id, Data> {
    return definition;
}
