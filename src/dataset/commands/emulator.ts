import type { Command } from "commander";
import { isGuid, SCHEMA_VARIANTS, type SchemaVariant } from "../../schema.ts";
import { UserError } from "../errors.ts";
import {
    DEFAULT_EMULATOR_ROWS, DEFAULT_EMULATOR_TOKEN, DEFAULT_RATE_LIMIT, DEFAULT_ROW_LIMIT, DEFAULT_SIZE_LIMIT_BYTES,
    FaultSpecError, parseFaultSpec, startEmulator, type EmulatorOptions, type RunningEmulator,
} from "../emulator/index.ts";
import { parseDays, parseEnd, parseSeed, parseWholeNumber } from "../sample/cli-options.ts";
import { DEFAULT_SAMPLE_SEED, SAMPLE_WORKSPACE_ID } from "../sample/index.ts";
import { REQUIRED_TABLE } from "../tables.ts";
import { proportionalTablesInWords } from "./table-help.ts";

interface EmulatorCommandOptions {
    port: string;
    rows: string;
    seed: string;
    days?: string;
    end?: string;
    workspace: string;
    token?: string;
    anyToken?: boolean;
    faults?: string;
    caOut?: string;
    rowLimit: string;
    sizeLimit: string;
    rateLimit: string;
    quiet?: boolean;
    schema: string;
}

const HELP = `
Serves POST and GET /v1/workspaces/<id>/query over HTTPS on 127.0.0.1 with a certificate made at start (its PEM
is written to --ca-out), over the sample tenant loaded into an in-memory DuckDB database. It evaluates the KQL the
companion emits (where, project, project-away, project-rename, extend, summarize, order/sort by, take/limit, top,
count, distinct; bin, tostring, iff, ago, now and friends) and answers anything else with 400 BadArgumentError,
never with a wrong result. dcount() is exact here (Kusto's is an estimate). The request timespan is applied to
TimeGenerated with both ends inclusive: export windows should filter their own bounds.

Faults (--faults), comma-separated and combinable:
  latency=200                 wait 200 ms before each answer
  503=0.1,429=0.05            answer 503 / 429 (with Retry-After) to 10 % / 5 % of requests
  drop=0.05,truncate=0.02     close the connection / send half the body, then close
  seed=7                      seed of those draws (the same seed and requests give the same faults)
  503:2,drop:1                the next two requests answer 503, the one after is dropped
  retry-after=2               Retry-After seconds of injected 503 and 429 (default 1)
  expired                     every request is refused as carrying an expired token

Schemas (--schema): McasShadowItReporting as the Defender for Cloud Apps doc lists it ("defender", the default),
or as the Azure Monitor table reference lists it ("azure-monitor"): AppId as a string, the counters and byte
columns as int, and AadTenantId, AppInstance, Date, MachineId, MachineName, RawUserName and RichUserName besides,
in the reference's (alphabetical) column order. Use it to see what \`shadowit export\` and \`shadowit check\` do with
a workspace of that schema.

Examples:
  shadowit emulator --port 8443
  shadowit emulator --port 8443 --schema azure-monitor
  shadowit emulator --port 8443 --rows 1000000 --faults 503=0.05,drop=0.02,seed=7`;

function parsePort(text: string): number {
    return parseWholeNumber("--port", text, 0, 65_535);
}

function parseRateLimit(text: string): { requests: number; perSeconds: number } {
    const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
    const requests = match ? Number(match[1]) : NaN;
    const perSeconds = match ? Number(match[2]) : NaN;
    if (!match || requests < 1 || perSeconds < 1 || requests > 1_000_000 || perSeconds > 86_400) {
        throw new UserError(`--rate-limit ${JSON.stringify(text.slice(0, 40))} is not valid: write REQUESTS/SECONDS, e.g. 200/30`);
    }
    return { requests, perSeconds };
}

/** The options of `shadowit emulator`, checked: each bad one is a UserError naming it. */
export function emulatorOptionsFrom(opts: EmulatorCommandOptions, log: (line: string) => void): EmulatorOptions {
    if (opts.token !== undefined && opts.anyToken) throw new UserError("--token and --any-token exclude each other: give one");
    if (opts.token !== undefined && (opts.token.trim() === "" || /\s/.test(opts.token))) {
        throw new UserError("--token must be a non-empty word without spaces");
    }
    if (!isGuid(opts.workspace)) {
        throw new UserError(`--workspace ${JSON.stringify(opts.workspace.slice(0, 60))} is not a workspace ID: give a GUID like ${SAMPLE_WORKSPACE_ID}`);
    }
    if (opts.caOut !== undefined && opts.caOut.trim() === "") throw new UserError("--ca-out needs a file path");
    let faults;
    try {
        faults = opts.faults === undefined ? undefined : parseFaultSpec(opts.faults);
    } catch (error) {
        if (error instanceof FaultSpecError) throw new UserError(`--faults: ${error.message}`);
        throw error;
    }
    if (!(SCHEMA_VARIANTS as readonly string[]).includes(opts.schema)) {
        throw new UserError(`--schema ${JSON.stringify(opts.schema.slice(0, 40))} is not a schema variant: use ${SCHEMA_VARIANTS.join(" or ")}`);
    }
    return {
        port: parsePort(opts.port),
        rows: parseWholeNumber("--rows", opts.rows, 0, 100_000_000),
        seed: parseSeed(opts.seed),
        days: opts.days === undefined ? undefined : parseDays(opts.days),
        end: opts.end === undefined ? undefined : parseEnd(opts.end),
        workspaceId: opts.workspace,
        token: opts.anyToken ? "any" : opts.token ?? DEFAULT_EMULATOR_TOKEN,
        rowLimit: parseWholeNumber("--row-limit", opts.rowLimit, 1, 100_000_000),
        sizeLimitBytes: parseWholeNumber("--size-limit", opts.sizeLimit, 1, 2_000_000_000),
        rateLimit: parseRateLimit(opts.rateLimit),
        faults,
        caOut: opts.caOut,
        log,
        schema: opts.schema as SchemaVariant,
    };
}

