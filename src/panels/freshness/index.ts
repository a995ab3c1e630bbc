import { definePanel } from "../definition";
import { missingFields } from "../needs";
import { freshnessOf } from "./model";

/** Per stream, the last day with data and the days since: a broken feed shows as a long, stale bar. */
export const freshnessPanel = definePanel({
    id: "freshness",
    titleKey: "Visual_Panel_Freshness",
    priority: 60,
    placement: "grid",
    toggle: {
        property: "freshness", displayNameKey: "Format_ShowFreshness", displayName: "Data freshness",
        description: "Show the last day with data of each stream.",
    },
    shownWhenBound: ["TimeGenerated"],
    landingKey: "Visual_Landing_Freshness",
    missing: bound => missingFields(bound, ["StreamName", "TimeGenerated"], false),
    build: ({ aggregates, settings, labels }) => freshnessOf(aggregates, settings, labels),
    isEmpty: data => data.streams.length === 0,
});
