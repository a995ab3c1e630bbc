// The top-users panel: users ranked by upload, their traffic to high-risk and unsanctioned apps, blocked events and
// the daily upload flag; checked against sums computed here, with selection, keyboard, tooltips, hostile names, high
// contrast and the four locales.
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
const MB = 1_000_000;
const HOSTILE = "<img src=x onerror=alert(1)>\u202Egnp.exe";

/** Twenty users over five days with small uploads; "exfil@contoso.com" sends 700 MB to an unsanctioned app on two days. */
function dataRows(): DiscoveryRow[] {
    const base = generateDiscoveryRows().map((row, i) => ({
        ...row, uploaded: Math.min(row.uploaded, 20 * MB), time: new Date(2026, 2, 2 - (i % 5)), user: `user${i % 20}@contoso.com`,
    }));
    const target = base.find(r => r.tags === '["unsanctioned"]')!;
    const exfil = (day: number, up: number) => ({ ...target, user: "exfil@contoso.com", time: new Date(2026, 2, day), uploaded: up, total: up + target.downloaded });
    return [...base, exfil(1, 700 * MB), exfil(2, 700 * MB), { ...base[3], user: HOSTILE, uploaded: 1 }];
}

describe("Shadow IT Discovery top users panel", () => {
    const rows = dataRows();
    let builder: ShadowItBuilder;

    function setUp(options: HostOptions = {}, objects?: powerbi.DataViewObjects): void {
        builder = new ShadowItBuilder({ width: 1200, height: 1800, ...options });
        builder.instance.clock = () => NOW;
        builder.render(buildDataView(rows, { groupings: GROUPINGS, measures: ALL_MEASURES, objects }));
    }

    afterEach(() => builder.remove());

    function byUser(): { name: string; up: number; down: number; blocked: number; unsanctioned: number }[] {
        const users = new Map<string, DiscoveryRow[]>();
        for (const row of rows) users.set(row.user!, [...(users.get(row.user!) ?? []), row]);
        return [...users.entries()].map(([name, r]) => ({
            name, up: r.reduce((s, x) => s + x.uploaded, 0), down: r.reduce((s, x) => s + x.downloaded, 0),
            blocked: r.reduce((s, x) => s + x.blocked, 0),
            unsanctioned: r.filter(x => x.tags === '["unsanctioned"]').reduce((s, x) => s + x.uploaded + x.downloaded, 0),
        })).sort((a, b) => b.up - a.up || (a.name < b.name ? -1 : 1));
    }

    it("ranks users by upload with their traffic, blocked events and the daily upload flag", () => {
        setUp();
        const expected = byUser().slice(0, 10);
        expect(builder.panel("top-users")!.getAttribute("aria-label")).toBe("Top users by upload");
        const labels = builder.scrolledLabels("top-users");
        expect(labels.length).toBe(10);
        expect(labels[0]).toBe(`exfil@contoso.com: uploaded ${bytes(expected[0].up)}, downloaded ${bytes(expected[0].down)}, `
            + `${labels[0].split(", ")[2]}, ${bytes(expected[0].unsanctioned)} with unsanctioned apps, ${expected[0].blocked} blocked events, `
            + "uploaded over 500 MB a day to risky or unsanctioned apps on 2 days");
        expect(labels.slice(1).every(l => !l.includes("a day to risky"))).toBeTrue();
        expect(labels.map(l => l.split(":")[0])).toEqual(expected.map(e => e.name));
        expect(builder.marks("top-users")[0].classList).toContain("shadowit-flagged");
        expect(builder.panel("top-users")!.textContent).toContain(`Top 10 of ${byUser().length}`);
    });

    it("flags against the formatting pane's threshold", () => {
        setUp({}, { topUsers: { dailyUploadMb: 800, topN: 50 } });
        expect(builder.scrolledLabels("top-users").some(l => l.includes("a day to risky"))).toBeFalse();
        const hostile = builder.mark("top-users", "<img");
        expect(hostile.getAttribute("aria-label")!.startsWith("<img src=x onerror=alert(1)><U+202E>gnp.exe: uploaded")).toBeTrue();
        expect(builder.root.querySelector("img")).toBeNull();
    });

    it("flags users far above the median when the formatting pane asks", () => {
        setUp({}, { topUsers: { medianFactor: 3, topN: 50 } });
        const uploads = byUser().map(u => u.up).sort((a, b) => a - b);
        const median = uploads[Math.floor((uploads.length - 1) / 2)];
        const above = byUser().filter(u => u.up >= 3 * median).map(u => u.name);
        expect(above.length).toBeGreaterThan(0);
        const labels = builder.scrolledLabels("top-users");
        const flagged = labels.filter(l => l.includes(`uploaded 3 times the median user's ${bytes(median)} or more`)).map(l => l.split(":")[0]);
        expect(flagged).toEqual(above);
    });

    it("filters the report to a clicked user's rows, and selects with the keyboard", async () => {
        setUp();
        const first = builder.marks("top-users")[0];
        const box = first.getBoundingClientRect();
        d3Click(first, Math.round(box.left + 5), Math.round(box.top + box.height / 2), ClickEventType.Default);
        await flushPromises();
        const of = (name: string) => rows.flatMap((r, i) => (r.user === name ? [i] : []));
        expect(rowsPassing(builder.filters.current, rows)).toEqual(of("exfil@contoso.com"));
        first.focus();
        first.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true, cancelable: true }));
        const second = document.activeElement as HTMLElement;
        second.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
        await flushPromises();
        expect(rowsPassing(builder.filters.current, rows)).toEqual(of(byUser()[1].name));
    });

    it("shows the user's figures and the flag in the tooltip", () => {
        setUp();
        const service = builder.host.tooltipService;
        spyOn(service, "show");
        builder.marks("top-users")[0].dispatchEvent(new PointerEvent("pointerover", { bubbles: true, pointerType: "mouse", clientX: 10, clientY: 10 }));
        const items = ((service.show as jasmine.Spy).calls.mostRecent().args[0] as powerbi.extensibility.TooltipShowOptions).dataItems!;
        expect(items[0]).toEqual({ displayName: "User name", value: "exfil@contoso.com" });
        expect(items).toContain({ displayName: "Largest daily upload to risky or unsanctioned apps", value: bytes(700 * MB) });
        expect(items[items.length - 1].displayName).toBe("Daily upload flag");
    });

    for (const locale of ["de-DE", "fr-FR", "ja-JP"]) {
        it(`speaks ${locale}`, () => {
            setUp({ locale });
            expect(builder.panel("top-users")!.getAttribute("aria-label")).toBe(resource(locale, "Visual_Panel_TopUsers"));
            const flag = resource(locale, "Visual_TopUsers_Flagged").replace("{limit}", "500 MB").replace("{days}", new Intl.NumberFormat(locale).format(2));
            expect(builder.labels("top-users")[0].endsWith(flag)).toBeTrue();
        });
    }

    it("tells the flagged user apart by pattern in high contrast", () => {
        setUp({ highContrast: true });
        const bar = (i: number) => getComputedStyle(builder.marks("top-users")[i].querySelector(".shadowit-person-bar")!);
        expect(bar(0).backgroundColor).toBe("rgb(255, 255, 0)");
        expect(bar(1).backgroundColor).toBe("rgb(0, 0, 0)");
        expect(bar(1).outlineColor).toBe("rgb(255, 255, 0)");
    });

    it("takes no room before User name or IP address is bound", () => {
        builder = new ShadowItBuilder({ width: 1200, height: 1800 });
        builder.render(buildDataView(rows, { groupings: ALL_GROUPINGS, measures: ALL_MEASURES }));
        expect(builder.panel("top-users")).toBeNull();
    });
});
