/*
 * The visual's data roles, as capabilities.json names them (test/model/capabilities.test.ts holds the two equal):
 * the one list the types, the binding, the filters and the test fixtures derive from.
 */

export const GROUPING_ROLES = [
    "AppCategory", "AppName", "StreamName", "AppScore", "AppTags", "TimeGenerated", "UserName", "IpAddress", "AppId",
] as const;

/**
 * Optional measures that give a distinct count exactly at one grain (see exact-counts.ts): every DataView row of an
 * item carries the item's own count, the same on each of its rows.
 */
export const EXACT_COUNT_ROLES = [
    "UsersTotal", "UsersPerApp", "UsersPerCategory", "UsersPerStream", "IpAddressesTotal",
] as const;

export const MEASURE_ROLES = [
    "UploadedBytes", "DownloadedBytes", "TotalBytes", "TotalEvents", "BlockedEvents", "Users", "IpAddresses",
    ...EXACT_COUNT_ROLES,
] as const;

export type GroupingRole = (typeof GROUPING_ROLES)[number];
export type ExactCountRole = (typeof EXACT_COUNT_ROLES)[number];
export type MeasureRole = (typeof MEASURE_ROLES)[number];
export type RoleName = GroupingRole | MeasureRole;
