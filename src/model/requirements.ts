import { MEASURE_ROLES } from "./input";
import { PanelId, RoleName } from "./types";

/*
 * Which fields each panel needs. A panel that lacks them names the fields to add, in a fixed order; when one of
 * several fields would do, it names the single field that always completes the panel.
 *
 * - kpis: any measure, or AppName (discovered apps). Nothing bound → add TotalBytes.
 * - category-traffic: AppCategory and bytes. Bytes are TotalBytes, or UploadedBytes + DownloadedBytes from which
 *   the total is derived per row. Without either → add TotalBytes.
 * - risk-bands: AppScore and bytes (same rule as category-traffic).
 * - stream-bytes: StreamName, UploadedBytes and DownloadedBytes (the panel compares the two).
 * - top-apps: AppName and bytes (same rule as category-traffic); category, score, tags, users and blocked events
 *   are shown when bound.
 */

/** True when the total traffic of a row is known: TotalBytes, or both of its parts. */
export function hasBytes(bound: ReadonlySet<RoleName>): boolean {
    return bound.has("TotalBytes") || (bound.has("UploadedBytes") && bound.has("DownloadedBytes"));
}

export function missingRoles(panel: PanelId, bound: ReadonlySet<RoleName>): RoleName[] {
    const missing: RoleName[] = [];
    const need = (role: RoleName): void => {
        if (!bound.has(role)) missing.push(role);
    };
    switch (panel) {
        case "kpis":
            if (!bound.has("AppName") && !MEASURE_ROLES.some(role => bound.has(role))) missing.push("TotalBytes");
            break;
        case "category-traffic":
            need("AppCategory");
            if (!hasBytes(bound)) missing.push("TotalBytes");
            break;
        case "risk-bands":
            need("AppScore");
            if (!hasBytes(bound)) missing.push("TotalBytes");
            break;
        case "stream-bytes":
            need("StreamName");
            need("UploadedBytes");
            need("DownloadedBytes");
            break;
        case "top-apps":
            need("AppName");
            if (!hasBytes(bound)) missing.push("TotalBytes");
            break;
    }
    return missing;
}
