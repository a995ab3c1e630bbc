import { normalizeAppId } from "../model/app-id";

/*
 * "Open in Microsoft Defender": the page of a discovered app in Defender for Cloud Apps, opened through the host.
 *
 * The address. Microsoft documents no per-app address in the Defender portal (security.microsoft.com): its docs
 * reach an app by Cloud apps > Cloud app catalog (learn.microsoft.com/defender-cloud-apps/risk-score, "Cloud app
 * catalog") and open it from the list; the catalogue itself is https://security.microsoft.com/cloudapps/app-catalog.
 * The per-app address Microsoft did document is the Defender for Cloud Apps portal's app page
 * https://portal.cloudappsecurity.com/#/services/<AppId> (MicrosoftDocs/CloudAppSecurityDocs,
 * connect-google-apps-to-microsoft-cloud-app-security.md until November 2019: "#/services/11770?tab=files" for
 * Google Workspace, AppId 11770); that portal now sends its users on to the Defender portal
 * (MicrosoftDocs/CloudAppSecurityDocs issue #639). The pattern lives in this one constant, so that a documented
 * Defender-portal address can replace it in one line; docs/visual.md says the same.
 *
 * The host. `host.launchUrl(url)` (Visuals API 1.9 and later, learn.microsoft.com/power-bi/developer/visuals/
 * launch-url) asks Power BI to open an absolute http or https address in a new tab: visuals run in a sandboxed
 * iframe that cannot open one itself. It needs no privilege: the "WebAccess" privilege of capabilities.json
 * (learn.microsoft.com/power-bi/developer/visuals/capabilities, "Allow web access") governs requests the visual
 * itself makes to the listed URLs, and this visual makes none, so its privileges keep no WebAccess entry. The docs
 * ask that a link open only on an explicit user action, never from update(): it does (a click or a key).
 *
 * The AppId is the only part taken from the data, and only as digits (app-id.ts), encoded anyway.
 */
export const DEFENDER_APP_PAGE_PREFIX = "https://portal.cloudappsecurity.com/#/services/";

/** The app's page in Defender for Cloud Apps, or null when `rawAppId` is no valid AppId. */
export function defenderAppUrl(rawAppId: unknown): string | null {
    const appId = normalizeAppId(rawAppId);
    return appId === null ? null : `${DEFENDER_APP_PAGE_PREFIX}${encodeURIComponent(appId)}`;
}
