export { runExport } from "./run.ts";
export type { ExportDeps, ExportSummary, ExportOptions } from "./run.ts";
export { estimatedRowBytes } from "./table-export.ts";
export type { TableExportSummary, ExportedFileSummary } from "./table-export.ts";
export { MANIFEST_NAME, MANIFEST_KIND, MANIFEST_VERSION, parseManifest, readManifest } from "./manifest.ts";
export type { Manifest, ManifestTable, ManifestFile, ManifestColumn, ExportFormat } from "./manifest.ts";
export { planWindows, bisect, splitByUtcDay } from "./windows.ts";
export { DEFAULT_DAYS, DEFAULT_ROW_BUDGET, DEFAULT_BYTE_BUDGET } from "./options.ts";
