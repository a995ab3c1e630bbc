import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dayFromParts, isoDay } from "../../src/model/days.ts";
import { updateModel } from "../../src/model/index.ts";
import type { DashboardModel, DashboardSettings, RoleName } from "../../src/model/types.ts";
import { AI_CATEGORIES_MAX, DEFAULT_AI_CATEGORIES, parseAiCategories } from "../../src/panels/ai-apps/categories.ts";
import type { AiApps } from "../../src/panels/ai-apps/model.ts";
import { ALL_ROLES, buildDataView, DataViewOptions, DiscoveryRow, generateRows, LABELS, settingsWith } from "./builder.ts";

const TODAY = dayFromParts(2026, 3, 2)!;

function localDate(day: number): Date {
    const [y, m, d] = isoDay(day).split("-").map(Number);
    return new Date(y, m - 1, d);
}

function modelOf(rows: readonly DiscoveryRow[], roles: readonly RoleName[], settings: Partial<DashboardSettings> = {},
    exact?: DataViewOptions["exact"]): DashboardModel {
    return updateModel(undefined, buildDataView(rows, { roles, exact }), settingsWith(settings), LABELS, { isAppend: false }).model;
}

function aiAppsOf(rows: readonly DiscoveryRow[], roles: readonly RoleName[], settings: Partial<DashboardSettings> = {},
    exact?: DataViewOptions["exact"]): AiApps {
    const panel = modelOf(rows, roles, settings, exact).panels["ai-apps"];
    if (panel.status !== "ready") throw new Error(`ai-apps is missing ${panel.missing.join(", ")}`);
    return panel.data;
}

const AI = new Set(["generative ai", "ai model provider", "mcp server"]);

/** Generated rows, a week of days, with an AI model provider and an MCP server first seen on later days. */
function rows(): DiscoveryRow[] {
    const base = generateRows(400, 11).map((row, i) => ({ ...row, TimeGenerated: localDate(TODAY - 6 + (i % 7)), UserName: `user${i % 9}@contoso.com` }));
    const extra = (name: string, category: string, day: number, up: number, user: string): DiscoveryRow => ({
        ...base[0], AppName: name, AppCategory: category, AppScore: 6, AppTags: "[]", UploadedBytes: up, DownloadedBytes: 1000,
        TotalBytes: up + 1000, TimeGenerated: localDate(day), UserName: user, Users: 1,
    });
    return [
        ...base,
        extra("OpenAI API", "AI Model Provider", TODAY - 4, 5_000_000, "dev1@contoso.com"),
        extra("OpenAI API", "AI Model Provider", TODAY - 2, 7_000_000, "dev2@contoso.com"),
        // Spelled with other case and spaces: still an AI category.
        extra("GitHub MCP Server", "  mcp server ", TODAY - 1, 2_000_000, "dev1@contoso.com"),
    ];
}

