import type { CsvTable } from "../export/csv";
import type { DashboardModel } from "../model/types";
import { renderCategoryTraffic } from "../render/category-traffic";
import { renderKpis } from "../render/kpis";
import { renderRiskBands } from "../render/risk-bands";
import { renderStreamBytes } from "../render/stream-bytes";
import { renderTopApps, topAppsTable } from "../render/top-apps";
import type { Box, Mark, RenderContext } from "../render/types";
import { aiAppsTable, renderAiApps } from "./ai-apps/render";
import { renderFreshness } from "./freshness/render";
import type { PanelDataOf, PanelId } from "./registry";
import { renderTimeline } from "./timeline/render";
import { topUsersTable } from "./top-users/export";
import { renderTopUsers } from "./top-users/render";

/**
 * A panel's render half: how the ready panel draws and, optionally, downloads. Its model half (definition.ts) is
 * what the model loads; this half is what only the renderer and the visual load (docs/architecture.md, "Layers").
 */
export interface PanelRenderer<Data = unknown> {
    /** Draws the ready panel into its body and returns its marks (keys `${id}:${item}`). */
    render(body: HTMLDivElement, data: Data, box: Box, ctx: RenderContext, model: DashboardModel): Mark[];
    /**
     * Optional: the panel's rows as a table to download (export/csv.ts), in the order and with the texts the panel
     * shows. A panel that declares it gets a "Download CSV" button; one that does not, none. Pure, like `build`.
     */
    exportTable?(data: Data, ctx: RenderContext): CsvTable;
}

/** Every registered panel's render half, by id: a panel listed in registry.ts without one here does not compile. */
export const PANEL_RENDERERS: { readonly [K in PanelId]: PanelRenderer<PanelDataOf<K>> } = {
    "kpis": { render: (body, data, box, ctx) => renderKpis(body, data, box, ctx) },
    "category-traffic": { render: (body, data, box, ctx) => renderCategoryTraffic(body, data, box, ctx) },
    "risk-bands": { render: (body, data, box, ctx) => renderRiskBands(body, data, box, ctx) },
    "stream-bytes": { render: (body, data, box, ctx, model) => renderStreamBytes(body, data, model.globalViewStream, box, ctx) },
    "top-apps": {
        render: (body, data, box, ctx) => renderTopApps(body, data, box, ctx),
        exportTable: (data, ctx) => topAppsTable(data, ctx),
    },
    "freshness": { render: (body, data, box, ctx) => renderFreshness(body, data, box, ctx) },
    "timeline": { render: (body, data, box, ctx) => renderTimeline(body, data, box, ctx) },
    "top-users": {
        render: (body, data, box, ctx) => renderTopUsers(body, data, box, ctx),
        exportTable: (data, ctx) => topUsersTable(data, ctx),
    },
    "ai-apps": {
        render: (body, data, box, ctx) => renderAiApps(body, data, box, ctx),
        exportTable: (data, ctx) => aiAppsTable(data, ctx),
    },
};

/** The render half of a registered panel. */
export function panelRenderer(id: PanelId): PanelRenderer {
    return PANEL_RENDERERS[id] as PanelRenderer;
}
