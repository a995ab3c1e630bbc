// The AI apps panel: apps in the AI categories with their traffic, upload, users and first-seen day, and their KPI
// tile; the top apps' status of unsanctioned apps still used after they were tagged. Values are checked against sums
// computed here from the rows, with selection, keyboard, tooltips, missing fields, bad inputs, high contrast and the
// four locales.
import powerbi from "powerbi-visuals-api";
import { ClickEventType, d3Click } from "powerbi-visuals-utils-testutils";
import { ALL_GROUPINGS, ALL_MEASURES, buildDataView, GroupingRole } from "./helpers/data-view";
import { DiscoveryRow, generateDiscoveryRows } from "./helpers/discovery-data";
import { bytes } from "./helpers/expected";
import { resource } from "./helpers/localization";
import { rowsPassing } from "./helpers/report-filter";
import { flushPromises, HostOptions, ShadowItBuilder } from "./helpers/visual-builder";

const NOW = new Date("2026-03-02T10:00:00Z");
const GROUPINGS: readonly GroupingRole[] = [...ALL_GROUPINGS, "TimeGenerated", "UserName"];
const AI = ["generative ai", "ai model provider", "mcp server"];
const HOSTILE_APP = "=cmd|' /C calc'!A0 <script>alert(1)</script>\u202Egnp.exe";
const LONG_USER = "u".repeat(10_000);

function isAi(row: DiscoveryRow): boolean {
    return row.category !== null && AI.includes(row.category.trim().toLowerCase());
}

/** The generated rows over ten days with users, an AI model provider first seen on 26 Feb, an MCP server on 1 Mar. */
function dataRows(): DiscoveryRow[] {
    const base = generateDiscoveryRows().map((row, i) => ({ ...row, time: new Date(2026, 2, 2 - (i % 10)), user: `user${i % 15}@contoso.com` }));
    const template = base[0];
    const add = (app: string, category: string, day: number, uploaded: number, user: string | null, tags = "[]"): DiscoveryRow => ({
        ...template, app, category, tags, score: 6, uploaded, downloaded: 2_000_000, total: uploaded + 2_000_000, users: 1,
        events: 10, blocked: 0, time: new Date(2026, 1, day), user,
    });
    return [
        ...base,
        add("OpenAI API", "AI model provider", 26, 400_000_000, "dev1@contoso.com"),
        add("OpenAI API", "AI model provider", 28, 300_000_000, "dev2@contoso.com"),
        add("GitHub MCP Server", "MCP Server", 29 + 1, 5_000_000, "dev1@contoso.com"),
        add(HOSTILE_APP, "Generative AI", 27, 1_000, "", '["unsanctioned"]'),
        add("Lumen AI", "generative ai ", 20, 3_000, LONG_USER),
    ];
}

