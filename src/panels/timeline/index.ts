import { definePanel } from "../definition";
import { missingFields } from "../needs";
import { timelineOf } from "./model";

/** Traffic per day, split by upload and download, risk band or sanctioned state; days without data are gaps. */
export const timelinePanel = definePanel({
    id: "timeline",
    titleKey: "Visual_Panel_Timeline",
    priority: 55,
    placement: "grid",
    toggle: {
        property: "timeline", displayNameKey: "Format_ShowTimeline", displayName: "Traffic per day",
        description: "Show the traffic of each day, with the days without data as gaps.",
    },
    shownWhenBound: ["TimeGenerated"],
    landingKey: "Visual_Landing_Timeline",
    missing: bound => missingFields(bound, ["TimeGenerated"], true),
    build: ({ scope, settings }) => timelineOf(scope, settings),
    isEmpty: data => data.days.length === 0,
});
