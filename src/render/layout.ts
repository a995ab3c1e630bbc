import { PanelId } from "../model/types";
import { Box } from "./types";

/** Most important first: when the viewport is too small, panels are dropped from the end of this list. */
export const PANEL_PRIORITY: readonly PanelId[] = ["kpis", "category-traffic", "risk-bands", "stream-bytes", "top-apps"];

/** Panels that take a row of their own across the full width (a table needs the width for its columns). */
const FULL_WIDTH: readonly PanelId[] = ["top-apps"];

export interface LayoutInput {
    readonly width: number;
    readonly height: number;
    readonly fontSize: number;
    /** Enabled panels (formatting pane), in any order. */
    readonly panels: readonly PanelId[];
    /** Number of KPI tiles to place. */
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

    if (ordered.includes("kpis")) {
        const perRow = Math.max(1, Math.min(input.kpiTiles, Math.floor((width + GAP) / (KPI_TILE_MIN_WIDTH + GAP))));
        const rows = Math.max(1, Math.ceil(input.kpiTiles / perRow));
        const kpiHeight = rows * kpiTileHeight(input.fontSize) + (rows - 1) * GAP + Math.round(input.fontSize * 2.2);
        if (kpiHeight <= available || ordered.length === 1) {
            boxes.set("kpis", { x: 0, y: top, width, height: Math.min(kpiHeight, available) });
            top += kpiHeight + GAP;
            available -= kpiHeight + GAP;
        } else {
            hidden.push("kpis");
        }
    }

    let charts = ordered.filter(p => p !== "kpis");
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
