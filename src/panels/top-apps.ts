import { normalizeThresholds, normalizeTopN } from "../model/limits";
import { topApps } from "../model/snapshot";
import { definePanel } from "./definition";
import { missingFields } from "./needs";

/** The apps with the most traffic, as a table; category, score, tags, users and blocked events when bound. */
export const topAppsPanel = definePanel({
    id: "top-apps",
    titleKey: "Visual_Panel_TopApps",
    priority: 50,
    placement: "full-row",
    toggle: {
        property: "topApps", displayNameKey: "Format_ShowTopApps", displayName: "Top apps",
        description: "Show the table of the apps with the most traffic.",
    },
    shownWhenBound: [],
    landingKey: "Visual_Landing_TopApps",
    missing: bound => missingFields(bound, ["AppName"], true),
    build: ({ scope, settings, labels }) => topApps(
        scope, normalizeTopN(settings.topAppsN), normalizeThresholds(settings.thresholds), labels, settings.today),
    isEmpty: data => data.apps.length === 0,
});
