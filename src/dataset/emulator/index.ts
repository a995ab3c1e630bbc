// A local Log Analytics query service over the sample tenant: HTTPS on 127.0.0.1, the real API's shapes, a DuckDB
// engine behind a KQL subset, and fault injection for tests of clients.
import { randomBytes } from "node:crypto";
import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { isGuid, type SchemaVariant } from "../../schema.ts";
import { analyzeKql } from "../kusto/analyze.ts";
import { DEFAULT_SAMPLE_ROWS, SAMPLE_WORKSPACE_ID } from "../sample/index.ts";
import { COMPANION_TABLES, schemaOfVariant, SUPPORTED_TABLE_NAMES } from "../tables.ts";
import { createCertificate } from "./certificate.ts";
import { Engine, type SourceRow } from "./engine.ts";
import { FaultInjector, type FaultOptions } from "./faults.ts";
import { DEFAULT_RATE_LIMIT, RateLimiter, type RateLimit } from "./rate-limiter.ts";
import { EmulatorServer } from "./server.ts";

export type { FaultKind, FaultOptions } from "./faults.ts";
export { FAULT_KINDS, FaultSpecError, parseFaultSpec } from "./faults.ts";
export type { RateLimit } from "./rate-limiter.ts";
export type { SourceRow } from "./engine.ts";
export { BadRowError } from "./engine.ts";
export { DEFAULT_RATE_LIMIT } from "./rate-limiter.ts";

/** The bearer token the emulator accepts unless told otherwise. */
export const DEFAULT_EMULATOR_TOKEN = "shadowit-emulator-token";
export const DEFAULT_ROW_LIMIT = 500_000;
export const DEFAULT_SIZE_LIMIT_BYTES = 64_000_000;
/** By default the emulator serves the default sample tenant. */
export const DEFAULT_EMULATOR_ROWS = DEFAULT_SAMPLE_ROWS;

export interface EmulatorOptions {
    /** 0 (default) picks a free port. */
    port?: number;
    /** McasShadowItReporting sample rows (default 20000; the other tables are proportional). */
    rows?: number;
    seed?: number;
    /** Whether the sample carries the aggregate "Global view" stream (default true, as real tenants do). */
    globalView?: boolean;
    /** Exclusive end of the sample data (default: the start of the current UTC hour). */
    end?: Date;
    /** Days of sample data (default 30). */
    days?: number;
    /** Default SAMPLE_WORKSPACE_ID. */
    workspaceId?: string;
    /** The accepted bearer token (default DEFAULT_EMULATOR_TOKEN), or "any" for every non-empty token. */
    token?: string;
    /** Rows per result before a PartialError (default 500000). */
    rowLimit?: number;
    /** Bytes of encoded rows per result before a PartialError (default 64000000). */
    sizeLimitBytes?: number;
    /** Requests per sliding window per token (default 200 per 30 s). */
    rateLimit?: RateLimit;
    faults?: FaultOptions;
    /** Where to write the certificate PEM (default: ca.pem in a new private folder in the OS temp folder, removed on close). */
    caOut?: string;
    /** Server timeout when a request gives none (default 180 s, as the service). */
    defaultWaitSeconds?: number;
    /** Request log lines (default: none). */
    log?: (line: string) => void;
    /**
     * The clock that stamps each appended row's ingestion time, read by KQL's ingestion_time() (default the system
     * clock). Tests pass a fixed or stepped clock.
     */
    clock?: () => Date;
    /**
     * The McasShadowItReporting schema served: "defender" (default, the Defender for Cloud Apps doc's columns) or
     * "azure-monitor" (the Azure Monitor table reference's: AppId as string, int counters, seven more columns).
     */
    schema?: SchemaVariant;
    /**
     * The tables the workspace holds (default all three). A workspace without a data connector has no such table,
     * and a query naming it gets 400 SemanticError "Failed to resolve table or column expression".
     */
    tables?: readonly string[];
}

export interface RunningEmulator {
    /** "https://127.0.0.1:PORT/v1": pass as the LogsQueryClient endpoint. */
    readonly endpoint: string;
    readonly port: number;
    /** The certificate as PEM: pass as `tlsOptions: { ca }`. */
    readonly ca: string;
    readonly caPath: string;
    readonly workspaceId: string;
    /** The accepted token ("any" when every non-empty token is accepted). */
    readonly token: string;
    /** Adds rows to a table (keyed by column name), e.g. to test incremental exports; their ingestion time is the clock's now. */
    appendRows(table: string, rows: Iterable<SourceRow>): Promise<void>;
    setFaults(faults: FaultOptions): void;
    /** Query requests received (routed to /query), including rejected and faulted ones. */
    requestCount(): number;
    /** Runs SQL on the emulator's DuckDB database, for independent checks in tests. */
    query(sql: string): Promise<Record<string, unknown>[]>;
    close(): Promise<void>;
}

