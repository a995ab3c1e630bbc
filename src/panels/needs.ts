import type { RoleName } from "../model/types";

/** True when the total traffic of a row is known: TotalBytes, or both of its parts. */
export function hasBytes(bound: ReadonlySet<RoleName>): boolean {
    return bound.has("TotalBytes") || (bound.has("UploadedBytes") && bound.has("DownloadedBytes"));
}

/**
 * The fields of `required` that are not bound, in their order, then TotalBytes when `bytes` is asked for and
 * the row's total traffic is not known (TotalBytes, or UploadedBytes + DownloadedBytes from which it is derived).
 */
export function missingFields(bound: ReadonlySet<RoleName>, required: readonly RoleName[], bytes: boolean): RoleName[] {
    const missing = required.filter(role => !bound.has(role));
    if (bytes && !hasBytes(bound)) missing.push("TotalBytes");
    return missing;
}
