import type { McasRow } from "./mcas.ts";
import { mcasRows } from "./mcas.ts";
import type { SecurityAlertRow } from "./alerts.ts";
import { securityAlertRows } from "./alerts.ts";
import type { SigninRow } from "./signins.ts";
import { signinRows } from "./signins.ts";
import type { SampleOptions } from "./options.ts";

/** A row of any sample table: keyed by the schema's column names (dynamic columns as JS values). */
export type SampleRow = McasRow | SecurityAlertRow | SigninRow;

/** The sample rows of a table by its name (one of the names in src/schema.ts TABLES), undefined for others. */
export function sampleRows(table: string, opts: SampleOptions = {}): Generator<Record<string, unknown>> | undefined {
    switch (table) {
        case "McasShadowItReporting": return mcasRows(opts) as Generator<Record<string, unknown>>;
        case "SecurityAlert": return securityAlertRows(opts) as Generator<Record<string, unknown>>;
        case "SigninLogs": return signinRows(opts) as Generator<Record<string, unknown>>;
        default: return undefined;
    }
}
