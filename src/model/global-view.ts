/*
 * Defender for Cloud Apps keeps, beside each discovery stream (a firewall, proxy, endpoint integration or uploaded
 * log), an aggregate stream named "Global view" whose rows repeat the traffic of all the others. Microsoft's own
 * Sentinel workbook for McasShadowItReporting lists the stream names and selects "Global view" by default
 * (Azure/Azure-Sentinel, Solutions/Microsoft Defender for Cloud Apps/Workbooks/MicrosoftCloudAppSecurity.json).
 * Summing it with the other streams counts the traffic twice, so the model folds its rows apart (see
 * accumulator.ts) and the snapshot reads the key figures, categories, bands and top apps from it alone.
 */

/** The stream name Defender for Cloud Apps gives its aggregate discovery stream. */
export const GLOBAL_VIEW_STREAM = "Global view";

const GLOBAL_VIEW_KEY = GLOBAL_VIEW_STREAM.toLowerCase();

/**
 * True for the Global view stream's name: compared without surrounding spaces and without regard to case, as a
 * stream name exported through a CSV or typed in a filter may have either changed.
 */
export function isGlobalViewName(raw: unknown): boolean {
    return typeof raw === "string" && raw.length < 40 && raw.trim().toLowerCase() === GLOBAL_VIEW_KEY;
}
