// The tables the companion knows, one descriptor each: everything that differs from one table to the next lives
// here, and the query builders, the sample tenant, the emulator and the commands' help read it from this list.
// To add a table, add its schema to src/schema.ts and its descriptor below (docs/architecture.md says how).
import {
    MCAS_SHADOW_IT_REPORTING, MCAS_SHADOW_IT_REPORTING_AZURE_MONITOR, SECURITY_ALERT, SIGNIN_LOGS,
    type SchemaVariant, type TableSchema,
} from "../schema.ts";
import { securityAlertRows } from "./sample/alerts.ts";
import { mcasAzureMonitorRows } from "./sample/mcas-azure-monitor.ts";
import { mcasRows } from "./sample/mcas.ts";
import { alertCount, signinCount, type SampleOptions } from "./sample/options.ts";
import { signinRows } from "./sample/signins.ts";

/**
 * The column every table is windowed, split into day files, ordered and watermarked on. Every descriptor names it
 * (the type allows no other), so a table without it cannot be added by accident.
 */
export const TIME_COLUMN = "TimeGenerated";

/** A pushed-down aggregate: `summarize <measures> by <time key>, <keys>`. */
export interface AggregateSpec {
    /** `name = aggregate(...)` measures; all of them additive across rows of the result. */
    readonly measures: readonly string[];
    /** Grouping keys besides the time key. */
    readonly keys: readonly string[];
}

/** How the sample tenant makes a table. */
export interface SampleSpec {
    /** The rows, streamed in time order; `variant` matters only to tables whose schema has variants. */
    rows(opts: SampleOptions, variant: SchemaVariant): Generator<Record<string, unknown>>;
    /** How many rows `rows` yields for the given discovery row count and days. */
    count(rows: number, days: number): number;
    /** Its size relative to --rows, as the `sample` help says it; absent for the table --rows counts. */
    readonly share?: string;
}

export interface CompanionTable<Name extends string = string> {
    readonly name: Name;
    /** The columns the companion expects (the Defender for Cloud Apps doc's, for McasShadowItReporting). */
    readonly schema: TableSchema;
    /** The columns as the Azure Monitor table reference lists them, where they differ from `schema`. */
    readonly azureMonitorSchema?: TableSchema;
    readonly timeColumn: typeof TIME_COLUMN;
    /** Deterministic order among rows with the same time: cheap keys that usually tell rows apart. */
    readonly tiebreak: readonly string[];
    readonly aggregate: AggregateSpec;
    readonly sample: SampleSpec;
    /** Whether the dashboard needs the table (checked as needed, exported and loaded by default). */
    readonly required: boolean;
    /** What the table holds, for help texts. */
    readonly help: string;
}

/** Keeps each name as its literal type, so that SupportedTableName is derived from the list. */
function table<const Name extends string>(descriptor: CompanionTable<Name>): CompanionTable<Name> {
    return descriptor;
}

/** The generators' typed rows as the records the writers and the emulator take (keyed by column name). */
const asRecords = (rows: Generator<object>) => rows as Generator<Record<string, unknown>>;

/** The tables the companion can query, in the order they are listed to users (the required one first). */
export const COMPANION_TABLES = [
    table({
        name: "McasShadowItReporting",
        schema: MCAS_SHADOW_IT_REPORTING,
        azureMonitorSchema: MCAS_SHADOW_IT_REPORTING_AZURE_MONITOR,
        timeColumn: TIME_COLUMN,
        tiebreak: ["StreamName", "UserName", "AppId", "IpAddress"],
        /**
         * Keeps every dimension the dashboard slices by (stream, app, category, score, tags, user) and sums the
         * additive measures, so any total the visual shows is exact. IpAddress is left out on purpose: a distinct
         * count of IP addresses cannot be rebuilt from per-group counts (it is not additive), and keeping it as a
         * key would multiply the rows; use the raw grain for it.
         */
        aggregate: {
            measures: [
                "TotalEvents = sum(TotalEvents)",
                "BlockedEvents = sum(BlockedEvents)",
                "UploadedBytes = sum(UploadedBytes)",
                "DownloadedBytes = sum(DownloadedBytes)",
                "TotalBytes = sum(TotalBytes)",
                "Records = count()",
            ],
            keys: [
                "StreamName", "AppName", "AppId", "AppCategory", "AppScore", "AppTags = tostring(AppTags)",
                "UserName", "EnrichedUserName",
            ],
        },
        sample: {
            rows: (opts, variant) => asRecords(variant === "azure-monitor" ? mcasAzureMonitorRows(opts) : mcasRows(opts)),
            count: rows => rows,
        },
        required: true,
        help: "Defender for Cloud Apps discovery records",
    }),
    table({
        name: "SecurityAlert",
        schema: SECURITY_ALERT,
        timeColumn: TIME_COLUMN,
        tiebreak: ["SystemAlertId"],
        aggregate: {
            measures: ["Alerts = count()"],
            keys: ["AlertName", "AlertSeverity", "ProviderName", "ProductName", "Status", "CompromisedEntity"],
        },
        sample: { rows: opts => asRecords(securityAlertRows(opts)), count: alertCount, share: "about 1.5 % of --rows" },
        required: false,
        help: "Defender for Cloud Apps alerts",
    }),
    table({
        name: "SigninLogs",
        schema: SIGNIN_LOGS,
        timeColumn: TIME_COLUMN,
        tiebreak: ["CorrelationId", "UserPrincipalName"],
        aggregate: {
            measures: ["SignIns = count()"],
            keys: [
                "UserPrincipalName", "AppDisplayName", "ResultType", "ClientAppUsed", "ConditionalAccessStatus",
                "RiskLevelDuringSignIn", "Location",
            ],
        },
        sample: { rows: opts => asRecords(signinRows(opts)), count: rows => signinCount(rows), share: "about 20 % of --rows" },
        required: false,
        help: "Entra ID interactive sign-ins",
    }),
] as const;

export type SupportedTableName = (typeof COMPANION_TABLES)[number]["name"];

/** The tables the companion can query, in the order they are listed to users. */
export const SUPPORTED_TABLE_NAMES: readonly SupportedTableName[] = COMPANION_TABLES.map(t => t.name);

/** The expected schemas of the supported tables. */
export const TABLES: readonly TableSchema[] = COMPANION_TABLES.map(t => t.schema);

/** The table the dashboard needs: the default of the commands that take one table. */
export const REQUIRED_TABLE: CompanionTable = COMPANION_TABLES.find(t => t.required) ?? COMPANION_TABLES[0];

/** The descriptor of a table by its exact (case-sensitive) name, undefined for others. */
export function companionTable(name: string): CompanionTable | undefined {
    return COMPANION_TABLES.find(t => t.name === name);
}

export function findTable(name: string): TableSchema | undefined {
    return companionTable(name)?.schema;
}

/** A table's schema in the given variant ("azure-monitor": the Azure Monitor reference's, where it differs). */
export function schemaOfVariant(table: CompanionTable, variant: SchemaVariant): TableSchema {
    return variant === "azure-monitor" ? table.azureMonitorSchema ?? table.schema : table.schema;
}

/** The tables with their schemas in the given variant. */
export function tablesOfVariant(variant: SchemaVariant): readonly TableSchema[] {
    return COMPANION_TABLES.map(t => schemaOfVariant(t, variant));
}

/** "A, B and C" (or "A, B or C"): names in an English sentence. */
export function listInWords(items: readonly string[], conjunction: "and" | "or" = "and"): string {
    if (items.length <= 1) return items.join("");
    return `${items.slice(0, -1).join(", ")} ${conjunction} ${items[items.length - 1]}`;
}