/**
 * Writes the certificate PEM where clients can read it, never through a file or link someone else planted: by
 * default into a folder made fresh for this run (mkdtemp: a new name, mode 0700) as a file created exclusively with
 * mode 0600; at an asked-for path, through an exclusively created temporary file renamed over it, so that a
 * symbolic link at that path is replaced, not followed.
 */
async function writeCertificate(pem: string, caOut: string | undefined): Promise<string> {
    if (caOut === undefined) {
        const folder = await mkdtemp(join(tmpdir(), "shadowit-emulator-ca-"));
        const file = join(folder, "ca.pem");
        await writeFile(file, pem, { encoding: "utf8", flag: "wx", mode: 0o600 });
        return file;
    }
    const target = resolve(caOut);
    const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
    try {
        await writeFile(temp, pem, { encoding: "utf8", flag: "wx", mode: 0o644 });
        await rename(temp, target);
    } catch (error) {
        await rm(temp, { force: true });
        throw error;
    }
    return target;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
    const chosen = value ?? fallback;
    if (!Number.isSafeInteger(chosen) || chosen < 1) throw new RangeError(`${name} must be a positive whole number, got ${String(value)}`);
    return chosen;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
    const port = options.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new RangeError(`port must be 0..65535, got ${port}`);
    const workspaceId = options.workspaceId ?? SAMPLE_WORKSPACE_ID;
    if (!isGuid(workspaceId)) throw new RangeError(`workspaceId must be a GUID, got '${workspaceId}'`);
    const token = options.token ?? DEFAULT_EMULATOR_TOKEN;
    if (token.trim() === "" || /\s/.test(token)) throw new RangeError("token must be non-empty and without spaces");
    const rowLimit = positiveInteger("rowLimit", options.rowLimit, DEFAULT_ROW_LIMIT);
    const sizeLimitBytes = positiveInteger("sizeLimitBytes", options.sizeLimitBytes, DEFAULT_SIZE_LIMIT_BYTES);
    const rateLimiter = new RateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT);
    const faults = new FaultInjector(options.faults ?? {});
    const log = options.log ?? ((): void => undefined);
    const rows = options.rows ?? DEFAULT_EMULATOR_ROWS;
    const variant = options.schema ?? "defender";
    if (variant !== "defender" && variant !== "azure-monitor") throw new RangeError(`schema must be defender or azure-monitor, got '${String(variant)}'`);
    const served = COMPANION_TABLES.filter(t => options.tables === undefined || options.tables.includes(t.name));
    const tables = served.map(t => schemaOfVariant(t, variant));
    const unknown = (options.tables ?? []).filter(name => !(SUPPORTED_TABLE_NAMES as readonly string[]).includes(name));
    if (unknown.length > 0 || tables.length === 0) {
        throw new RangeError(`tables must name at least one of ${SUPPORTED_TABLE_NAMES.join(", ")}${unknown.length > 0 ? `; unknown: ${unknown.join(", ")}` : ""}`);
    }

    const engine = await Engine.create(tables, options.clock);
    try {
        const sample = { rows, seed: options.seed, end: options.end, days: options.days, workspaceId, globalView: options.globalView };
        for (const table of served) await engine.append(table.name, table.sample.rows(sample, variant));
        analyzeKql(`${tables[0].name} | take 1`, tables); // load the language service before the first request
        const certificate = await createCertificate();
        const server = new EmulatorServer({
            workspaceId, token, tables, limits: { rowLimit, sizeLimitBytes }, engine, faults, rateLimiter, log,
            concurrency: 5, defaultWaitSeconds: options.defaultWaitSeconds ?? 180,
        }, certificate);
        let boundPort: number;
        try {
            boundPort = await server.listen(port);
        } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            if (code === "EADDRINUSE") throw new Error(`Port ${port} on 127.0.0.1 is already in use: pick another with --port, or 0 for any free port.`);
            if (code === "EACCES") throw new Error(`Not allowed to listen on port ${port}: use a port above 1023.`);
            throw error;
        }
        let caPath: string;
        try {
            caPath = await writeCertificate(certificate.cert, options.caOut);
        } catch (error) {
            await server.close();
            const where = options.caOut !== undefined ? resolve(options.caOut) : "a new folder in the OS temp folder";
            throw new Error(`Cannot write the certificate to ${where}: ${(error as Error).message}. Choose another file with --ca-out.`);
        }
        let closed = false;
        return {
            endpoint: `https://127.0.0.1:${boundPort}/v1`,
            port: boundPort,
            ca: certificate.cert,
            caPath,
            workspaceId,
            token,
            appendRows: async (table, added) => {
                await engine.append(table, added);
            },
            setFaults: f => faults.set(f),
            requestCount: () => server.requestCount(),
            query: sql => engine.sql(sql),
            close: async () => {
                if (closed) return;
                closed = true;
                await server.close();
                engine.close();
                // The certificate dies with the server: a default-placed copy (and its folder) is removed, an asked-for one is kept.
                if (options.caOut === undefined) await rm(dirname(caPath), { recursive: true, force: true });
            },
        };
    } catch (error) {
        engine.close();
        throw error;
    }
}
