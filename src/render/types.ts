import powerbi from "powerbi-visuals-api";
import { DashboardSettings, PanelId, SelectionRef } from "../model/types";
import type { DownloadAvailability } from "./export-button";
import { Formatter } from "./format";
import { Strings } from "./strings";
import VisualTooltipDataItem = powerbi.extensibility.VisualTooltipDataItem;

/** A drawn item that shows values: it can be focused, described, and (when it has a selection) selected. */
export interface Mark {
    /** Unique within the dashboard: `${panel}:${item key}`. */
    readonly key: string;
    readonly panel: PanelId;
    readonly ariaLabel: string;
    readonly selection: SelectionRef | null;
    readonly tooltip: readonly VisualTooltipDataItem[];
    /** A page to open for the item through the host (launch-button.ts); absent for marks without one. */
    readonly launch?: MarkLaunch | null;
}

/** An address the host opens in a new tab, and the accessible name of the button that opens it. */
export interface MarkLaunch {
    readonly url: string;
    readonly label: string;
}

/** The formatting pane's series colours, as the model's settings carry them. */
type SettingsColors = DashboardSettings["colors"];

/**
 * Colours resolved for this render: the settings' series colours (or, in high contrast, the palette's foreground
 * for every series) with the theme's foreground, background and selected-foreground.
 */
export interface ResolvedColors extends SettingsColors {
    readonly highContrast: boolean;
    readonly foreground: string;
    readonly background: string;
    readonly foregroundSelected: string;
}

export interface RenderContext {
    readonly settings: DashboardSettings;
    readonly strings: Strings;
    readonly format: Formatter;
    readonly colors: ResolvedColors;
    readonly fontSize: number;
    /** What the visual made of formatting values it could not take as they are, for the note line. */
    readonly settingsNotes: readonly string[];
    /** Whether the host lets the visual download files (export-button.ts); undefined while unknown or without the API. */
    readonly download?: DownloadAvailability;
}

/** Pixel box of a panel inside the visual's root. */
export interface Box {
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
}
