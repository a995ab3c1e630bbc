import { categoryBars } from "../model/snapshot";
import { normalizeTopN } from "../model/limits";
import { definePanel } from "./definition";
import { missingFields } from "./needs";

/** Traffic per app category, the top N and the rest as Other, split by sanctioned state. */
export const categoryTrafficPanel = definePanel({
    id: "category-traffic",
    titleKey: "Visual_Panel_CategoryTraffic",
    priority: 20,
    placement: "grid",
    toggle: {
        property: "categoryTraffic", displayNameKey: "Format_ShowCategoryTraffic", displayName: "Traffic by category",
        description: "Show traffic by app category.",
    },
    shownWhenBound: [],
    landingKey: "Visual_Landing_Category",
    missing: bound => missingFields(bound, ["AppCategory"], true),
    build: ({ scope, settings, labels }) => categoryBars(scope, normalizeTopN(settings.topN), labels),
    isEmpty: data => data.length === 0,
});