/** What a user needs to point `shadowit export` (or any client) at the running emulator. */
export function describeRunning(emulator: RunningEmulator): string {
    const token = emulator.token === "any" ? "any-non-empty-token" : emulator.token;
    return [
        `Log Analytics emulator listening on ${emulator.endpoint}`,
        `  workspace ID:    ${emulator.workspaceId}`,
        `  bearer token:    ${emulator.token === "any" ? "any non-empty token" : emulator.token}`,
        `  CA certificate:  ${emulator.caPath}`,
        "",
        "Export from it:",
        `  shadowit export --workspace ${emulator.workspaceId} --out export --endpoint ${emulator.endpoint} --ca "${emulator.caPath}" --token ${token}`,
        "Check it (tables, schema, rows per day, streams, query limits):",
        `  shadowit check --workspace ${emulator.workspaceId} --endpoint ${emulator.endpoint} --ca "${emulator.caPath}" --token ${token}`,
        "or set the environment (POSIX shells / PowerShell):",
        `  export SHADOWIT_LOGS_ENDPOINT=${emulator.endpoint} SHADOWIT_CA_FILE="${emulator.caPath}" SHADOWIT_TOKEN=${token}`,
        `  $env:SHADOWIT_LOGS_ENDPOINT="${emulator.endpoint}"; $env:SHADOWIT_CA_FILE="${emulator.caPath}"; $env:SHADOWIT_TOKEN="${token}"`,
        "Stop it with Ctrl+C.",
        "",
    ].join("\n");
}

/** Resolves at the first SIGINT/SIGTERM (and Ctrl+Break on Windows). */
function untilStopped(): Promise<string> {
    const signals: NodeJS.Signals[] = process.platform === "win32" ? ["SIGINT", "SIGTERM", "SIGBREAK"] : ["SIGINT", "SIGTERM", "SIGHUP"];
    return new Promise(resolve => {
        const stop = (signal: NodeJS.Signals): void => {
            for (const s of signals) process.off(s, stop);
            resolve(signal);
        };
        for (const s of signals) process.on(s, stop);
    });
}

export function registerEmulator(program: Command): void {
    program
        .command("emulator")
        .summary("run a local HTTPS Log Analytics query service over the sample tenant")
        .description("Runs a local Log Analytics query API (HTTPS, 127.0.0.1) over the sample tenant, for trying the companion without Azure.")
        .option("-p, --port <port>", "port on 127.0.0.1 (0 picks a free one)", "0")
        .option("--rows <n>", `${REQUIRED_TABLE.name} sample records of the per-source streams, without the Global view rows that sum them (${proportionalTablesInWords()} are proportional)`, String(DEFAULT_EMULATOR_ROWS))
        .option("--seed <s>", "sample seed", String(DEFAULT_SAMPLE_SEED))
        .option("--days <d>", "days of sample data (default 30)")
        .option("--end <iso>", "exclusive end of the sample data (default: the start of the current UTC hour)")
        .option("--workspace <guid>", "workspace ID to serve", SAMPLE_WORKSPACE_ID)
        .option("--token <token>", `bearer token to accept (default ${DEFAULT_EMULATOR_TOKEN})`)
        .option("--any-token", "accept any non-empty bearer token")
        .option("--faults <spec>", "inject faults, e.g. latency=200,503=0.1,drop=0.05,seed=7 or 503:2 (see below)")
        .option("--ca-out <file>", "where to write the certificate PEM (default: ca.pem in a new private folder in the OS temp folder)")
        .option("--row-limit <n>", "rows per result before a PartialError", String(DEFAULT_ROW_LIMIT))
        .option("--size-limit <bytes>", "bytes per result before a PartialError", String(DEFAULT_SIZE_LIMIT_BYTES))
        .option("--rate-limit <n/s>", "requests per sliding window of seconds, per token", `${DEFAULT_RATE_LIMIT.requests}/${DEFAULT_RATE_LIMIT.perSeconds}`)
        .option("--schema <variant>", "McasShadowItReporting schema served: defender or azure-monitor (see below)", "defender")
        .option("--quiet", "no request log")
        .addHelpText("after", HELP)
        .action(async (opts: EmulatorCommandOptions) => {
            const log = opts.quiet ? (): void => undefined : (line: string): void => void process.stderr.write(`emulator: ${line}\n`);
            const options = emulatorOptionsFrom(opts, log);
            process.stderr.write(`emulator: loading ${options.rows?.toLocaleString("en-US")} sample rows...\n`);
            const stopped = untilStopped();
            let emulator: RunningEmulator;
            try {
                emulator = await startEmulator(options);
            } catch (error) {
                if (error instanceof RangeError || (error instanceof Error && /already in use|Not allowed to listen|Cannot write the certificate/.test(error.message))) {
                    throw new UserError(error.message);
                }
                throw error;
            }
            process.stdout.write(describeRunning(emulator));
            const signal = await stopped;
            process.stderr.write(`emulator: ${signal}, stopping\n`);
            await emulator.close();
        });
}
