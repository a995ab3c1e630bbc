// The sample tenant: seeded, deterministic, streaming generators of the tables (src/dataset/tables.ts lists them).
export { SAMPLE_WORKSPACE_ID, DEFAULT_SAMPLE_ROWS, DEFAULT_SAMPLE_DAYS, DEFAULT_SAMPLE_SEED, MAX_SAMPLE_DAYS, resolveSampleOptions, alertCount, signinCount, startOfCurrentUtcHour } from "./options.ts";
export type { SampleOptions, ResolvedSampleOptions } from "./options.ts";
export { mcasRows, sourceRows, buildTenant } from "./mcas.ts";
export { GLOBAL_VIEW_STREAM } from "./global-view.ts";
export type { McasRow, SampleTenant } from "./mcas.ts";
export { mcasAzureMonitorRows, toAzureMonitorRow, SAMPLE_AAD_TENANT_ID } from "./mcas-azure-monitor.ts";
export type { McasAzureMonitorRow } from "./mcas-azure-monitor.ts";
export { securityAlertRows } from "./alerts.ts";
export type { SecurityAlertRow } from "./alerts.ts";
export { signinRows } from "./signins.ts";
export type { SigninRow, DeviceDetail, LocationDetails } from "./signins.ts";
export { APP_CATEGORIES } from "./catalogue.ts";
export { writeSample, SAMPLE_FORMATS } from "./write.ts";
export type { SampleFormat, WrittenFile, WriteSampleOptions } from "./write.ts";
export { csvHeader, csvLine, jsonLine, csvHeaderName, csvField, cellText } from "./format.ts";
