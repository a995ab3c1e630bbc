import { readFileSync } from "node:fs";
import { join, posix, relative, resolve, win32 } from "node:path";
import type { Command } from "commander";
import { UserError } from "../errors.ts";
import { workspaceOfExportFolder } from "../m/folder-workspace.ts";
import { findPackagedVisual } from "../../preview/build.ts";
import {
    DEFAULT_DESKTOP_DAYS, DEFAULT_FOLDER_DESKTOP_DAYS, DEFAULT_KEEP_DAYS, DEFAULT_REFRESH_DAYS, DEFAULT_REPORT_NAME, MAX_DESKTOP_DAYS,
} from "../report/options.ts";
import { buildProject, readPackagedVisual, validateReportOptions, writeProject } from "../report/index.ts";

interface ReportCommandOptions {
    workspace?: string;
    out?: string;
    name?: string;
    days?: string;
    keepDays?: string;
    refreshDays?: string;
    visual?: string;
    force?: boolean;
    fromFolder?: string;
}

const REPO_ROOT = join(__dirname, "..", "..", "..");

const HELP = `
Writes a Power BI Project: <Name>.pbip, <Name>.SemanticModel (TMDL) and <Name>.Report (PBIR) with the
shadowit visual embedded as a private custom visual. Open the .pbip in Power BI Desktop, check the WorkspaceId
parameter, sign in to Log Analytics with an Organizational account and refresh; see README, "Publish to the Power
BI service". docs/report.md describes the model and why every query stays under the API's limits.

Examples:
  shadowit report --workspace 6f1c0f0e-1234-4bcd-9a0b-0123456789ab --out ./shadow-it
  shadowit report --workspace 6f1c0f0e-1234-4bcd-9a0b-0123456789ab --out ./shadow-it --name "Contoso Shadow IT" --keep-days 180
  shadowit report --from-folder ./exports --out ./shadow-it-offline`;

function loadVisual(given: string | undefined): ReturnType<typeof readPackagedVisual> {
    const file = given !== undefined ? resolve(given) : findPackagedVisual(REPO_ROOT)?.file;
    if (file === undefined) {
        throw new UserError("no packaged visual in dist/: run `npm run package` first, or give --visual <file.pbiviz>", 1);
    }
    let archive: Buffer;
    try {
        archive = readFileSync(file);
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? String(error);
        throw new UserError(`cannot read the visual package ${file} (${code}); give --visual <file.pbiviz> or run \`npm run package\``, given !== undefined ? 2 : 1);
    }
    return readPackagedVisual(archive, file);
}

export function registerReport(program: Command): void {
    program
        .command("report")
        .summary("write a Power BI project (PBIP: TMDL model, PBIR report, the visual) over a Log Analytics workspace")
        .description("Writes a Power BI Project (.pbip) whose semantic model loads Defender for Cloud Apps discovery data, alerts and sign-ins from Log Analytics with incremental refresh, and whose report shows them with the shadowit visual.")
        .option("-w, --workspace <guid>", "Log Analytics workspace ID (Azure portal: the workspace's Overview page, \"Workspace ID\")")
        .option("-o, --out <dir>", "folder to write the project into (created; must be empty unless --force)")
        .option("--name <name>", "project name: names the .pbip and its two folders", DEFAULT_REPORT_NAME)
        .option("--days <n>", `days Power BI Desktop loads before publishing (1-${MAX_DESKTOP_DAYS}; default ${DEFAULT_DESKTOP_DAYS}, ${DEFAULT_FOLDER_DESKTOP_DAYS} with --from-folder)`)
        .option("--keep-days <n>", "incremental refresh: days kept in the service (rolling window)", String(DEFAULT_KEEP_DAYS))
        .option("--refresh-days <n>", "incremental refresh: days reloaded on every refresh (at least 2, for late-arriving logs)", String(DEFAULT_REFRESH_DAYS))
        .option("--from-folder <dir>", "read the files of `shadowit export --out <dir>` instead of Log Analytics (the service needs a gateway for a local folder)")
        .option("--visual <file>", "the packaged visual to embed (default: the newest dist/*.pbiviz)")
        .option("--force", "replace the contents of a non-empty --out folder")
        .addHelpText("after", HELP)
        .action((opts: ReportCommandOptions) => {
            // Power BI needs an absolute path; one already absolute (Windows or POSIX style) is kept as written.
            const given = opts.fromFolder;
            const fromFolder = given === undefined || given.trim() === "" ? given
                : win32.isAbsolute(given) || posix.isAbsolute(given) ? given : resolve(given);
            const workspace = opts.workspace ?? (fromFolder ? workspaceOfExportFolder(fromFolder) : undefined);
            const options = validateReportOptions({ ...opts, workspace, fromFolder });
            if (!opts.out || opts.out.trim() === "") throw new UserError("--out is required: the folder to write the project into");
            const visual = loadVisual(opts.visual);
            const project = buildProject(options, visual, new Date());
            const target = writeProject(project, opts.out, opts.force === true);
            const pbip = join(target, `${options.name}.pbip`);
            const next = options.fromFolder === undefined
                ? `Open it in Power BI Desktop, check the WorkspaceId parameter (${options.workspace}), sign in with an Organizational account and refresh.`
                : `Open it in Power BI Desktop and refresh: it reads ${options.fromFolder} (in the service, through an on-premises data gateway).`;
            process.stdout.write(`shadowit: wrote the Power BI project ${relative(process.cwd(), pbip) || pbip}\n${next}\n`);
        });
}