describe("Shadow IT Discovery AI apps panel", () => {
    const rows = dataRows();
    let builder: ShadowItBuilder;

    function setUp(options: HostOptions = {}, objects?: powerbi.DataViewObjects, data: readonly DiscoveryRow[] = rows, groupings = GROUPINGS): void {
        builder = new ShadowItBuilder({ width: 1200, height: 2400, ...options });
        builder.instance.clock = () => NOW;
        builder.render(buildDataView(data, { groupings, measures: ALL_MEASURES, objects }));
    }

    afterEach(() => builder.remove());

    function dayOf(date: Date): number {
        return Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()) / 86_400_000;
    }

    function dateText(locale: string, day: number): string {
        return new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" }).format(new Date(day * 86_400_000));
    }

    function byApp(data: readonly DiscoveryRow[] = rows): { name: string; category: string; traffic: number; up: number; users: number; first: number | null }[] {
        const apps = new Map<string, DiscoveryRow[]>();
        for (const row of data) if (isAi(row)) apps.set(row.app!, [...(apps.get(row.app!) ?? []), row]);
        const today = dayOf(new Date(2026, 2, 2));
        return [...apps.entries()].map(([name, r]) => {
            const days = r.map(x => (x.time instanceof Date ? dayOf(x.time) : null)).filter((d): d is number => d !== null && d <= today && d >= 10957);
            return {
                name, category: r[0].category!, traffic: r.reduce((s, x) => s + x.total, 0), up: r.reduce((s, x) => s + x.uploaded, 0),
                users: Math.max(...r.map(x => x.users)), first: days.length > 0 ? Math.min(...days) : null,
            };
        }).sort((a, b) => b.traffic - a.traffic || (a.name < b.name ? -1 : 1));
    }

    function label(app: ReturnType<typeof byApp>[number], extra = ""): string {
        // The lower bound's phrase is the top apps' (Visual_UsersAtLeast), the same for one.
        const users = `at least ${app.users} users`;
        const first = app.first === null ? "" : `, first seen ${dateText("en-US", app.first)}`;
        return `${app.name} (${app.category}${extra}): ${bytes(app.traffic)}, uploaded ${bytes(app.up)}, ${users}${first}`;
    }

    it("lists the apps of the AI categories with traffic, upload, users and first-seen day, most traffic first", () => {
        setUp({}, { aiApps: { topN: 50 } });
        const expected = byApp();
        expect(expected.length).toBeGreaterThan(4);
        expect(builder.panel("ai-apps")!.getAttribute("aria-label")).toBe("AI apps");
        const labels = builder.scrolledLabels("ai-apps");
        expect(labels.length).toBe(expected.length);
        expect(labels.map(l => l.split(" (")[0])).toEqual(expected.map(e => e.name.replace("\u202E", "<U+202E>")));
        const openAi = expected.find(e => e.name === "OpenAI API")!;
        expect(labels.find(l => l.startsWith("OpenAI API"))).toBe(label(openAi));
        expect(openAi.first).toBe(dayOf(new Date(2026, 1, 26)));
        expect(labels.find(l => l.startsWith("GitHub MCP Server"))).toBe(label(expected.find(e => e.name === "GitHub MCP Server")!));
        expect(builder.panel("ai-apps")!.textContent).toContain(`${expected.length} AI apps in Generative AI, AI model provider, MCP server`);
    });

    it("lifts the AI apps into the key figures: how many, their users (exact with User name) and upload", () => {
        setUp();
        const ai = rows.filter(isAi);
        const users = new Set(ai.map(r => r.user).filter(u => u));
        const tile = builder.mark("kpis", "AI apps:");
        expect(tile.getAttribute("aria-label")).toBe(`AI apps: ${byApp().length}, ${users.size} users, uploaded ${bytes(ai.reduce((s, r) => s + r.uploaded, 0))}`);
    });

    it("takes the AI categories of the formatting pane", () => {
        setUp({}, { aiApps: { categories: "  mcp SERVER , Webmail", topN: 50 } });
        const names = builder.labels("ai-apps").map(l => l.split(" (")[0]);
        const webmail = new Set(rows.filter(r => r.category === "Webmail").map(r => r.app));
        expect(names).toContain("GitHub MCP Server");
        expect(names.every(n => n === "GitHub MCP Server" || webmail.has(n))).toBeTrue();
        expect(builder.panel("ai-apps")!.textContent).toContain("in mcp SERVER, Webmail");
    });

    it("filters the report to a clicked app's rows, and selects with the keyboard", async () => {
        setUp();
        const expected = byApp();
        const first = builder.marks("ai-apps")[0];
        const box = first.getBoundingClientRect();
        d3Click(first, Math.round(box.left + 5), Math.round(box.top + box.height / 2), ClickEventType.Default);
        await flushPromises();
        const of = (name: string) => rows.flatMap((r, i) => (r.app === name ? [i] : []));
        expect(rowsPassing(builder.filters.current, rows)).toEqual(of(expected[0].name));
        first.focus();
        first.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true, cancelable: true }));
        const second = document.activeElement as HTMLElement;
        second.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
        await flushPromises();
        expect(rowsPassing(builder.filters.current, rows)).toEqual(of(expected[1].name));
    });

    it("shows the app's figures in its tooltip", () => {
        setUp();
        const service = builder.host.tooltipService;
        spyOn(service, "show");
        builder.mark("ai-apps", "OpenAI API").dispatchEvent(new PointerEvent("pointerover", { bubbles: true, pointerType: "mouse", clientX: 10, clientY: 10 }));
        const items = ((service.show as jasmine.Spy).calls.mostRecent().args[0] as powerbi.extensibility.TooltipShowOptions).dataItems!;
        expect(items).toEqual([
            { displayName: "App name", value: "OpenAI API" },
            { displayName: "App category", value: "AI model provider" },
            { displayName: "Traffic", value: bytes(704_000_000) },
            { displayName: "Uploaded", value: bytes(700_000_000) },
            { displayName: "Users (at least)", value: "1" },
            { displayName: "First seen", value: dateText("en-US", dayOf(new Date(2026, 1, 26))) },
        ]);
    });

    it("says which fields it misses, and that the first-seen day needs Time generated", () => {
        setUp({}, undefined, rows, ALL_GROUPINGS);
        expect(builder.panel("ai-apps")).withContext("no room is taken before Time generated or User name is bound").toBeNull();
        expect(builder.marks("kpis").some(tile => tile.getAttribute("aria-label")!.startsWith("AI apps:"))).toBeFalse();
        builder.remove();
        setUp({}, undefined, rows, ["AppName", "StreamName", "UserName"]);
        expect(builder.panel("ai-apps")!.textContent).toContain("Add App category to show this panel.");
        builder.remove();
        setUp({}, undefined, rows, [...ALL_GROUPINGS, "UserName"]);
        expect(builder.panel("ai-apps")!.textContent).toContain("Add Time generated for the first-seen day");
        expect(builder.labels("ai-apps").every(l => !l.includes("first seen"))).toBeTrue();
    });

    it("keeps bad dates out of the first-seen day and hostile names out of the markup", () => {
        const bad = [
            ...rows,
            { ...rows[rows.length - 5], time: null },
            { ...rows[rows.length - 5], time: new Date(2026, 2, 20) },
            { ...rows[rows.length - 5], time: new Date(1999, 11, 31) },
        ];
        setUp({}, { aiApps: { topN: 50 } }, bad);
        const openAi = byApp(bad).find(e => e.name === "OpenAI API")!;
        expect(openAi.first).toBe(dayOf(new Date(2026, 1, 26)));
        expect(builder.labels("ai-apps").find(l => l.startsWith("OpenAI API"))).toBe(label(openAi));
        expect(builder.note()).toContain("Time generated values left out of the time panels");
        const hostile = builder.mark("ai-apps", "=cmd|");
        expect(hostile.getAttribute("aria-label")!.startsWith("=cmd|' /C calc'!A0 <script>alert(1)</script><U+202E>gnp.exe (Generative AI, tagged unsanctioned): ")).toBeTrue();
        expect(builder.root.querySelector("script")).toBeNull();
        expect(builder.mark("ai-apps", "Lumen AI").getAttribute("aria-label")).toContain("at least 1 users");
    });

    for (const locale of ["de-DE", "fr-FR", "ja-JP"]) {
        it(`speaks ${locale}`, () => {
            setUp({ locale });
            expect(builder.panel("ai-apps")!.getAttribute("aria-label")).toBe(resource(locale, "Visual_Panel_AiApps"));
            const first = resource(locale, "Visual_AiApps_FirstSeen").replace("{date}", dateText(locale, dayOf(new Date(2026, 1, 26))));
            expect(builder.mark("ai-apps", "OpenAI API").getAttribute("aria-label")).toContain(first);
            expect(builder.mark("kpis", `${resource(locale, "Visual_Kpi_AiApps")}:`)).toBeTruthy();
        });
    }

    it("tells an unsanctioned AI app apart by pattern in high contrast, in the palette's colours only", () => {
        setUp({ highContrast: true }, { aiApps: { topN: 50 } });
        const bar = (name: string) => getComputedStyle(builder.mark("ai-apps", name).querySelector(".shadowit-ai-traffic")!);
        expect(bar("OpenAI API").outlineColor).toBe("rgb(255, 255, 0)");
        expect(bar("OpenAI API").backgroundColor).toMatch(/^rgba?\((0, 0, 0|255, 255, 0)/);
        expect(bar("OpenAI API").outlineStyle).not.toBe(bar("=cmd|").outlineStyle);
    });
});

