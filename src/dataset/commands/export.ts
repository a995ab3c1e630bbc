import { Command, Option } from "commander";
import { runExport } from "../export/index.ts";
import type { ExportFormat } from "../export/manifest.ts";

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
    quiet?: boolean;
    progress?: "auto" | "bar" | "lines" | "none";
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

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
        .option("--table <name>", "table to export, repeatable: McasShadowItReporting (default), SecurityAlert, SigninLogs", collect)
        .option("--tenant <id>", "Microsoft Entra tenant (directory) ID to sign in to")
        .option("--device-code", "sign in with a device code (the prompt is printed on stderr)")
        .option("--token <token>", "bearer token to send as is (the emulator's; env SHADOWIT_TOKEN)")
        .option("--endpoint <url>", "query API base URL incl. /v1, for sovereign clouds or the emulator (env SHADOWIT_LOGS_ENDPOINT)")
        .option("--ca <file>", "PEM file of a CA certificate to trust, e.g. the emulator's (env SHADOWIT_CA_FILE)")
        .option("--overlap <minutes>", "minutes re-read before the last export's watermark, for late-arriving rows", "15")
        .option("--row-budget <rows>", "most rows per query window (service limit 500000)", "200000")
        .option("--byte-budget <bytes>", "most estimated response bytes per query window", "48000000")
        .option("--concurrency <n>", "query windows at a time (1-5)", "3")
        .option("--quiet", "no progress output (warnings are still printed)")
        .addOption(new Option("--progress <mode>", "progress output").choices(["auto", "bar", "lines", "none"]).default("auto"))
        .action(async (flags: ExportFlags) => {
            const summary = await runExport({
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
                progress: flags.quiet ? "none" : flags.progress,
            });
            if (!flags.quiet) {
                for (const t of summary.tables) {
                    const range = t.range ? `${t.range.start}–${t.range.end}` : "nothing new";
                    process.stderr.write(`${t.table}: ${t.rows} rows read (${range}), ${t.files.length} file(s) written, watermark ${t.watermark ?? "none"}\n`);
                }
                process.stderr.write(`manifest: ${summary.manifestPath}\n`);
            }
        });
}
