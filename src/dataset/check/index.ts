// `shadowit check`: what a workspace holds for the companion, and whether exports and the M would work on it.
import type { TokenCredential } from "@azure/identity";
import type { LogsQueryClientOptions } from "@azure/monitor-query-logs";
import { isGuid } from "../../schema.ts";
import { UserError } from "../errors.ts";
import { RateLimiter, type QueryRunner } from "../export/fetch.ts";
import { DEFAULT_BYTE_BUDGET, DEFAULT_ROW_BUDGET } from "../export/options.ts";
import { createLogsClient } from "../logs/client.ts";
import { buildCredential } from "../logs/credential.ts";
import { assess, SERVICE_BYTE_LIMIT, SERVICE_ROW_LIMIT, type CheckReport } from "./assess.ts";
import { gatherFacts } from "./probe.ts";

export { renderReport } from "./render.ts";
export type { CheckReport, Finding } from "./assess.ts";

export interface CheckOptions {
    readonly workspace: string;
    readonly tenant?: string;
    readonly deviceCode?: boolean;
    readonly token?: string;
    readonly endpoint?: string;
    readonly ca?: string;
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
    const workspace = String(options.workspace ?? "").trim();
    if (!isGuid(workspace)) {
        throw new UserError(
            `--workspace ${JSON.stringify(workspace.slice(0, 80))} is not a workspace ID: use the Workspace ID GUID from the ` +
            "Log Analytics workspace's Overview page (like 0b5f6d4c-1a2b-4c3d-8e9f-001122334455), not its name or resource ID",
        );
    }
    const rows = limit(options.rowLimit, "--row-limit", SERVICE_ROW_LIMIT);
    const bytes = limit(options.byteLimit, "--byte-limit", SERVICE_BYTE_LIMIT);
    const now = options.now ?? new Date();
    if (Number.isNaN(now.getTime())) throw new UserError("the current time is not a valid date");
    const env = deps.env ?? process.env;
    const token = options.token ?? env.SHADOWIT_TOKEN;
    const credential = deps.credential ?? buildCredential({
        token: token !== undefined && token !== "" ? token : undefined,
        tenantId: options.tenant,
        deviceCode: options.deviceCode,
        prompt: deps.prompt ?? (message => process.stderr.write(`${message}\n`)),
    });
    const { client, endpoint, capture } = createLogsClient({
        credential, endpoint: options.endpoint ?? (env.SHADOWIT_LOGS_ENDPOINT || undefined), caFile: options.ca ?? (env.SHADOWIT_CA_FILE || undefined),
        clientOptions: deps.clientOptions,
    });
    const runner: QueryRunner = {
        client, capture, endpoint, workspaceId: workspace.toLowerCase(), limiter: new RateLimiter(180), serverTimeoutInSeconds: 180,
    };
    const facts = await gatherFacts(runner, now.getTime());
    return assess(facts, { rows, bytes, exportRowBudget: Math.min(DEFAULT_ROW_BUDGET, rows), exportByteBudget: Math.min(DEFAULT_BYTE_BUDGET, bytes) });
}
