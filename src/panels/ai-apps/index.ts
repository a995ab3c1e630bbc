import { definePanel } from "../definition";
import { missingFields } from "../needs";
import { aiAppsOf } from "./model";

/** The apps in the AI categories (an option), with their traffic, upload, users and first-seen day. */
export const aiAppsPanel = definePanel({
    id: "ai-apps",
    titleKey: "Visual_Panel_AiApps",
    priority: 70,
    placement: "grid",
    toggle: {
        property: "aiApps", displayNameKey: "Format_ShowAiApps", displayName: "AI apps",
        description: "Show the apps in the AI categories with their users, upload and first-seen day.",
    },
    // The "who and when" lens: it takes room once Time generated (its first-seen day) or User name (its users) is
    // bound, as the other panels about people and time; before that the landing page and the Panels card say what it
    // needs, and the top apps table shows the same apps.
    shownWhenBound: ["TimeGenerated", "UserName"],
    landingKey: "Visual_Landing_AiApps",
    missing: bound => missingFields(bound, ["AppName", "AppCategory"], true),
    build: ({ scope, settings, labels }) => aiAppsOf(scope, settings, labels),
    isEmpty: data => data.apps.length === 0,
});