describe("AI apps panel", () => {
    const data = rows();
    const roles: RoleName[] = [...ALL_ROLES, "TimeGenerated", "UserName"];

    it("names the fields it misses", () => {
        const panel = (bound: readonly RoleName[]) => modelOf(data, bound).panels["ai-apps"];
        assert.deepEqual(panel(["AppName", "TotalBytes"]), { status: "missing", missing: ["AppCategory"] });
        assert.deepEqual(panel(["AppCategory", "UploadedBytes"]), { status: "missing", missing: ["AppName", "TotalBytes"] });
        assert.equal(panel(["AppName", "AppCategory", "UploadedBytes", "DownloadedBytes"]).status, "ready");
    });

    it("lists the apps of the AI categories with their traffic, upload, users and first day, most traffic first", () => {
        const ai = aiAppsOf(data, roles, {}, { UsersPerApp: row => (row.AppName === "OpenAI API" ? 2 : row.AppName === "GitHub MCP Server" ? 1 : 40) });
        const byApp = new Map<string, DiscoveryRow[]>();
        for (const row of data) {
            if (!AI.has(String(row.AppCategory).trim().toLowerCase())) continue;
            byApp.set(row.AppName as string, [...(byApp.get(row.AppName as string) ?? []), row]);
        }
        const expected = [...byApp.entries()].map(([name, r]) => ({
            name,
            traffic: r.reduce((s, x) => s + (x.TotalBytes as number), 0),
            up: r.reduce((s, x) => s + (x.UploadedBytes as number), 0),
            first: isoDay(Math.min(...r.map(x => dayFromParts((x.TimeGenerated as Date).getFullYear(), (x.TimeGenerated as Date).getMonth() + 1, (x.TimeGenerated as Date).getDate())!))),
        })).sort((a, b) => b.traffic - a.traffic || (a.name < b.name ? -1 : 1));
        assert.ok(expected.length >= 4, "the data holds generative AI apps and the two added ones");
        assert.deepEqual(ai.apps.map(app => [app.label.text, app.totalBytes, app.uploaded, isoDay(app.firstDay!)]),
            expected.map(e => [e.name, e.traffic, e.up, e.first]));
        assert.equal(ai.count, expected.length);
        const openAi = ai.apps.find(app => app.label.text === "OpenAI API")!;
        assert.equal(openAi.category, "AI Model Provider");
        assert.deepEqual(openAi.users, { value: 2, exact: true });
        assert.equal(isoDay(openAi.firstDay!), isoDay(TODAY - 4));
        assert.equal(isoDay(ai.apps.find(app => app.label.text === "GitHub MCP Server")!.firstDay!), isoDay(TODAY - 1));
        assert.deepEqual(openAi.selection, { role: "AppName", rows: [data.findIndex(row => row.AppName === "OpenAI API")] });
        // With UserName bound the users of any AI app are counted exactly.
        const users = new Set(data.filter(row => AI.has(String(row.AppCategory).trim().toLowerCase())).map(row => row.UserName));
        assert.deepEqual(ai.users, { value: users.size, exact: true });
    });

    it("shows users as a lower bound without the per-app measure, and says when the first day needs TimeGenerated", () => {
        const ai = aiAppsOf(data, ALL_ROLES);
        assert.equal(ai.withTime, false);
        assert.ok(ai.apps.every(app => app.firstDay === null));
        const chatGpt = ai.apps.find(app => app.label.text === "ChatGPT")!;
        const largest = Math.max(...data.filter(row => row.AppName === "ChatGPT").map(row => row.Users as number));
        assert.deepEqual(chatGpt.users, { value: largest, exact: false });
        assert.equal(ai.users?.exact, false);
    });

    it("names its lower-bound users in the distinct-count warning, also with the top apps table off", () => {
        const panels = Object.fromEntries(Object.keys(settingsWith().panels).map(id => [id, id === "ai-apps"])) as DashboardSettings["panels"];
        assert.deepEqual(modelOf(data, roles, { panels }).distinctCounts.lowerBounds, [{ role: "Users", grain: "app" }]);
        // Not laid out before Time generated or User name is bound: nothing on screen to warn about.
        assert.deepEqual(modelOf(data, ALL_ROLES, { panels }).distinctCounts.lowerBounds, []);
    });

    it("takes the categories of the formatting pane, trimmed and in any case", () => {
        const ai = aiAppsOf(data, roles, { aiApps: { categories: parseAiCategories(" hosting SERVICES ,, "), count: 10 } });
        assert.deepEqual(ai.apps.map(app => app.label.text), ["Heroku"]);
        assert.deepEqual(ai.categories, ["hosting SERVICES"]);
        const top = aiAppsOf(data, roles, { aiApps: { categories: DEFAULT_AI_CATEGORIES, count: 1 } });
        assert.equal(top.apps.length, 1);
        assert.ok(top.count > 1);
    });

    it("reads a bad categories text as the default or bounded", () => {
        assert.deepEqual(parseAiCategories(undefined), DEFAULT_AI_CATEGORIES);
        assert.deepEqual(parseAiCategories(" , ,"), DEFAULT_AI_CATEGORIES);
        assert.deepEqual(parseAiCategories(42), DEFAULT_AI_CATEGORIES);
        assert.deepEqual(parseAiCategories("Generative AI, generative ai ,MCP server"), ["Generative AI", "MCP server"]);
        const long = parseAiCategories("x".repeat(10_000));
        assert.equal(long.length, 1);
        assert.equal(long[0].length, 256);
        assert.equal(parseAiCategories(Array.from({ length: 80 }, (_, i) => `c${i}`).join(",")).length, AI_CATEGORIES_MAX);
        // Hostile text is a name like any other: it only matches a category spelled the same.
        assert.deepEqual(parseAiCategories("=cmd|' /C calc'!A0, <script>alert(1)</script>"), ["=cmd|' /C calc'!A0", "<script>alert(1)</script>"]);
    });

    it("files an app under the category of its latest day", () => {
        const moved: DiscoveryRow[] = [
            { ...data[0], AppName: "Notion", AppCategory: "Productivity", TimeGenerated: localDate(TODAY - 5), TotalBytes: 9e9 },
            { ...data[0], AppName: "Notion", AppCategory: "Generative AI", TimeGenerated: localDate(TODAY - 1), TotalBytes: 10 },
        ];
        const ai = aiAppsOf(moved, roles);
        assert.deepEqual(ai.apps.map(app => [app.label.text, app.category, app.totalBytes, isoDay(app.firstDay!)]),
            [["Notion", "Generative AI", 9e9 + 10, isoDay(TODAY - 5)]]);
    });

    it("lifts the AI apps into the key figures", () => {
        const kpis = modelOf(data, roles).panels.kpis;
        assert.equal(kpis.status, "ready");
        const ai = aiAppsOf(data, roles);
        assert.deepEqual(kpis.status === "ready" && kpis.data.aiApps, { count: ai.count, users: ai.users, uploaded: ai.uploaded });
        const none = modelOf(data, roles, { aiApps: { categories: ["No such category"], count: 10 } }).panels.kpis;
        assert.equal(none.status === "ready" && none.data.aiApps, null);
        const unbound = modelOf(data, ["AppName", "TotalBytes"]).panels.kpis;
        assert.equal(unbound.status === "ready" && unbound.data.aiApps, null);
    });
});

