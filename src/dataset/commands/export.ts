import { Command, Option } from "commander";
import { runExport } from "../export/index.ts";
import type { ExportFormat } from "../export/manifest.ts";
import { tableChoices, tablesHelpBlock } from "./table-help.ts";

interface ExportFlags {
    workspace: string;
    out: string;
    since?: string;
    days?: string;
    until?: string;
    format: string;
    table?: string[];
    tenant?: string;
    deviceCode?: boolean;
    token?: string;
    endpoint?: string;
    ca?: string;
    overlap?: string;
    rowBudget?: string;
    byteBudget?: string;
    concurrency?: string;
    connectTimeout?: string;
    responseTimeout?: string;
    transferTimeout?: string;
    quiet?: boolean;
    progress?: "auto" | "bar" | "lines" | "none";
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;

/**
 * Runs `body` with a signal that Ctrl+C (SIGINT) or SIGTERM aborts, so that the export stops cleanly: it finishes
 * the file it is writing, releases the lock and says what was saved. A second signal gets the default handling
 * (the process ends at once; files are still whole, and the next run cleans up after it).
 */
async function stoppableBySignals<T>(body: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const remove = () => {
        for (const name of STOP_SIGNALS) process.removeListener(name, onSignal);
    };
    function onSignal(name: NodeJS.Signals): void {
        remove();
        process.stderr.write(`\nshadowit: ${name} received: stopping after the file being written (send it again to stop at once)\n`);
        controller.abort(name);
    }
    for (const name of STOP_SIGNALS) process.on(name, onSignal);
    try {
        return await body(controller.signal);
    } finally {
        remove();
    }
}

export function registerExport(program: Command): void {
    program
        .command("export")
        .description(
            "Export tables of a Log Analytics workspace to per-day Parquet or CSV files: " +
            "<out>/<workspaceId>/<table>/<yyyy-mm-dd>.<format> plus manifest.json. Reruns fetch only what is new. " +
            "Every column the workspace's table has is kept, in its order, stored as the type the workspace declares " +
            "(manifest.json marks types other than expected and undocumented columns; see README, \"Columns and types\"). " +
            "Note: the Azure SDK reads numbers as JavaScript doubles, so a long above 2^53 arrives rounded.",
        )
        .requiredOption("--workspace <guid>", "Log Analytics workspace ID (GUID, on the workspace's Overview page)")
        .requiredOption("--out <dir>", "output folder")
        .option("--since <iso>", "start of the range, ISO 8601 (default: since the last export, else 30 days back)")
        .option("--days <n>", "days back from --until (instead of --since)")
        .option("--until <iso>", "end of the range, exclusive (default: now)")
        .addOption(new Option("--format <format>", "file format").choices(["parquet", "csv"]).default("parquet"))
        .option("--table <name>", `table to export, repeatable: ${tableChoices()}`, collect)
        .option("--tenant <id>", "Microsoft Entra tenant (directory) ID to sign in to")
        .option("--device-code", "sign in with a device code (the prompt is printed on stderr)")
        .option("--token <token>", "bearer token to send as is (the emulator's; env SHADOWIT_TOKEN)")
        .option("--endpoint <url>", "query API base URL incl. /v1, for sovereign clouds or the emulator (env SHADOWIT_LOGS_ENDPOINT)")
        .option("--ca <file>", "PEM file of a CA certificate to trust, e.g. the emulator's (env SHADOWIT_CA_FILE)")
        .option("--overlap <minutes>", "minutes re-read before the last export's watermark, for late-arriving rows", "15")
        .option("--row-budget <rows>", "most rows per query window (service limit 500000)", "200000")
        .option("--byte-budget <bytes>", "most estimated response bytes per query window", "48000000")
        .option("--concurrency <n>", "query windows at a time (1-5)", "3")
        .option("--connect-timeout <seconds>", "longest wait to connect (TCP and TLS) to the endpoint", "30")
        .option("--response-timeout <seconds>", "longest wait for a query's answer to start; the service is asked to give up sooner (Prefer: wait)", "300")
        .option("--transfer-timeout <seconds>", "longest wait for the rest of an answer once it has started", "300")
        .option("--quiet", "no progress output (warnings are still printed)")
        .addOption(new Option("--progress <mode>", "progress output").choices(["auto", "bar", "lines", "none"]).default("auto"))
        .addHelpText("after", [
            "",
            "Timeouts are in seconds and apply to each request (a token request, except with --device-code, gets the connect",
            "and response timeouts together). A request that misses one is not retried: the export stops",
            "with a message naming the endpoint, table and window; files already written are kept and the same command",
            "resumes. Ctrl+C or SIGTERM stops cleanly: the file being written is finished, the lock released, and the exit",
            "code is 130 (SIGINT) or 143 (SIGTERM); a second signal stops at once.",
            "",
            tablesHelpBlock(),
        ].join("\n"))
        .action(async (flags: ExportFlags) => {
            const summary = await stoppableBySignals(signal => runExport({
                workspace: flags.workspace,
                out: flags.out,
                since: flags.since,
                days: flags.days,
                until: flags.until,
                format: flags.format as ExportFormat,
                tables: flags.table,
                tenant: flags.tenant,
                deviceCode: flags.deviceCode,
                token: flags.token,
                endpoint: flags.endpoint,
                ca: flags.ca,
                overlapMinutes: flags.overlap,
                rowBudget: flags.rowBudget,
                byteBudget: flags.byteBudget,
                concurrency: flags.concurrency,
                connectTimeout: flags.connectTimeout,
                responseTimeout: flags.responseTimeout,
                transferTimeout: flags.transferTimeout,
                progress: flags.quiet ? "none" : flags.progress,
            }, { signal }));
            if (!flags.quiet) {
                for (const t of summary.tables) {
                    const range = t.range ? `${t.range.start}–${t.range.end}` : "nothing new";
                    process.stderr.write(`${t.table}: ${t.rows} rows read (${range}), ${t.files.length} file(s) written, watermark ${t.watermark ?? "none"}\n`);
                }
                process.stderr.write(`manifest: ${summary.manifestPath}\n`);
            }
        });
}
