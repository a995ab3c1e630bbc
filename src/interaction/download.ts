import powerbi from "powerbi-visuals-api";
import { csvText, CsvTable } from "../export/csv";
import type { DownloadAvailability } from "../render/export-button";
import IDownloadService = powerbi.extensibility.IDownloadService;

/*
 * The file download API (learn.microsoft.com/power-bi/developer/visuals/file-download-api):
 * `host.downloadService.exportVisualsContent(content, fileName, fileType, fileDescription)` (API 4.5 and later)
 * asks the user to confirm and saves the file; `exportStatus()` (API 4.6 and later, the check permissions API)
 * says whether it may. The visual declares the "ExportContent" privilege in capabilities.json; the tenant setting
 * "Allow downloads from custom visuals" (Admin portal > Tenant settings > Power BI visuals) must be on, and is
 * separate from the Export and sharing settings; files are limited to 30 MB. The visual targets API 5.11, which has
 * all three methods, so pbiviz.json keeps its apiVersion.
 */

/** PrivilegeStatus is a const enum in powerbi-visuals-api (no value at run time): its values, as the API defines them. */
export const PrivilegeStatus = { Allowed: 0, NotDeclared: 1, NotSupported: 2, DisabledByAdmin: 3 } as const;

/** What a status means for the download button; an unknown value counts as not supported. */
export function downloadAvailabilityOf(status: unknown): DownloadAvailability {
    switch (status) {
        case PrivilegeStatus.Allowed: return { allowed: true };
        case PrivilegeStatus.DisabledByAdmin: return { allowed: false, reasonKey: "Visual_Export_DisabledByAdmin" };
        case PrivilegeStatus.NotDeclared: return { allowed: false, reasonKey: "Visual_Export_NotDeclared" };
        default: return { allowed: false, reasonKey: "Visual_Export_NotSupported" };
    }
}

/**
 * Asks the host once whether downloads are allowed. Undefined (no button) when the host has no download service or
 * no `exportStatus` (a host older than API 4.6 cannot say, and the visual does not offer what may fail); a failed
 * question counts as not supported.
 */
export async function readDownloadAvailability(service: IDownloadService | undefined): Promise<DownloadAvailability | undefined> {
    if (!service || typeof service.exportVisualsContent !== "function" || typeof service.exportStatus !== "function") return undefined;
    try {
        return downloadAvailabilityOf(await service.exportStatus());
    } catch {
        return downloadAvailabilityOf(PrivilegeStatus.NotSupported);
    }
}

/** Hands a panel's table to the host as `shadowit-<panel>.csv`; resolves to whether the host saved it. */
export async function downloadTable(service: IDownloadService, panel: string, title: string, table: CsvTable): Promise<boolean> {
    try {
        return await service.exportVisualsContent(csvText(table), `shadowit-${panel}.csv`, "csv", title) === true;
    } catch {
        return false;
    }
}
