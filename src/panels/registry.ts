import { aiAppsPanel } from "./ai-apps";
import { categoryTrafficPanel } from "./category-traffic";
import { PanelDefinition } from "./definition";
import { freshnessPanel } from "./freshness";
import { timelinePanel } from "./timeline";
import { topUsersPanel } from "./top-users";
import { kpisPanel } from "./kpis";
import { riskBandsPanel } from "./risk-bands";
import { streamBytesPanel } from "./stream-bytes";
import { topAppsPanel } from "./top-apps";

/*
 * Every panel of the dashboard, by its model half: the model builds each one's part through this list, so nothing
 * here loads the renderer. To add one: write its module in this folder (definition.ts says what it declares), list
 * it here, add its render half to renderers.ts (it does not compile without), add its switch to capabilities.json
 * objects.panels and its strings to the four locales' resources.resjson; test/model/panel-registry.test.ts fails
 * until all of it is there. Its entry in capabilities.json objects.panelMode (panel mode) is checked by
 * test/model/panel-mode.test.ts.
 */
export const PANELS = [
    kpisPanel, categoryTrafficPanel, riskBandsPanel, streamBytesPanel, topAppsPanel, freshnessPanel, timelinePanel,
    topUsersPanel, aiAppsPanel,
] as const;

type RegisteredPanel = (typeof PANELS)[number];

export type PanelId = RegisteredPanel["id"];

/** The data a panel's `build` returns, by panel id. */
export type PanelDataOf<K extends PanelId> = Extract<RegisteredPanel, { readonly id: K }> extends PanelDefinition<K, infer Data> ? Data : never;

/** The registered panels, most important first (the layout's order). */
export const PANELS_BY_PRIORITY: readonly PanelDefinition<PanelId>[] = [...PANELS].sort((a, b) => a.priority - b.priority);

export const PANEL_IDS: readonly PanelId[] = PANELS_BY_PRIORITY.map(panel => panel.id);

const BY_ID = new Map<string, PanelDefinition<PanelId>>(PANELS.map(panel => [panel.id, panel as PanelDefinition<PanelId>]));

export function panelDefinition(id: PanelId): PanelDefinition<PanelId> {
    const panel = BY_ID.get(id);
    if (panel === undefined) throw new Error(`No panel is registered as "${id}".`);
    return panel;
}
