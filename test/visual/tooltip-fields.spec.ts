// Fields dropped into the Tooltips well show in every tooltip, for the item under the pointer, formatted with
// their format strings.
import powerbi from "powerbi-visuals-api";
import { DiscoveryRow, generateDiscoveryRows } from "./helpers/discovery-data";
import { buildDataView, TooltipField } from "./helpers/data-view";
import { categoryTotals } from "./helpers/expected";
import { ShadowItBuilder } from "./helpers/visual-builder";

describe("Shadow IT Discovery Tooltips well", () => {
    const rows = generateDiscoveryRows();
    const categories = categoryTotals(rows);
    const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
    const events: TooltipField = {
        displayName: "Sum of TotalEvents", queryName: "Sum(McasShadowItReporting.TotalEvents)", format: "#,0", value: r => r.events,
    };
    // A measure Power BI cannot add up over rows: a DAX measure (here: the score), shown when the rows agree.
    const score: TooltipField = { displayName: "Score measure", queryName: "McasShadowItReporting.Score measure", format: "0", value: r => r.score };
    let builder: ShadowItBuilder;

    afterEach(() => builder.remove());

    function tooltipOf(mark: HTMLElement): powerbi.extensibility.VisualTooltipDataItem[] {
        const service = builder.host.tooltipService;
        const show = service.show as jasmine.Spy;
        mark.dispatchEvent(new PointerEvent("pointerover", { bubbles: true, pointerType: "mouse", clientX: 5, clientY: 5 }));
        return (show.calls.mostRecent().args[0] as powerbi.extensibility.TooltipShowOptions).dataItems ?? [];
    }

    function setUp(fields: readonly TooltipField[]): void {
        builder = new ShadowItBuilder({ width: 1100, height: 800 });
        spyOn(builder.host.tooltipService, "show");
        builder.render(buildDataView(rows, { tooltips: fields }));
    }

    const sumOf = (keep: (r: DiscoveryRow) => boolean) => rows.filter(keep).reduce((s, r) => s + r.events, 0);

    it("adds each field's value for the item's rows to the tooltips of categories, bands, streams and apps", () => {
        setUp([events]);
        const name = categories[0].name;
        const items = tooltipOf(builder.mark("category-traffic", `${name}:`));
        expect(items[items.length - 1]).toEqual({ displayName: "Sum of TotalEvents", value: grouped.format(sumOf(r => r.category === name)) });

        const band = tooltipOf(builder.mark("risk-bands", "High risk"));
        expect(band[band.length - 1].value).toBe(grouped.format(sumOf(r => r.score !== null && r.score <= 3)));
        const stream = tooltipOf(builder.mark("stream-bytes", "Legal:"));
        expect(stream[stream.length - 1].value).toBe(grouped.format(sumOf(r => r.stream === "Legal")));
        const app = builder.marks("top-apps")[0];
        const appName = (app.getAttribute("aria-label") ?? "").split(" (")[0];
        const appItems = tooltipOf(app);
        expect(appItems[appItems.length - 1].value).toBe(grouped.format(sumOf(r => r.app === appName)));
    });

    it("shows the whole data's value on a key figure, the host's grand total when it gives one", () => {
        setUp([events]);
        const tile = tooltipOf(builder.mark("kpis", "Blocked events"));
        expect(tile[tile.length - 1].value).toBe(grouped.format(sumOf(() => true)));
        builder.remove();
        setUp([{ ...events, subtotal: 123456 }]);
        const total = tooltipOf(builder.mark("kpis", "Blocked events"));
        expect(total[total.length - 1].value).toBe("123,456");
    });

    it("shows a value that does not add up only when every row of the item has it", () => {
        setUp([events, score]);
        // An app has one score on all its rows; a category mixes the scores of its apps.
        const app = tooltipOf(builder.marks("top-apps")[0]);
        const appName = (builder.marks("top-apps")[0].getAttribute("aria-label") ?? "").split(" (")[0];
        const appScore = rows.find(r => r.app === appName)!.score;
        expect(app.slice(-2).map(i => i.displayName)).toEqual(["Sum of TotalEvents", "Score measure"]);
        expect(app[app.length - 1].value).toBe(appScore === null ? "(Blank)" : String(appScore));
        const category = tooltipOf(builder.mark("category-traffic", `${categories[0].name}:`));
        expect(category[category.length - 1]).toEqual({ displayName: "Score measure", value: "varies by row" });
    });
});
