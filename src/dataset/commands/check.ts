import type { Command } from "commander";
import { renderReport, runCheck } from "../check/index.ts";
import { UserError } from "../errors.ts";
import { tablesInWords } from "./table-help.ts";

interface CheckFlags {
    workspace: string;
    tenant?: string;
    deviceCode?: boolean;
    token?: string;
    endpoint?: string;
    ca?: string;
    rowLimit?: string;
    byteLimit?: string;
    json?: boolean;
}

const HELP = `
It runs a few small queries (no row data is downloaded) and reports:
  - which of ${tablesInWords()} exist;
  - each table's columns against the companion's schema: missing, extra and differently typed columns
    (exports keep every column the table has, typed as the workspace declares it; see README);
  - McasShadowItReporting's rows per UTC day over the last 30 days, days without rows included;
  - the last data of each discovery stream (StreamName) and the days since, over the last 90 days, and whether
    Defender for Cloud Apps' aggregate "Global view" stream is present (its rows repeat the other streams');
  - whether the export and the generated M (day grain, and --grain raw) stay within the query API's limits of
    500,000 rows and about 100 MB per query, estimated from the per-day counts at each one's grain.
Exit code 0 when nothing would fail (warnings included), 1 when something would (each FAIL line says what to do),
2 for a bad option. --json prints the report as JSON on stdout.

Examples:
  shadowit check --workspace <workspace-guid>
  shadowit check --workspace <workspace-guid> --json > check.json`;

export function registerCheck(program: Command): void {
    program
        .command("check")
        .summary("check a workspace: tables, schema, daily rows, streams and query limits")
        .description("Checks what a Log Analytics workspace holds for the companion, and whether exports and the generated M would work on it.")
        .requiredOption("--workspace <guid>", "Log Analytics workspace ID (GUID, on the workspace's Overview page)")
        .option("--tenant <id>", "Microsoft Entra tenant (directory) ID to sign in to")
        .option("--device-code", "sign in with a device code (the prompt is printed on stderr)")
        .option("--token <token>", "bearer token to send as is (the emulator's; env SHADOWIT_TOKEN)")
        .option("--endpoint <url>", "query API base URL incl. /v1, for sovereign clouds or the emulator (env SHADOWIT_LOGS_ENDPOINT)")
        .option("--ca <file>", "PEM file of a CA certificate to trust, e.g. the emulator's (env SHADOWIT_CA_FILE)")
        .option("--row-limit <rows>", "rows per query to check against (the service's: 500000)")
        .option("--byte-limit <bytes>", "bytes per query to check against (the service's: about 100000000)")
        .option("--json", "print the report as JSON")
        .addHelpText("after", HELP)
        .action(async (flags: CheckFlags) => {
            const report = await runCheck({
                workspace: flags.workspace, tenant: flags.tenant, deviceCode: flags.deviceCode, token: flags.token,
                endpoint: flags.endpoint, ca: flags.ca, rowLimit: flags.rowLimit, byteLimit: flags.byteLimit,
            });
            process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
            if (!report.ok) {
                const failures = report.findings.filter(f => f.level === "fail").length;
                throw new UserError(`check: ${failures} problem(s) would make an export or the M fail (see the FAIL lines)`, 1);
            }
        });
}
