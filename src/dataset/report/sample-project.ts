// `npm start` also writes the sample tenant's Power BI project over its export, so that anyone with Power BI
// Desktop can open the whole report on the sample data at once.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { validateReportOptions } from "./options.ts";
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

/** Writes the project and returns the path of its .pbip. */
export function writeSampleProject(options: SampleProjectOptions): string {
    const report = validateReportOptions({ workspace: options.workspaceId, fromFolder: options.exportDir, name: SAMPLE_PROJECT_NAME });
    const visual = readPackagedVisual(readFileSync(options.visualFile), options.visualFile);
    const target = writeProject(buildProject(report, visual, options.now), options.out, true);
    return join(target, `${SAMPLE_PROJECT_NAME}.pbip`);
}
