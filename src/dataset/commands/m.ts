import { posix, resolve, win32 } from "node:path";
import type { Command } from "commander";
import { REQUIRED_TABLE, SUPPORTED_TABLE_NAMES } from "../tables.ts";
import { DEFAULT_M_DAYS, generateM, M_GRAINS, M_LAYOUTS, MAX_M_DAYS, type MOptions } from "../m/index.ts";
import { workspaceOfExportFolder } from "../m/folder-workspace.ts";
import { tablesHelpBlock } from "./table-help.ts";

interface MCommandOptions {
    workspace?: string;
    days?: string;
    grain?: string;
    table?: string;
    fromFolder?: string;
    layout?: string;
}

const HELP = `
Output (stdout): Power Query M for Power BI Desktop. With the default --layout blocks it prints four queries,
each under a "===== Query n of 4: <name> =====" line: the parameters WorkspaceId (Text), RangeStart and RangeEnd
(Date/Time, UTC) and the table query. For each one: Home > Transform data > New Source > Blank Query >
Advanced Editor, paste the text, and rename the query to the name shown. --layout section prints the same
queries as one "section Section1;" document (the form Power BI stores queries in).

The table query calls the Log Analytics API on the literal host https://api.loganalytics.io with the workspace in
RelativePath (the Power BI service refreshes such a query; a computed URL it refuses), filters
TimeGenerated >= RangeStart and < RangeEnd in the KQL and again in M (for incremental refresh), and types every
column from the types in the response. Sign in with an Organizational account that can read the workspace.

Grains: day and hour summarize in Log Analytics by time bin, stream, app, category, score, tags and user, so a
refresh stays under the service limits (500,000 rows, about 100 MB); none summarizes over the whole range; raw
loads every row. IpAddress is only in raw: distinct IP counts cannot be added up across aggregated rows.

${tablesHelpBlock()}

Examples:
  shadowit m --workspace 6f1c0f0e-1234-4bcd-9a0b-0123456789ab > mcas.pq
  shadowit m --workspace 6f1c0f0e-1234-4bcd-9a0b-0123456789ab --grain hour --days 7
  shadowit m --from-folder D:\\exports --table SecurityAlert`;

export function registerM(program: Command): void {
    program
        .command("m")
        .summary("print Power Query M that loads a table from Log Analytics (or an export folder) into Power BI")
        .description("Prints Power Query M that loads a Log Analytics table into a Power BI dataset refreshable in the Power BI service, with incremental refresh parameters.")
        .option("-w, --workspace <guid>", "Log Analytics workspace ID (Azure portal: the workspace's Overview page, \"Workspace ID\")")
        .option("--days <n>", `days loaded by default, before the end of today UTC (1-${MAX_M_DAYS})`, String(DEFAULT_M_DAYS))
        .option("--grain <grain>", `aggregation pushed to Log Analytics: ${M_GRAINS.join(", ")} (default: day)`)
        .option("--table <name>", `table: ${SUPPORTED_TABLE_NAMES.join(", ")}`, REQUIRED_TABLE.name)
        .option("--from-folder <dir>", "load the files written by `shadowit export --out <dir>` instead of querying Log Analytics")
        .option("--layout <layout>", `output form: ${M_LAYOUTS.join(", ")}`, "blocks")
        .addHelpText("after", HELP)
        .action((opts: MCommandOptions) => {
            // Power BI needs an absolute path; one already absolute (Windows or POSIX style) is kept as written.
            const given = opts.fromFolder;
            const fromFolder = given === undefined ? undefined
                : win32.isAbsolute(given) || posix.isAbsolute(given) ? given : resolve(given);
            const workspace = opts.workspace ?? (fromFolder !== undefined ? workspaceOfExportFolder(fromFolder) : undefined);
            const options: MOptions = {
                workspace: workspace ?? "",
                days: opts.days,
                grain: opts.grain,
                table: opts.table,
                fromFolder,
                layout: opts.layout,
            };
            process.stdout.write(generateM(options).text);
        });
}
