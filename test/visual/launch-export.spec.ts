import { DiscoveryRow } from "./helpers/discovery-data";
import { buildDataView, GroupingRole, MeasureRole } from "./helpers/data-view";
import { flushPromises, HostOptions, ShadowItBuilder } from "./helpers/visual-builder";

const DEFENDER = "https://portal.cloudappsecurity.com/#/services/";
const BOM = "\uFEFF";

function row(app: string, category: string, score: number | null, tags: string | null, total: number, blocked: number,
    appId: number | string | null, extra: Partial<DiscoveryRow> = {}): DiscoveryRow {
    return {
        category, app, stream: "Engineering", score, tags, uploaded: Math.round(total / 4), downloaded: total - Math.round(total / 4),
        total, events: blocked * 10, blocked, users: 1, ips: 1, appId, ...extra,
    };
}

function key(element: Element, name: string, init: KeyboardEventInit = {}): void {
    element.dispatchEvent(new KeyboardEvent("keydown", { key: name, bubbles: true, cancelable: true, ...init }));
}

const APP_GROUPINGS: readonly GroupingRole[] = ["AppName", "AppCategory", "AppScore", "AppTags", "AppId"];
const APP_MEASURES: readonly MeasureRole[] = ["TotalBytes", "BlockedEvents"];

