import { MEASURE_ROLES } from "../model/input";
import { kpisOf } from "../model/snapshot";
import { renderKpis } from "../render/kpis";
import { definePanel } from "./definition";

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
    build: ({ scope, aggregates }) => kpisOf(scope, aggregates),
    isEmpty: () => false,
    render: (body, data, box, ctx) => renderKpis(body, data, box, ctx),
});
