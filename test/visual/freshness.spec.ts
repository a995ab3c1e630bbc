// The freshness panel: per stream, the last day with data and the days since; a broken feed is stale. Its values are
// checked against the last dates computed here from the rows, in the four locales and in high contrast, with its
// selection (a stream filters the report), keyboard and tooltips.
import powerbi from "powerbi-visuals-api";
import { ClickEventType, d3Click } from "powerbi-visuals-utils-testutils";
import { ALL_GROUPINGS, ALL_MEASURES, buildDataView, GroupingRole } from "./helpers/data-view";
import { DiscoveryRow, generateDiscoveryRows, STREAMS } from "./helpers/discovery-data";
import { resource } from "./helpers/localization";
import { rowsPassing } from "./helpers/report-filter";
import { flushPromises, HIGH_CONTRAST, HostOptions, ShadowItBuilder } from "./helpers/visual-builder";

/** The tests' fixed instant; its day, 2026-03-02, is "today" in every time zone from UTC-10 to UTC+13. */
const NOW = new Date("2026-03-02T10:00:00Z");
const WITH_TIME: readonly GroupingRole[] = [...ALL_GROUPINGS, "TimeGenerated"];

/** Days each stream stopped before today: Engineering nine days ago, Legal two, the others today or yesterday. */
const SILENT_DAYS: Readonly<Record<string, number>> = { "Engineering": 9, "Legal": 2, "Sales EMEA": 1 };

/** The rows, each dated on one of the 20 days up to its stream's last one, as local-midnight dates. */
function datedRows(): DiscoveryRow[] {
    return generateDiscoveryRows().map((row, i) => {
        const silent = SILENT_DAYS[row.stream ?? ""] ?? 0;
        const offset = i % 7 === 0 ? silent : silent + ((i * 5) % 20);
        return { ...row, time: new Date(2026, 2, 2 - offset) };
    });
}

interface Expected { readonly stream: string; readonly last: Date; readonly daysSince: number }

/** Per stream, the latest date of its rows and the days from it to the latest date of all rows. */
function expectedFreshness(rows: readonly DiscoveryRow[]): Expected[] {
    const last = new Map<string, Date>();
    for (const row of rows) {
        const time = row.time as Date;
        const seen = last.get(row.stream!);
        if (seen === undefined || time > seen) last.set(row.stream!, time);
    }
    const latest = Math.max(...[...last.values()].map(d => d.getTime()));
    const days = (date: Date) => Math.round((latest - date.getTime()) / 86_400_000);
    return [...last.entries()].map(([stream, date]) => ({ stream, last: date, daysSince: days(date) }))
        .sort((a, b) => b.daysSince - a.daysSince || (a.stream < b.stream ? -1 : 1));
}

function dateText(locale: string, date: Date): string {
    return new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric" }).format(date);
}

function englishLabel(e: Expected, staleAfter = 2): string {
    const date = dateText("en-US", e.last);
    const age = e.daysSince === 0 ? `data up to ${date}` : e.daysSince === 1 ? `last data 1 day ago (${date})` : `last data ${e.daysSince} days ago (${date})`;
    return `${e.stream}: ${age}${e.daysSince >= staleAfter ? ", stale" : ""}`;
}

