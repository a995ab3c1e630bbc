import { MEASURE_ROLES } from "../model/input";
import { kpisOf } from "../model/snapshot";
import { definePanel } from "./definition";
import { aiAppsPanel } from "./ai-apps";
import { aiAppsOf } from "./ai-apps/model";

/** The headline figures: discovered apps, users, IP addresses, traffic and blocked events, as far as bound. */
export const kpisPanel = definePanel({
    id: "kpis",
    titleKey: "Visual_Panel_Kpis",
    priority: 10,
    placement: "strip",
    toggle: {
        property: "kpis", displayNameKey: "Format_ShowKpis", displayName: "Key figures", description: "Show the key figures.",
    },
    shownWhenBound: [],
    landingKey: "Visual_Landing_Kpis",
    // Any measure, or AppName (discovered apps), gives a tile; nothing bound → add TotalBytes.
    missing: bound => !bound.has("AppName") && !MEASURE_ROLES.some(role => bound.has(role)) ? ["TotalBytes"] : [],
    build: ({ scope, aggregates, settings, labels }) => {
        // The AI apps tile lifts the AI apps panel's apps into the strip, with the same figures, when that panel is laid out.
        let aiApps = null;
        const bound = scope.binding.bound;
        if (aiAppsPanel.shownWhenBound.some(role => bound.has(role)) && aiAppsPanel.missing(bound).length === 0) {
            const ai = aiAppsOf(scope, settings, labels);
            if (ai.count > 0) aiApps = { count: ai.count, users: ai.users, uploaded: ai.uploaded };
        }
        return { ...kpisOf(scope, aggregates), aiApps };
    },
    isEmpty: () => false,
});
