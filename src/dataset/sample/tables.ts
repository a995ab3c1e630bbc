import type { McasRow } from "./mcas.ts";
import { mcasRows } from "./mcas.ts";
import type { SecurityAlertRow } from "./alerts.ts";
import { securityAlertRows } from "./alerts.ts";
import type { SigninRow } from "./signins.ts";
import { signinRows } from "./signins.ts";
import type { SampleOptions } from "./options.ts";
import type { SchemaVariant } from "../../schema.ts";
import { mcasAzureMonitorRows } from "./mcas-azure-monitor.ts";

/** A row of any sample table: keyed by the schema's column names (dynamic columns as JS values). */
export type SampleRow = McasRow | SecurityAlertRow | SigninRow;

/**
 * The sample rows of a table by its name (one of the names in src/schema.ts TABLES), undefined for others; with
 * the "azure-monitor" variant, McasShadowItReporting in the Azure Monitor table reference's schema.
 */
export function sampleRows(table: string, opts: SampleOptions = {}, variant: SchemaVariant = "defender"): Generator<Record<string, unknown>> | undefined {
    switch (table) {
        case "McasShadowItReporting":
            return (variant === "azure-monitor" ? mcasAzureMonitorRows(opts) : mcasRows(opts)) as Generator<Record<string, unknown>>;
        case "SecurityAlert": return securityAlertRows(opts) as Generator<Record<string, unknown>>;
        case "SigninLogs": return signinRows(opts) as Generator<Record<string, unknown>>;
        default: return undefined;
    }
}
