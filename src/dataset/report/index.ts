export { buildProject, writeProject } from "./project.ts";
export type { Project } from "./project.ts";
export { validateReportOptions, validateName, DEFAULT_REPORT_NAME } from "./options.ts";
export type { ReportOptions, RawReportOptions } from "./options.ts";
export { readPackagedVisual } from "./pbiviz.ts";
export type { PackagedVisual } from "./pbiviz.ts";
export { buildSemanticModel, TABLE } from "./model.ts";
