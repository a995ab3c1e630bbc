import { PanelId } from "../model/types";
import { PANEL_IDS, PANELS_BY_PRIORITY } from "../panels/registry";
import { Box } from "./types";

/** Most important first (each panel's declared priority): when the viewport is too small, panels are dropped from the end. */
export const PANEL_PRIORITY: readonly PanelId[] = PANEL_IDS;

/** The panel drawn as the strip of tiles across the top, if one is registered. */
const STRIP: PanelId | undefined = PANELS_BY_PRIORITY.find(panel => panel.placement === "strip")?.id;

/** Panels that take a row of their own across the full width (a table needs the width for its columns). */
const FULL_WIDTH: readonly PanelId[] = PANELS_BY_PRIORITY.filter(panel => panel.placement === "full-row").map(panel => panel.id);

export interface LayoutInput {
    readonly width: number;
    readonly height: number;
    readonly fontSize: number;
    /** Enabled panels (formatting pane), in any order. */
    readonly panels: readonly PanelId[];
    /** Number of tiles to place in the strip (the key figures). */
    readonly kpiTiles: number;
    /** Height reserved above the grid for notes and hints. */
    readonly reservedTop: number;
}

export interface Layout {
    readonly boxes: ReadonlyMap<PanelId, Box>;
    /** Enabled panels that did not fit. */
    readonly hidden: readonly PanelId[];
}

const GAP = 8;
const MIN_CHART_WIDTH = 220;
const KPI_TILE_MIN_WIDTH = 100;

export function minChartHeight(fontSize: number): number {
    return Math.round(fontSize * 10);
}

export function kpiTileHeight(fontSize: number): number {
    return Math.round(fontSize * 5.6);
}

/**
 * Places the KPI strip across the top and the chart panels in a grid below it. Columns follow the width; when a
 * row of the grid would be shorter than a chart needs, the least important charts are hidden.
 */
export function computeLayout(input: LayoutInput): Layout {
    const width = Math.max(0, input.width);
    const height = Math.max(0, input.height - input.reservedTop);
    const ordered = PANEL_PRIORITY.filter(p => input.panels.includes(p));
    const boxes = new Map<PanelId, Box>();
    const hidden: PanelId[] = [];
    let top = input.reservedTop;
    let available = height;

    if (STRIP !== undefined && ordered.includes(STRIP)) {
        const perRow = Math.max(1, Math.min(input.kpiTiles, Math.floor((width + GAP) / (KPI_TILE_MIN_WIDTH + GAP))));
        const rows = Math.max(1, Math.ceil(input.kpiTiles / perRow));
        const kpiHeight = rows * kpiTileHeight(input.fontSize) + (rows - 1) * GAP + Math.round(input.fontSize * 2.2);
        if (kpiHeight <= available || ordered.length === 1) {
            boxes.set(STRIP, { x: 0, y: top, width, height: Math.min(kpiHeight, available) });
            top += kpiHeight + GAP;
            available -= kpiHeight + GAP;
        } else {
            hidden.push(STRIP);
        }
    }

    let charts = ordered.filter(p => p !== STRIP);
    const minHeight = minChartHeight(input.fontSize);
    while (charts.length > 0) {
        const wide = charts.length > 1 ? charts.filter(p => FULL_WIDTH.includes(p)) : [];
        const grid = charts.filter(p => !wide.includes(p));
        const columns = Math.max(1, Math.min(grid.length, Math.floor((width + GAP) / (MIN_CHART_WIDTH + GAP))));
        const gridRows = Math.ceil(grid.length / columns);
        const rows = gridRows + wide.length;
        const rowHeight = (available - (rows - 1) * GAP) / rows;
        if (rowHeight >= minHeight) {
            const columnWidth = (width - (columns - 1) * GAP) / columns;
            grid.forEach((panel, i) => {
                const row = Math.floor(i / columns);
                const inRow = Math.min(columns, grid.length - row * columns);
                // A short last row stretches across the full width.
                const cellWidth = inRow === columns ? columnWidth : (width - (inRow - 1) * GAP) / inRow;
                const column = i % columns;
                boxes.set(panel, {
                    x: Math.round(column * (cellWidth + GAP)),
                    y: Math.round(top + row * (rowHeight + GAP)),
                    width: Math.floor(cellWidth),
                    height: Math.floor(rowHeight),
                });
            });
            wide.forEach((panel, i) => {
                boxes.set(panel, {
                    x: 0, y: Math.round(top + (gridRows + i) * (rowHeight + GAP)), width: Math.floor(width), height: Math.floor(rowHeight),
                });
            });
            break;
        }
        hidden.push(charts[charts.length - 1]);
        charts = charts.slice(0, -1);
    }
    return { boxes, hidden: PANEL_PRIORITY.filter(p => hidden.includes(p)) };
}

/**
 * Panel mode: the one panel fills the area below the note, whatever its placement (the key figures' tiles too), and
 * is drawn however small the visual is, since the author chose it.
 */
export function singlePanelLayout(panel: PanelId, width: number, height: number, reservedTop: number): Layout {
    const box = { x: 0, y: reservedTop, width: Math.max(0, Math.floor(width)), height: Math.max(0, Math.floor(height - reservedTop)) };
    return { boxes: new Map([[panel, box]]), hidden: [] };
}
