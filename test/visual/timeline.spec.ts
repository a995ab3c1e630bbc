// The timeline panel: traffic per day, split by upload and download (or risk band, or sanctioned state), days without
// data as gaps. Values are checked against sums computed here from the rows, with selection, keyboard, tooltips,
// high contrast and the four locales.
import powerbi from "powerbi-visuals-api";
import { ClickEventType, d3Click } from "powerbi-visuals-utils-testutils";
import { ALL_GROUPINGS, ALL_MEASURES, buildDataView, GroupingRole } from "./helpers/data-view";
import { DiscoveryRow, generateDiscoveryRows } from "./helpers/discovery-data";
import { bytes } from "./helpers/expected";
import { resource } from "./helpers/localization";
import { rowsPassing } from "./helpers/report-filter";
import { flushPromises, HostOptions, ShadowItBuilder } from "./helpers/visual-builder";

const NOW = new Date("2026-03-02T10:00:00Z");
const WITH_TIME: readonly GroupingRole[] = [...ALL_GROUPINGS, "TimeGenerated"];
/** Days before today without any row: the collector was down. */
const GAP_OFFSETS = new Set([4, 5]);

/** The rows over the ten days up to today, none on the gap days, as local-midnight dates. */
function datedRows(): DiscoveryRow[] {
    return generateDiscoveryRows().flatMap((row, i) => {
        const offset = i % 10;
        return GAP_OFFSETS.has(offset) ? [] : [{ ...row, time: new Date(2026, 2, 2 - offset) }];
    });
}

function dateText(locale: string, date: Date): string {
    return new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric" }).format(date);
}