describe("Shadow IT Discovery top apps status", () => {
    let builder: ShadowItBuilder;
    afterEach(() => builder.remove());

    const template = generateDiscoveryRows()[0];
    const row = (app: string, day: number, tags: string, total: number, events: number, blocked: number): DiscoveryRow => ({
        ...template, app, category: "Cloud storage", score: 4, tags, uploaded: total / 2, downloaded: total / 2, total, events, blocked,
        time: new Date(2026, 1, day), user: "user@contoso.com",
    });
    const rows = [
        row("WeTransfer", 18, "[]", 9_000_000, 50, 0),
        row("WeTransfer", 20, '["unsanctioned"]', 4_000_000, 40, 40),
        row("WeTransfer", 24, '["unsanctioned"]', 6_000_000, 60, 20),
        row("WeTransfer", 26, '["unsanctioned"]', 2_000_000, 40, 10),
        row("MEGA", 25, '["unsanctioned"]', 1_000_000, 5, 5),
        row("Box", 25, '["sanctioned"]', 50_000_000, 10, 0),
    ];

    function render(groupings: readonly GroupingRole[], locale?: string): void {
        builder = new ShadowItBuilder({ width: 1200, height: 1400, locale });
        builder.instance.clock = () => NOW;
        builder.render(buildDataView(rows, { groupings, measures: ALL_MEASURES }));
    }

    it("marks an unsanctioned app still used after its tagging day, with the traffic and blocked share after it", async () => {
        render([...ALL_GROUPINGS, "TimeGenerated"]);
        const since = new Intl.DateTimeFormat("en-US", { year: "numeric", month: "short", day: "numeric" }).format(new Date(2026, 1, 20));
        const mark = builder.mark("top-apps", "WeTransfer");
        expect(mark.getAttribute("aria-label")).toContain(`used after it was tagged unsanctioned on ${since}: ${bytes(8_000_000)}, 30.0% of its events blocked`);
        expect(mark.querySelector(".shadowit-status")!.textContent).toBe("⚠ unsanctioned");
        expect(builder.mark("top-apps", "MEGA").getAttribute("aria-label")).not.toContain("used after");
        expect(builder.panel("top-apps")!.textContent).toContain("⚠ 1 unsanctioned app still carries traffic");
        const box = mark.getBoundingClientRect();
        d3Click(mark, Math.round(box.left + 5), Math.round(box.top + box.height / 2), ClickEventType.Default);
        await flushPromises();
        expect(rowsPassing(builder.filters.current, rows)).toEqual([0, 1, 2, 3]);
        const service = builder.host.tooltipService;
        spyOn(service, "show");
        mark.dispatchEvent(new PointerEvent("pointerover", { bubbles: true, pointerType: "mouse", clientX: 10, clientY: 10 }));
        const items = ((service.show as jasmine.Spy).calls.mostRecent().args[0] as powerbi.extensibility.TooltipShowOptions).dataItems!;
        expect(items.slice(-3)).toEqual([
            { displayName: "Tagged unsanctioned on", value: since },
            { displayName: "Used after unsanctioned", value: bytes(8_000_000) },
            { displayName: "Share of events blocked", value: "30.0%" },
        ]);
    });

    it("without Time generated says an app shown as unsanctioned carries traffic, blocked share over the range", () => {
        render(ALL_GROUPINGS);
        // WeTransfer's shown tags are those of most of its traffic: 12 MB unsanctioned against 9 MB untagged.
        expect(builder.mark("top-apps", "WeTransfer").getAttribute("aria-label")).toContain(`unsanctioned, carries traffic: ${bytes(21_000_000)}, 36.8% of its events blocked`);
        expect(builder.mark("top-apps", "MEGA").getAttribute("aria-label")).toContain(`unsanctioned, carries traffic: ${bytes(1_000_000)}, 100.0% of its events blocked`);
        expect(builder.panel("top-apps")!.textContent).toContain("⚠ 2 unsanctioned apps still carry traffic");
    });

    for (const locale of ["de-DE", "fr-FR", "ja-JP"]) {
        it(`speaks ${locale}`, () => {
            render([...ALL_GROUPINGS, "TimeGenerated"], locale);
            expect(builder.panel("top-apps")!.textContent).toContain(resource(locale, "Visual_TopApps_StillUsedOne"));
            const since = new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric" }).format(new Date(2026, 1, 20));
            expect(builder.mark("top-apps", "WeTransfer").getAttribute("aria-label")).toContain(
                resource(locale, "Visual_TopApps_StillUsed").replace("{date}", since).replace("{value}", bytes(8_000_000)));
        });
    }
});
