// McasShadowItReporting rows in the Azure Monitor table reference's schema (src/schema.ts,
// MCAS_SHADOW_IT_REPORTING_AZURE_MONITOR): the sample's records with AppId as text and the reference's extra
// columns filled the way a workspace would hold them.
import { mcasRows, type McasRow } from "./mcas.ts";
import type { SampleOptions } from "./options.ts";
import { ENDPOINT_STREAM } from "./tenant.ts";

/** The sample tenant's Entra ID directory (not the workspace: AadTenantId names the directory the data is from). */
export const SAMPLE_AAD_TENANT_ID = "8d2f6b4a-1c37-4e95-a0b8-63f1d7c2e540";
/** The reference types the counters and byte columns int (32 bits): larger values are capped, as int cannot hold them. */
const INT_MAX = 2_147_483_647;
const DAY_MS = 86_400_000;

export interface McasAzureMonitorRow extends Omit<McasRow, "AppId" | "TotalEvents" | "BlockedEvents" | "UploadedBytes" | "TotalBytes" | "DownloadedBytes"> {
    AadTenantId: string;
    AppId: string;
    AppInstance: string;
    Date: Date;
    MachineId: string;
    MachineName: string;
    RawUserName: string;
    RichUserName: string;
    TotalEvents: number;
    BlockedEvents: number;
    UploadedBytes: number;
    TotalBytes: number;
    DownloadedBytes: number;
}

/** 32-bit FNV-1a of the text with a salt, as 8 hex digits: a stable stand-in for an identifier. */
function hex8(text: string, salt: number): string {
    let hash = 0x811c9dc5 ^ salt;
    for (let i = 0; i < text.length; i++) {
        hash ^= text.charCodeAt(i);
        hash = Math.imul(hash, 0x01000193);
    }
    return (hash >>> 0).toString(16).padStart(8, "0");
}

/** A Defender for Endpoint device ID (40 hex digits) and the device's name, derived from its user alone. */
function deviceOf(userName: string): { id: string; name: string } {
    const id = [0, 1, 2, 3, 4].map(salt => hex8(userName, salt)).join("");
    const alias = userName.split("@")[0].replace(/[^A-Za-z0-9]/g, "").slice(0, 8).toUpperCase();
    return { id, name: `LT-${alias}-${id.slice(0, 4).toUpperCase()}` };
}

/**
 * The user as the log source wrote it: firewalls and proxies log the Windows account (DOMAIN\alias), the endpoint
 * stream the sign-in name; records without a user have none.
 */
function rawUserNameOf(userName: string, stream: string): string {
    if (userName === "" || stream === ENDPOINT_STREAM) return userName;
    const [alias, domain = ""] = userName.split("@");
    return `${domain.split(".")[0].toUpperCase()}\\${alias}`;
}

export function toAzureMonitorRow(row: McasRow): McasAzureMonitorRow {
    const endpoint = row.StreamName === ENDPOINT_STREAM && row.UserName !== "";
    const device = endpoint ? deviceOf(row.UserName) : { id: "", name: "" };
    const uploaded = Math.min(INT_MAX, row.UploadedBytes);
    const downloaded = Math.min(INT_MAX, row.DownloadedBytes);
    const time = row.TimeGenerated.getTime();
    return {
        ...row,
        AadTenantId: SAMPLE_AAD_TENANT_ID,
        AppId: String(row.AppId),
        // Discovered traffic is attributed to an app, not to one of its instances: the default instance 0.
        AppInstance: "0",
        Date: new Date(time - (((time % DAY_MS) + DAY_MS) % DAY_MS)),
        MachineId: device.id,
        MachineName: device.name,
        RawUserName: rawUserNameOf(row.UserName, row.StreamName),
        RichUserName: row.UserName,
        TotalEvents: Math.min(INT_MAX, row.TotalEvents),
        BlockedEvents: Math.min(INT_MAX, row.BlockedEvents),
        UploadedBytes: uploaded,
        DownloadedBytes: downloaded,
        TotalBytes: Math.min(INT_MAX, uploaded + downloaded),
    };
}

/** The sample's McasShadowItReporting rows in the Azure Monitor reference's schema. */
export function* mcasAzureMonitorRows(opts: SampleOptions = {}): Generator<McasAzureMonitorRow> {
    for (const row of mcasRows(opts)) yield toAzureMonitorRow(row);
}