describe("Shadow IT Discovery: Open in Microsoft Defender and Download CSV", () => {
    let builder: ShadowItBuilder;
    let consoleError: jasmine.Spy;

    async function setUp(rows: readonly DiscoveryRow[], options: HostOptions = {},
        groupings: readonly GroupingRole[] = APP_GROUPINGS, measures: readonly MeasureRole[] = APP_MEASURES): Promise<void> {
        builder = new ShadowItBuilder({ width: 1100, height: 800, ...options });
        builder.render(buildDataView(rows, { groupings, measures }));
        // The host answers exportStatus after the first update; the visual then draws the download buttons.
        await flushPromises();
    }

    function launchButton(label: string): HTMLButtonElement | null {
        return builder.mark("top-apps", label).querySelector<HTMLButtonElement>(".shadowit-launch");
    }

    function exportButton(panel: string): HTMLButtonElement | null {
        return builder.panel(panel)!.querySelector<HTMLButtonElement>(".shadowit-export");
    }

    beforeEach(() => {
        consoleError = spyOn(console, "error").and.callThrough();
    });

    afterEach(() => {
        expect(consoleError).not.toHaveBeenCalled();
        builder.remove();
    });

    describe("the launch link", () => {
        const hostileIds: readonly (number | string | null)[] = [
            null, "", "   ", "abc", "12;javascript:alert(1)", "javascript:alert(1)", 12_345_678_901, "99999999999",
            "x".repeat(10_000), "<img src=x onerror=alert(1)>", -11161, 11161.5, "1e5", "11161/../../evil",
        ];
        const rows = [
            row("Dropbox", "Cloud storage", 6, "[\"unsanctioned\"]", 4_070_000_000, 35, 11161),
            row("Google Workspace", "Collaboration", 9, "[\"sanctioned\"]", 3_000_000_000, 0, " 11770 "),
            ...hostileIds.map((id, i) => row(`Hostile ${i}`, "Webmail", 3, null, 1_000_000 * (100 - i), 1, id)),
        ];

        it("is offered only for apps with a valid AppId, and opens exactly the app's Defender page", async () => {
            await setUp(rows, { height: 1400 });
            expect(builder.marks("top-apps").length).toBe(Math.min(10, rows.length));
            const dropbox = launchButton("Dropbox");
            expect(dropbox).not.toBeNull();
            expect(dropbox!.getAttribute("aria-label")).toBe("Open Dropbox in Microsoft Defender");
            expect(dropbox!.tagName).toBe("BUTTON");
            expect(dropbox!.tabIndex).toBe(-1);
            expect(launchButton("Google Workspace")!.getAttribute("aria-label")).toBe("Open Google Workspace in Microsoft Defender");
            for (const mark of builder.marks("top-apps").filter(m => (m.getAttribute("aria-label") ?? "").startsWith("Hostile"))) {
                expect(mark.querySelector(".shadowit-launch")).withContext(mark.getAttribute("aria-label") ?? "").toBeNull();
                expect(mark.hasAttribute("aria-keyshortcuts")).toBeFalse();
            }
            dropbox!.click();
            launchButton("Google Workspace")!.click();
            expect(builder.services.launched).toEqual([`${DEFENDER}11161`, `${DEFENDER}11770`]);
            expect(builder.services.ignoredLaunches).toEqual([]);
            // The button opens the page; it does not select the app.
            expect(builder.filters.calls).toEqual([]);
        });

        it("opens from the keyboard with O on the focused row, and never from a row without a link", async () => {
            await setUp(rows, { height: 1400 });
            const dropbox = builder.mark("top-apps", "Dropbox");
            expect(dropbox.getAttribute("aria-keyshortcuts")).toBe("O");
            dropbox.focus();
            key(dropbox, "o");
            key(builder.mark("top-apps", "Hostile 0"), "O");
            key(dropbox, "o", { ctrlKey: true });
            expect(builder.services.launched).toEqual([`${DEFENDER}11161`]);
            expect(builder.filters.calls).toEqual([]);
        });

        it("is not offered without AppId, nor when the host allows no interactions", async () => {
            await setUp(rows, {}, ["AppName", "AppCategory", "AppScore", "AppTags"]);
            expect(builder.panel("top-apps")!.querySelectorAll(".shadowit-launch").length).toBe(0);
            builder.remove();
            await setUp(rows, { allowInteractions: false });
            launchButton("Dropbox")!.click();
            key(builder.mark("top-apps", "Dropbox"), "o");
            expect(builder.services.launched).toEqual([]);
        });
    });

    describe("the CSV download", () => {
        const rows = [
            row("Dropbox", "Cloud storage", 6, "[\"unsanctioned\"]", 4_070_000_000, 35, 11161),
            row("Dropbox", "Cloud storage", 6, "[\"unsanctioned\"]", 930_000_000, 5, 11161, { stream: "Legal" }),
            row("=HYPERLINK(\"http://evil.example\",\"x\")", "Generative AI", 2, null, 1_500_000_000, 0, "abc"),
            row("Box, \"Inc.\"", "Cloud storage", 9, "[\"sanctioned\"]", 1_200_000_000, 1_234, "11770"),
            row("@SUM(A1)", "Webmail", null, null, 512_000_000, 0, null),
            row("-2+3", "Webmail", 10, "[\"sanctioned\"]", 1_000, 0, 10001),
        ];

        it("hands the host the top apps in the table's order and texts, with formula cells defused", async () => {
            await setUp(rows);
            const button = exportButton("top-apps")!;
            expect(button.getAttribute("aria-label")).toBe("Download Top apps by traffic as CSV");
            expect(button.hasAttribute("aria-disabled")).toBeFalse();
            // A real button in the Tab order (Enter and Space press it), unlike the rows' launch buttons, which the O key replaces.
            expect(button.tagName).toBe("BUTTON");
            expect(button.tabIndex).toBe(0);
            button.click();
            await flushPromises();
            expect(builder.services.downloads.length).toBe(1);
            const download = builder.services.downloads[0];
            expect(download.fileName).toBe("shadowit-top-apps.csv");
            expect(download.fileType).toBe("csv");
            expect(download.fileDescription).toBe("Top apps by traffic");
            expect(download.content).toBe(BOM + [
                "\"Rank\",\"App\",\"App ID\",\"Category\",\"Score\",\"Risk bands\",\"Status\",\"Traffic\",\"Traffic (bytes)\",\"Blocked events\",\"Used after unsanctioned\",\"Used after unsanctioned (bytes)\",\"Share of events blocked\",\"Open in Microsoft Defender\"",
                // Without Time generated an unsanctioned app with traffic is "still used" over the whole range; its
                // blocked share needs Total events, which is not bound here.
                `1,"Dropbox","11161","Cloud storage","6","Medium risk","⚠ unsanctioned","5.00 GB",5000000000,"40","5.00 GB",5000000000,,"${DEFENDER}11161"`,
                "2,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",,\"Generative AI\",\"2\",\"High risk\",\"other tags\",\"1.50 GB\",1500000000,\"0\",,,,",
                `3,"Box, ""Inc.""","11770","Cloud storage","9","Low risk","sanctioned","1.20 GB",1200000000,"1,234",,,,"${DEFENDER}11770"`,
                "4,\"'@SUM(A1)\",,\"Webmail\",\"–\",\"Unscored\",\"other tags\",\"512 MB\",512000000,\"0\",,,,",
                `5,"'-2+3","10001","Webmail","10","Low risk","sanctioned","1.00 kB",1000,"0",,,,"${DEFENDER}10001"`,
            ].join("\r\n") + "\r\n");
            // The table on screen shows the same order.
            expect(builder.labels("top-apps").map(label => label.split(" (")[0])).toEqual([
                "Dropbox", "=HYPERLINK(\"http://evil.example\",\"x\")", "Box, \"Inc.\"", "@SUM(A1)", "-2+3",
            ]);
        });

        it("downloads the top users with their flags, names defused", async () => {
            const people = [
                row("Dropbox", "Cloud storage", 2, "[\"unsanctioned\"]", 2_000_000_000, 3, 11161, { user: "adele@contoso.com", uploaded: 1_400_000_000, downloaded: 600_000_000 }),
                row("Box", "Cloud storage", 9, "[\"sanctioned\"]", 500_000_000, 0, 11770, { user: "=cmd|' /C calc'!A0", uploaded: 300_000_000, downloaded: 200_000_000 }),
            ];
            await setUp(people, {}, ["AppName", "AppScore", "AppTags", "UserName"], ["UploadedBytes", "DownloadedBytes", "BlockedEvents"]);
            exportButton("top-users")!.click();
            await flushPromises();
            const download = builder.services.downloads[0];
            expect(download.fileName).toBe("shadowit-top-users.csv");
            expect(download.fileType).toBe("csv");
            expect(download.content).toBe(BOM + [
                "\"Rank\",\"User name\",\"Uploaded\",\"Uploaded (bytes)\",\"Downloaded\",\"Downloaded (bytes)\",\"High risk\",\"High risk (bytes)\",\"Unsanctioned\",\"Unsanctioned (bytes)\",\"Blocked events\"",
                "1,\"adele@contoso.com\",\"1.40 GB\",1400000000,\"600 MB\",600000000,\"2.00 GB\",2000000000,\"2.00 GB\",2000000000,\"3\"",
                "2,\"'=cmd|' /C calc'!A0\",\"300 MB\",300000000,\"200 MB\",200000000,\"0 B\",0,\"0 B\",0,\"0\"",
            ].join("\r\n") + "\r\n");
        });

        it("explains why when the tenant's admin turned downloads off, and downloads nothing", async () => {
            await setUp(rows, { download: 3 });
            const button = exportButton("top-apps")!;
            expect(button.getAttribute("aria-disabled")).toBe("true");
            expect(button.getAttribute("aria-label")).toContain("Allow downloads from custom visuals");
            expect(button.title).toBe(button.getAttribute("aria-label")!);
            button.click();
            await flushPromises();
            expect(builder.services.downloads).toEqual([]);
        });

        it("says the host does not support it, and offers nothing on a host without the API or its status", async () => {
            await setUp(rows, { download: 2 });
            expect(exportButton("top-apps")!.getAttribute("aria-label")).toContain("does not let visuals download files");
            for (const download of ["missing", "no-status"] as const) {
                builder.remove();
                await setUp(rows, { download });
                expect(builder.element.querySelectorAll(".shadowit-export").length).withContext(download).toBe(0);
            }
            // Panels without an exportTable declaration get no button.
            expect(exportButton("category-traffic")).toBeNull();
        });
    });

    describe("the AI apps list", () => {
        const day = (d: number): Date => new Date(2026, 2, d);
        const rows = [
            row("ChatGPT", "Generative AI", 5, "[\"sanctioned\"]", 3_000_000_000, 2, 29_135, { time: day(1), user: "adele@contoso.com" }),
            row("ChatGPT", "Generative AI", 5, "[\"sanctioned\"]", 1_000_000_000, 0, 29_135, { time: day(2), user: "megan@contoso.com" }),
            row("=Bard", "Generative AI", 3, "[\"unsanctioned\"]", 2_000_000_000, 1, "abc", { time: day(2), user: "adele@contoso.com" }),
            row("GitHub MCP Server", "MCP server", 7, null, 400_000_000, 0, "11599", { time: day(3), user: "lee@contoso.com" }),
            row("Dropbox", "Cloud storage", 6, null, 9_000_000_000, 0, 11161, { time: day(1), user: "lee@contoso.com" }),
        ];
        const groupings: readonly GroupingRole[] = ["AppName", "AppCategory", "AppScore", "AppTags", "AppId", "TimeGenerated", "UserName"];

        it("opens an AI app's Defender page from its row, and only for a valid AppId", async () => {
            await setUp(rows, { height: 1400 }, groupings, ["TotalBytes", "UploadedBytes", "BlockedEvents"]);
            const chatGpt = builder.mark("ai-apps", "ChatGPT");
            const button = chatGpt.querySelector<HTMLButtonElement>(".shadowit-launch")!;
            expect(button.getAttribute("aria-label")).toBe("Open ChatGPT in Microsoft Defender");
            expect(builder.mark("ai-apps", "=Bard").querySelector(".shadowit-launch")).toBeNull();
            button.click();
            key(builder.mark("ai-apps", "GitHub MCP Server"), "o");
            expect(builder.services.launched).toEqual([`${DEFENDER}29135`, `${DEFENDER}11599`]);
        });

        it("downloads the AI apps in the panel's order, with first-seen days and defused names", async () => {
            await setUp(rows, { height: 1400 }, groupings, ["TotalBytes", "UploadedBytes", "BlockedEvents"]);
            const button = exportButton("ai-apps")!;
            expect(button.getAttribute("aria-label")).toBe("Download AI apps as CSV");
            button.click();
            await flushPromises();
            const download = builder.services.downloads[0];
            expect(download.fileName).toBe("shadowit-ai-apps.csv");
            const lines = download.content.slice(BOM.length).split("\r\n");
            expect(lines[0]).toBe("\"Rank\",\"App name\",\"App category\",\"Status\",\"Traffic\",\"Traffic (bytes)\",\"Uploaded\",\"Uploaded (bytes)\",\"First seen\",\"Open in Microsoft Defender\"");
            expect(lines.slice(1, 4).map(line => line.split(",").slice(0, 2).join(","))).toEqual([
                "1,\"ChatGPT\"", "2,\"'=Bard\"", "3,\"GitHub MCP Server\"",
            ]);
            expect(lines[1]).toContain(`"${DEFENDER}29135"`);
            expect(lines[2]).toContain("\"unsanctioned\"");
            expect(lines[2].endsWith(",")).toBeTrue();
            expect(lines.length).toBe(5);
        });
    });
});
