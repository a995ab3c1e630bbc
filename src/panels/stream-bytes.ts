import { streamBars } from "../model/snapshot";
import { definePanel } from "./definition";
import { missingFields } from "./needs";

/**
 * Upload and download per stream. The panel compares the two, so it needs both. Beside other streams the Global
 * view is drawn apart, as their total (DashboardModel.globalViewStream).
 */
export const streamBytesPanel = definePanel({
    id: "stream-bytes",
    titleKey: "Visual_Panel_StreamBytes",
    priority: 40,
    placement: "grid",
    toggle: {
        property: "streamBytes", displayNameKey: "Format_ShowStreamBytes", displayName: "Traffic by stream",
        description: "Show uploaded and downloaded bytes per stream.",
    },
    shownWhenBound: [],
    landingKey: "Visual_Landing_Stream",
    missing: bound => missingFields(bound, ["StreamName", "UploadedBytes", "DownloadedBytes"], false),
    build: ({ aggregates, labels }) => streamBars(aggregates, labels),
    isEmpty: data => data.length === 0,
});
