// `npm start` also writes the sample tenant's Power BI project over its export, so that anyone with Power BI
// Desktop can open the whole report on the sample data at once.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_FOLDER_DESKTOP_DAYS, MAX_KEEP_DAYS, validateReportOptions } from "./options.ts";
import { readPackagedVisual } from "./pbiviz.ts";
import { buildProject, writeProject } from "./project.ts";

export const SAMPLE_PROJECT_NAME = "Shadow IT sample";

export interface SampleProjectOptions {
    /** The export folder (`shadowit export --out`), absolute. */
    readonly exportDir: string;
    readonly workspaceId: string;
    readonly visualFile: string;
    /** Where the project goes; replaced on every start. */
    readonly out: string;
    readonly now: Date;
}

const DAY_MS = 86_400_000;

/**
 * The days Desktop loads: every UTC day of the export, from its first day file to now's day, so that the project
 * shows the figures the preview shows (the sample covers the 30 days before its end: 31 UTC days unless it ends at
 * midnight); at least the folder default.
 */
export function sampleDesktopDays(exportDir: string, workspaceId: string, now: Date): number {
    const folder = join(exportDir, workspaceId, "McasShadowItReporting");
    const days = existsSync(folder) ? readdirSync(folder).filter(n => /^\d{4}-\d{2}-\d{2}\.(parquet|csv)$/i.test(n)).map(n => Date.parse(`${n.slice(0, 10)}T00:00:00Z`)) : [];
    if (days.length === 0) return DEFAULT_FOLDER_DESKTOP_DAYS;
    const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
    const spanned = Math.floor((today - Math.min(...days)) / DAY_MS) + 1;
    return Math.min(MAX_KEEP_DAYS, Math.max(DEFAULT_FOLDER_DESKTOP_DAYS, spanned));
}

/** Writes the project and returns the path of its .pbip. */
export function writeSampleProject(options: SampleProjectOptions): string {
    const report = validateReportOptions({
        workspace: options.workspaceId, fromFolder: options.exportDir, name: SAMPLE_PROJECT_NAME,
        days: sampleDesktopDays(options.exportDir, options.workspaceId, options.now),
    });
    const visual = readPackagedVisual(readFileSync(options.visualFile), options.visualFile);
    const target = writeProject(buildProject(report, visual, options.now), options.out, true);
    return join(target, `${SAMPLE_PROJECT_NAME}.pbip`);
}