describe("Shadow IT Discovery timeline panel", () => {
    const rows = datedRows();
    const days = Array.from({ length: 10 }, (_, i) => new Date(2026, 2, 2 - 9 + i));
    const rowsOf = (date: Date) => rows.filter(r => (r.time as Date).getTime() === date.getTime());
    let builder: ShadowItBuilder;

    function setUp(options: HostOptions = {}, objects?: powerbi.DataViewObjects): void {
        builder = new ShadowItBuilder({ width: 1200, height: 1600, ...options });
        builder.instance.clock = () => NOW;
        builder.render(buildDataView(rows, { groupings: WITH_TIME, measures: ALL_MEASURES, objects }));
    }

    afterEach(() => builder.remove());

    it("gives each day its upload and download, oldest first, and the days without rows as gaps", () => {
        setUp();
        const expected = days.map(date => {
            const day = rowsOf(date);
            if (day.length === 0) return `${dateText("en-US", date)}: no data`;
            const up = day.reduce((s, r) => s + r.uploaded, 0);
            const down = day.reduce((s, r) => s + r.downloaded, 0);
            return `${dateText("en-US", date)}: ${bytes(up + down)} (Uploaded: ${bytes(up)}, Downloaded: ${bytes(down)}), at least ${Math.max(...day.map(r => r.users))} users`;
        });
        expect(builder.panel("timeline")!.getAttribute("aria-label")).toBe("Traffic per day");
        expect(builder.scrolledLabels("timeline")).toEqual(expected);
        const gaps = builder.marks("timeline").filter(m => m.classList.contains("shadowit-gap"));
        expect(gaps.length).toBeGreaterThan(0);
        expect(gaps.every(g => getComputedStyle(g.querySelector(".shadowit-day-parts")!).display === "none")).toBeTrue();
    });

    it("splits by risk band when the formatting pane asks, the parts adding up to the day", () => {
        setUp({}, { timeline: { split: "riskBand" } });
        const date = days[days.length - 1];
        const label = builder.mark("timeline", `${dateText("en-US", date)}:`).getAttribute("aria-label")!;
        const high = rowsOf(date).filter(r => r.score !== null && r.score <= 3).reduce((s, r) => s + r.total, 0);
        expect(label).toContain(`High risk: ${bytes(high)}`);
        expect(label.startsWith(`${dateText("en-US", date)}: ${bytes(rowsOf(date).reduce((s, r) => s + r.total, 0))} (`)).toBeTrue();
    });

    it("filters the report to a clicked day's rows, and moves and selects with the keyboard", async () => {
        setUp();
        const date = days[days.length - 1];
        const mark = builder.mark("timeline", `${dateText("en-US", date)}:`);
        const box = mark.getBoundingClientRect();
        d3Click(mark, Math.round(box.left + 5), Math.round(box.top + box.height / 2), ClickEventType.Default);
        await flushPromises();
        const indices = (keep: (r: DiscoveryRow) => boolean) => rows.flatMap((r, i) => (keep(r) ? [i] : []));
        expect(rowsPassing(builder.filters.current, rows)).toEqual(indices(r => (r.time as Date).getTime() === date.getTime()));
        const focused = builder.mark("timeline", `${dateText("en-US", date)}:`);
        focused.focus();
        focused.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowUp", bubbles: true, cancelable: true }));
        const previous = document.activeElement as HTMLElement;
        expect(previous.getAttribute("aria-label")).toContain(dateText("en-US", days[days.length - 2]));
        previous.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true, ctrlKey: true }));
        await flushPromises();
        expect(rowsPassing(builder.filters.current, rows)).toEqual(indices(r => [date, days[days.length - 2]].some(d => d.getTime() === (r.time as Date).getTime())));
    });

    it("filters a range of days with Shift+click, the gap days between adding nothing", async () => {
        setUp();
        const first = days[2], last = days[7];
        const click = (date: Date, type: ClickEventType) => {
            const mark = builder.mark("timeline", `${dateText("en-US", date)}:`);
            const box = mark.getBoundingClientRect();
            d3Click(mark, Math.round(box.left + 5), Math.round(box.top + box.height / 2), type);
        };
        click(first, ClickEventType.Default);
        await flushPromises();
        click(last, ClickEventType.ShiftKey);
        await flushPromises();
        const inRange = rows.flatMap((r, i) => ((r.time as Date) >= first && (r.time as Date) <= last ? [i] : []));
        expect(inRange.length).toBeGreaterThan(0);
        expect(rowsPassing(builder.filters.current, rows)).toEqual(inRange);
        const selected = builder.marks("timeline").filter(m => m.getAttribute("aria-selected") === "true").length;
        expect(selected).toBe(days.filter(d => d >= first && d <= last && rowsOf(d).length > 0).length);
    });

    it("shows the day, traffic and parts in its tooltip", () => {
        setUp();
        const service = builder.host.tooltipService;
        spyOn(service, "show");
        const date = days[days.length - 1];
        const mark = builder.mark("timeline", `${dateText("en-US", date)}:`);
        mark.dispatchEvent(new PointerEvent("pointerover", { bubbles: true, pointerType: "mouse", clientX: 10, clientY: 10 }));
        const options = (service.show as jasmine.Spy).calls.mostRecent().args[0] as powerbi.extensibility.TooltipShowOptions;
        const day = rowsOf(date);
        const up = day.reduce((s, r) => s + r.uploaded, 0);
        const down = day.reduce((s, r) => s + r.downloaded, 0);
        expect(options.dataItems!.slice(0, 4)).toEqual([
            { displayName: "Day", value: dateText("en-US", date) },
            { displayName: "Traffic", value: bytes(up + down) },
            { displayName: "Uploaded", value: bytes(up) },
            { displayName: "Downloaded", value: bytes(down) },
        ]);
    });

    for (const locale of ["de-DE", "fr-FR", "ja-JP"]) {
        it(`speaks ${locale}`, () => {
            setUp({ locale });
            expect(builder.panel("timeline")!.getAttribute("aria-label")).toBe(resource(locale, "Visual_Panel_Timeline"));
            const gap = days.find(d => rowsOf(d).length === 0)!;
            expect(builder.scrolledLabels("timeline")).toContain(`${dateText(locale, gap)}: ${resource(locale, "Visual_Timeline_NoData")}`);
        });
    }

    it("draws the parts in the palette's colours only in high contrast, told apart by pattern", () => {
        setUp({ highContrast: true });
        const date = days[days.length - 1];
        const parts = Array.from(builder.mark("timeline", `${dateText("en-US", date)}:`).querySelectorAll(".shadowit-day-part"))
            .map(p => getComputedStyle(p));
        expect(parts[0].backgroundColor).toBe("rgb(255, 255, 0)");
        expect(parts[1].backgroundColor).toBe("rgb(0, 0, 0)");
        expect(parts[1].outlineColor).toBe("rgb(255, 255, 0)");
    });
});
