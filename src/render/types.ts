import powerbi from "powerbi-visuals-api";
import { DashboardSettings, PanelId, SelectionRef } from "../model/types";
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
}

/** Colours resolved for this render: theme/settings colours, or the high-contrast palette's three colours. */
export interface ResolvedColors {
    readonly highContrast: boolean;
    readonly foreground: string;
    readonly background: string;
    readonly foregroundSelected: string;
    readonly sanctioned: string;
    readonly unsanctioned: string;
    readonly otherTag: string;
    readonly uploaded: string;
    readonly downloaded: string;
    readonly high: string;
    readonly medium: string;
    readonly low: string;
    readonly unscored: string;
}

export interface RenderContext {
    readonly settings: DashboardSettings;
    readonly strings: Strings;
    readonly format: Formatter;
    readonly colors: ResolvedColors;
    readonly fontSize: number;
}

/** Pixel box of a panel inside the visual's root. */
export interface Box {
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
}
