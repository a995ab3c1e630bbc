// The sample tenant's "Global view" stream: Defender for Cloud Apps' aggregate discovery stream beside the
// per-source ones.
//
// What is copied from the real thing, and from where:
// - Defender for Cloud Apps builds continuous reports per data source ("an automatic log upload from a specific
//   data source (such as your Microsoft Defender for Endpoint devices)", Microsoft/CloudAppSecurityDocs,
//   api-discovery.md) and an aggregate report over all of them, which McasShadowItReporting carries under the
//   StreamName "Global view": Microsoft's Sentinel workbook for this table lists stream names with
//   `McasShadowItReporting | summarize dcount(AppName) by StreamName` and selects "Global view" by default
//   (Azure/Azure-Sentinel, Solutions/Microsoft Defender for Cloud Apps/Workbooks/MicrosoftCloudAppSecurity.json).
// - Its rows repeat the traffic of the per-source streams (issue reports of a tenant whose totals doubled when
//   the Global view was summed with its sources).
// What is decided here, as the documentation does not say how the aggregate rows are cut: one Global view row
// per UTC hour, app, user and IP address, holding the sums of the per-source rows of that hour with the same app,
// user and address (events, blocked events, uploaded, downloaded and total bytes), so that its totals, distinct
// users and distinct addresses equal the per-source streams' exactly, over any range of whole hours. An hour's
// Global view rows are written together right after that hour's last per-source record and carry its
// TimeGenerated, in order of first sight. Hours rather than days keep the rows that share one instant few (a
// day's worth at one instant would be hundreds), as the export splits its query windows by time.
import type { McasRow } from "./mcas.ts";

export const GLOBAL_VIEW_STREAM = "Global view";

const HOUR_MS = 3_600_000;

/** The per-source rows as they come, each UTC hour followed by its Global view rows (memory: one hour's keys). */
export function* withGlobalView(rows: Iterable<McasRow>): Generator<McasRow> {
    let hour = Number.NaN;
    let last: Date | undefined;
    let sums = new Map<string, McasRow>();
    for (const row of rows) {
        const rowHour = Math.floor(row.TimeGenerated.getTime() / HOUR_MS);
        if (rowHour !== hour) {
            if (last !== undefined) yield* flush(sums, last);
            sums = new Map();
            hour = rowHour;
        }
        yield row;
        last = row.TimeGenerated;
        const key = `${row.AppId}\u0001${row.UserName}\u0001${row.IpAddress}`;
        const sum = sums.get(key);
        if (sum === undefined) {
            sums.set(key, { ...row, StreamName: GLOBAL_VIEW_STREAM, AppTags: [...row.AppTags] });
        } else {
            sum.TotalEvents += row.TotalEvents;
            sum.BlockedEvents += row.BlockedEvents;
            sum.UploadedBytes += row.UploadedBytes;
            sum.DownloadedBytes += row.DownloadedBytes;
            sum.TotalBytes += row.TotalBytes;
        }
    }
    if (last !== undefined) yield* flush(sums, last);
}

function* flush(sums: ReadonlyMap<string, McasRow>, time: Date): Generator<McasRow> {
    for (const sum of sums.values()) yield { ...sum, TimeGenerated: new Date(time.getTime()) };
}
