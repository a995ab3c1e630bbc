export { runExport, estimatedRowBytes } from "./run.ts";
export type { ExportDeps, ExportSummary, TableExportSummary, ExportedFileSummary, ExportOptions } from "./run.ts";
export { MANIFEST_NAME, MANIFEST_KIND, MANIFEST_VERSION, parseManifest, readManifest } from "./manifest.ts";
export type { Manifest, ManifestTable, ManifestFile, ManifestColumn, ExportFormat } from "./manifest.ts";
export { planWindows, bisect, splitByUtcDay } from "./windows.ts";
export { DEFAULT_DAYS, DEFAULT_ROW_BUDGET, DEFAULT_BYTE_BUDGET } from "./options.ts";