describe("Shadow IT Discovery freshness panel", () => {
    const rows = datedRows();
    const expected = expectedFreshness(rows);
    let builder: ShadowItBuilder;

    function setUp(options: HostOptions = {}, dataRows: readonly DiscoveryRow[] = rows, objects?: powerbi.DataViewObjects): void {
        builder = new ShadowItBuilder({ width: 1200, height: 1400, ...options });
        builder.instance.clock = () => NOW;
        builder.render(buildDataView(dataRows, { groupings: WITH_TIME, measures: ALL_MEASURES, objects }));
    }

    afterEach(() => builder.remove());

    it("lists every stream, the longest silent first, with its last day and the days since", () => {
        setUp();
        expect(expected.map(e => e.stream)).toEqual(jasmine.arrayWithExactContents([...STREAMS]));
        expect(expected[0]).toEqual(jasmine.objectContaining({ stream: "Engineering", daysSince: 9 }));
        const panel = builder.panel("freshness")!;
        expect(panel.getAttribute("aria-label")).toBe("Data freshness by stream");
        expect(builder.labels("freshness")).toEqual(expected.map(e => englishLabel(e)));
        expect(panel.querySelector(".shadowit-freshness-reference")!.textContent)
            .toBe(`Days counted from the latest day in the data, ${dateText("en-US", new Date(2026, 2, 2))}`);
        const stale = builder.marks("freshness").filter(m => m.classList.contains("shadowit-stale"));
        expect(stale.length).toBe(expected.filter(e => e.daysSince >= 2).length);
        // Longer silence, longer bar.
        const widths = builder.marks("freshness").map(m => m.querySelector<HTMLElement>(".shadowit-age-bar")!.getBoundingClientRect().width);
        expect(widths[0]).toBeGreaterThan(widths[1]);
        expect(widths[1]).toBeGreaterThan(widths[widths.length - 1]);
    });

    it("follows the formatting pane: days since today, stale after more days", () => {
        setUp({}, rows, { freshness: { reference: "today", staleAfterDays: 10 } });
        expect(builder.labels("freshness")[0]).toBe(englishLabel(expected[0], 10));
        expect(builder.marks("freshness").some(m => m.classList.contains("shadowit-stale"))).toBeFalse();
    });

    it("filters the report to a clicked stream's rows, and moves and selects with the keyboard", async () => {
        setUp();
        const first = builder.marks("freshness")[0];
        const box = first.getBoundingClientRect();
        d3Click(first, Math.round(box.left + 5), Math.round(box.top + box.height / 2), ClickEventType.Default);
        await flushPromises();
        const byStream = (name: string) => rows.flatMap((row, i) => (row.stream === name ? [i] : []));
        expect(rowsPassing(builder.filters.current, rows)).toEqual(byStream(expected[0].stream));
        expect(builder.marks("freshness")[0].classList).toContain("shadowit-selected");

        const marks = builder.marks("freshness");
        marks[0].focus();
        marks[0].dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true, cancelable: true }));
        expect(document.activeElement).toBe(builder.marks("freshness")[1]);
        builder.marks("freshness")[1].dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
        await flushPromises();
        expect(rowsPassing(builder.filters.current, rows)).toEqual(byStream(expected[1].stream));
    });

    it("shows the stream, last day, days since and days with data in its tooltip", () => {
        setUp();
        const service = builder.host.tooltipService;
        spyOn(service, "show");
        const mark = builder.mark("freshness", "Engineering:");
        mark.dispatchEvent(new PointerEvent("pointerover", { bubbles: true, pointerType: "mouse", clientX: 10, clientY: 10 }));
        const options = (service.show as jasmine.Spy).calls.mostRecent().args[0] as powerbi.extensibility.TooltipShowOptions;
        const days = new Set(rows.filter(r => r.stream === "Engineering").map(r => (r.time as Date).getTime()));
        expect(options.dataItems).toEqual([
            { displayName: "Stream name", value: "Engineering" },
            { displayName: "Last day with data", value: dateText("en-US", expected[0].last) },
            { displayName: "Days since", value: "9" },
            { displayName: "Days with data", value: String(days.size) },
        ]);
    });

    it("says which field it misses, and leaves out bad dates with a note", () => {
        builder = new ShadowItBuilder({ width: 1200, height: 1400 });
        builder.instance.clock = () => NOW;
        builder.render(buildDataView(rows, { groupings: ALL_GROUPINGS, measures: ALL_MEASURES }));
        expect(builder.panel("freshness")).withContext("no room is taken before Time generated is bound").toBeNull();
        builder.render(buildDataView(rows, { groupings: ["AppName", "TimeGenerated"], measures: ALL_MEASURES }));
        expect(builder.panel("freshness")!.textContent).toContain("Add Stream name to show this panel.");
        const hostile = "<img src=x onerror=alert(1)>";
        const bad = [
            { ...rows[0], stream: "Legal", time: null },
            { ...rows[1], stream: "Legal", time: 2026 },
            { ...rows[2], stream: hostile, time: "1899-12-30" },
            { ...rows[3], stream: "Legal", time: new Date(2026, 2, 9) },
        ];
        builder.render(buildDataView([...rows, ...bad], { groupings: WITH_TIME, measures: ALL_MEASURES }));
        expect(builder.note()).toContain("4 Time generated values left out of the time panels (blank: 1, "
            + "numbers, a date hierarchy level: bind Time generated itself, not its Date Hierarchy: 1, before 2000: 1, after today: 1)");
        expect(builder.mark("freshness", `${hostile}:`).getAttribute("aria-label")).toBe(`${hostile}: no rows with a date, stale`);
        expect(builder.root.querySelector("img")).toBeNull();
        expect(builder.labels("freshness").find(l => l.startsWith("Legal:"))).toBe(englishLabel(expected.find(e => e.stream === "Legal")!));
    });

    for (const locale of ["de-DE", "fr-FR", "ja-JP"]) {
        it(`speaks ${locale}`, () => {
            setUp({ locale });
            expect(builder.panel("freshness")!.getAttribute("aria-label")).toBe(resource(locale, "Visual_Panel_Freshness"));
            const first = expected[0];
            const age = resource(locale, "Visual_Freshness_DaysAgo")
                .replace("{days}", new Intl.NumberFormat(locale).format(first.daysSince)).replace("{date}", dateText(locale, first.last));
            expect(builder.labels("freshness")[0]).toBe(`${first.stream}: ${age}, ${resource(locale, "Visual_Freshness_Stale")}`);
        });
    }

    it("tells stale from current streams by pattern in high contrast, in the palette's colours only", () => {
        setUp({ highContrast: true });
        const bar = (name: string) => getComputedStyle(builder.mark("freshness", `${name}:`).querySelector(".shadowit-age-bar")!);
        const stale = bar("Engineering");
        const current = bar(expected[expected.length - 1].stream);
        const yellow = "rgb(255, 255, 0)";
        expect(stale.backgroundColor).toBe(yellow);
        expect(current.backgroundColor).toBe("rgb(0, 0, 0)");
        expect(current.outlineColor).toBe(yellow);
        expect(HIGH_CONTRAST.foreground).toBe("#ffff00");
    });
});
