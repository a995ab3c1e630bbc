import { definePanel } from "../definition";
import { topUsersOf } from "./model";

/** The users (or IP addresses) with the most upload, their traffic to risky and unsanctioned apps, and the flag. */
export const topUsersPanel = definePanel({
    id: "top-users",
    titleKey: "Visual_Panel_TopUsers",
    priority: 65,
    placement: "grid",
    toggle: {
        property: "topUsers", displayNameKey: "Format_ShowTopUsers", displayName: "Top users",
        description: "Show the users (or IP addresses) with the most upload.",
    },
    shownWhenBound: ["UserName", "IpAddress"],
    landingKey: "Visual_Landing_TopUsers",
    // UserName or IpAddress (the user is named: it always completes the panel), and the upload.
    missing: bound => [
        ...(bound.has("UserName") || bound.has("IpAddress") ? [] : ["UserName" as const]),
        ...(bound.has("UploadedBytes") ? [] : ["UploadedBytes" as const]),
    ],
    build: ({ scope, settings, labels }) => topUsersOf(scope, settings, labels),
    isEmpty: data => data.people.length === 0,
});