describe("top apps: unsanctioned apps still used", () => {
    const base = generateRows(1, 3)[0];
    const row = (app: string, day: number, tags: string, bytes: number, events: number, blocked: number): DiscoveryRow => ({
        ...base, AppName: app, AppCategory: "Generative AI", AppTags: tags, TotalBytes: bytes, UploadedBytes: bytes / 2,
        DownloadedBytes: bytes / 2, TotalEvents: events, BlockedEvents: blocked, TimeGenerated: localDate(day),
    });
    const rows = [
        // Tagged on day -5: its traffic of the days after is still used, 30 of 100 events blocked then.
        row("DeepSeek", TODAY - 8, "[]", 1000, 50, 0),
        row("DeepSeek", TODAY - 5, "[\"unsanctioned\"]", 400, 40, 40),
        row("DeepSeek", TODAY - 3, "[\"unsanctioned\"]", 600, 60, 20),
        row("DeepSeek", TODAY - 1, "[\"unsanctioned\"]", 200, 40, 10),
        // Tagged on its last day: nothing after.
        row("Character.AI", TODAY - 4, "[]", 800, 10, 0),
        row("Character.AI", TODAY - 1, "[\"unsanctioned\"]", 100, 10, 10),
        // Never tagged.
        row("Claude", TODAY - 2, "[\"sanctioned\"]", 5000, 10, 0),
    ];
    const topApps = (roles: readonly RoleName[]) => {
        const panel = modelOf(rows, roles).panels["top-apps"];
        if (panel.status !== "ready") throw new Error("top-apps not ready");
        return panel.data;
    };

    it("counts the traffic after the first day an app was seen tagged unsanctioned, and its blocked share", () => {
        const table = topApps([...ALL_ROLES, "TimeGenerated"]);
        const status = Object.fromEntries(table.apps.map(app => [app.label.text, app.unsanctionedUse]));
        assert.deepEqual(status.DeepSeek, { since: TODAY - 5, bytes: 800, blockedShare: 30 / 100 });
        assert.equal(status["Character.AI"], null);
        assert.equal(status.Claude, null);
        assert.equal(table.stillUsedUnsanctioned, 1);
        assert.equal(table.datedStatus, true);
    });

    it("reads the status from the Global view's rows when it is beside other streams", () => {
        const withGlobalView = [...rows.map(r => ({ ...r, StreamName: "Zscaler" })), ...rows.map(r => ({ ...r, StreamName: "Global view" }))];
        const panel = modelOf(withGlobalView, [...ALL_ROLES, "TimeGenerated"]).panels["top-apps"];
        assert.ok(panel.status === "ready");
        assert.deepEqual(panel.data.apps.find(app => app.label.text === "DeepSeek")!.unsanctionedUse, { since: TODAY - 5, bytes: 800, blockedShare: 30 / 100 });
        assert.equal(panel.data.datedStatus, true);
    });

    it("without TimeGenerated, marks apps shown as unsanctioned that carry traffic, blocked share over the range", () => {
        const table = topApps(ALL_ROLES);
        const status = Object.fromEntries(table.apps.map(app => [app.label.text, app.unsanctionedUse]));
        // Without days, each app is shown with the tags of most of its traffic: DeepSeek's 1200 unsanctioned bytes.
        assert.deepEqual(status.DeepSeek, { since: null, bytes: 2200, blockedShare: 70 / 190 });
        assert.equal(status["Character.AI"], null, "most of its traffic is untagged");
        assert.equal(table.stillUsedUnsanctioned, 1);
        assert.equal(table.datedStatus, false);
    });

    it("leaves the blocked share out without events, and the status out without AppTags", () => {
        const noEvents = topApps(["AppName", "AppTags", "TotalBytes", "TimeGenerated"]);
        assert.deepEqual(noEvents.apps.find(app => app.label.text === "DeepSeek")!.unsanctionedUse, { since: TODAY - 5, bytes: 800, blockedShare: null });
        const noTags = topApps(["AppName", "TotalBytes", "TimeGenerated", "TotalEvents", "BlockedEvents"]);
        assert.ok(noTags.apps.every(app => app.unsanctionedUse === null));
        assert.equal(noTags.stillUsedUnsanctioned, null);
    });

    it("leaves null, future and pre-2000 dates out of the days", () => {
        const bad = [
            ...rows,
            { ...rows[1], TimeGenerated: null, TotalBytes: 7 },
            { ...rows[1], TimeGenerated: new Date(1999, 0, 1), TotalBytes: 11 },
        ];
        const panel = modelOf(bad, [...ALL_ROLES, "TimeGenerated"]).panels["top-apps"];
        assert.ok(panel.status === "ready");
        const deepSeek = panel.data.apps.find(app => app.label.text === "DeepSeek")!;
        assert.deepEqual(deepSeek.unsanctionedUse, { since: TODAY - 5, bytes: 800, blockedShare: 30 / 100 });
        assert.equal(deepSeek.totalBytes, 2200 + 18, "the rows still count in the app's traffic");
    });

    it("leaves days after today out of the tagging day and the traffic after it", () => {
        const future = [
            ...rows.filter(r => r.AppName !== "DeepSeek" || r.AppTags === "[]"),
            row("DeepSeek", TODAY + 3, "[\"unsanctioned\"]", 500, 10, 10),
            row("DeepSeek", TODAY + 5, "[\"unsanctioned\"]", 700, 10, 0),
        ];
        const withToday = modelOf(future, [...ALL_ROLES, "TimeGenerated"], { today: TODAY }).panels["top-apps"];
        assert.ok(withToday.status === "ready");
        assert.equal(withToday.data.apps.find(app => app.label.text === "DeepSeek")!.unsanctionedUse, null);
        // Without today the visual cannot tell them apart: they count.
        const noToday = modelOf(future, [...ALL_ROLES, "TimeGenerated"], { today: null }).panels["top-apps"];
        assert.ok(noToday.status === "ready");
        assert.deepEqual(noToday.data.apps.find(app => app.label.text === "DeepSeek")!.unsanctionedUse, { since: TODAY + 3, bytes: 700, blockedShare: 0 });
        const ai = aiAppsOf([row("Grok", TODAY + 2, "[]", 10, 1, 0), row("Grok", TODAY - 2, "[]", 10, 1, 0)], [...ALL_ROLES, "TimeGenerated"], { today: TODAY });
        assert.equal(isoDay(ai.apps[0].firstDay!), isoDay(TODAY - 2));
        const onlyFuture = aiAppsOf([row("Grok", TODAY + 2, "[]", 10, 1, 0)], [...ALL_ROLES, "TimeGenerated"], { today: TODAY });
        assert.equal(onlyFuture.apps[0].firstDay, null);
    });
});
