// `shadowit check`: what a workspace holds for the companion, and whether exports and the M would work on it.
import type { TokenCredential } from "@azure/identity";
import type { LogsQueryClientOptions } from "@azure/monitor-query-logs";
import { UserError } from "../errors.ts";
import { RateLimiter, type QueryRunner } from "../export/fetch.ts";
import { DEFAULT_BYTE_BUDGET, DEFAULT_ROW_BUDGET } from "../export/options.ts";
import { createLogsClient } from "../logs/client.ts";
import { connectionSettings, workspaceIdOf, type ConnectionOptions } from "../logs/connection.ts";
import { buildCredential } from "../logs/credential.ts";
import { assess, SERVICE_BYTE_LIMIT, SERVICE_ROW_LIMIT, type CheckReport } from "./assess.ts";
import { gatherFacts } from "./probe.ts";

export { renderReport } from "./render.ts";
export type { CheckReport, Finding } from "./assess.ts";

export interface CheckOptions extends ConnectionOptions {
    readonly workspace: string;
    /** Rows per query to check against (default the service's 500,000). */
    readonly rowLimit?: number | string;
    /** Bytes per query to check against (default about 100 MB, the service's). */
    readonly byteLimit?: number | string;
    /** The current time (tests); default the clock. */
    readonly now?: Date;
}

export interface CheckDeps {
    readonly credential?: TokenCredential;
    readonly clientOptions?: LogsQueryClientOptions;
    readonly env?: Readonly<Record<string, string | undefined>>;
    readonly prompt?: (message: string) => void;
}

function limit(value: number | string | undefined, flag: string, fallback: number): number {
    if (value === undefined) return fallback;
    const text = String(value).trim();
    const n = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
        throw new UserError(`${flag} must be a positive whole number, got ${JSON.stringify(String(value).slice(0, 40))}`);
    }
    return n;
}

export async function runCheck(options: CheckOptions, deps: CheckDeps = {}): Promise<CheckReport> {
    const workspaceId = workspaceIdOf(options.workspace);
    const rows = limit(options.rowLimit, "--row-limit", SERVICE_ROW_LIMIT);
    const bytes = limit(options.byteLimit, "--byte-limit", SERVICE_BYTE_LIMIT);
    const now = options.now ?? new Date();
    if (Number.isNaN(now.getTime())) throw new UserError("the current time is not a valid date");
    const env = deps.env ?? process.env;
    const settings = connectionSettings(options, env);
    const credential = deps.credential ?? buildCredential({
        token: settings.token,
        tenantId: options.tenant,
        deviceCode: options.deviceCode,
        prompt: deps.prompt ?? (message => process.stderr.write(`${message}\n`)),
    });
    const { client, endpoint, capture } = createLogsClient({
        credential, endpoint: settings.endpoint, caFile: settings.caFile,
        clientOptions: deps.clientOptions,
    });
    const runner: QueryRunner = {
        client, capture, endpoint, workspaceId, limiter: new RateLimiter(180), serverTimeoutInSeconds: 180,
    };
    const facts = await gatherFacts(runner, now.getTime());
    return assess(facts, { rows, bytes, exportRowBudget: Math.min(DEFAULT_ROW_BUDGET, rows), exportByteBudget: Math.min(DEFAULT_BYTE_BUDGET, bytes) });
}
