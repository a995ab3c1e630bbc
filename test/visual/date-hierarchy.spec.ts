// Time generated bound as its Date Hierarchy: Power BI hands each kept level as its own category column with the
// TimeGenerated role (queryName "<Table>.TimeGenerated.Variation.Date Hierarchy.<Level>"), the year and day as
// numbers, the quarter as "Qtr n", the month as its name. The time panels must show the same days as with the date.
import powerbi from "powerbi-visuals-api";
import { ALL_GROUPINGS, ALL_MEASURES, buildDataView, GroupingRole } from "./helpers/data-view";
import { DiscoveryRow, generateDiscoveryRows } from "./helpers/discovery-data";
import { ShadowItBuilder } from "./helpers/visual-builder";
import DataView = powerbi.DataView;
import DataViewCategoryColumn = powerbi.DataViewCategoryColumn;

const NOW = new Date("2026-03-02T10:00:00Z");
const WITH_TIME: readonly GroupingRole[] = [...ALL_GROUPINGS, "StreamName", "TimeGenerated"].filter((r, i, all) => all.indexOf(r) === i) as GroupingRole[];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
type Level = "Year" | "Quarter" | "Month" | "Day";

/** The rows over the 40 days up to today (Jan 22 to Mar 2, 2026), as local-midnight dates. */
function datedRows(): DiscoveryRow[] {
    return generateDiscoveryRows().map((row, i) => ({ ...row, time: new Date(2026, 2, 2 - (i % 40)) }));
}

/** The same DataView with the kept levels of the date hierarchy in place of the date column. */
function asHierarchy(dataView: DataView, levels: readonly Level[]): DataView {
    const categories = dataView.categorical!.categories!;
    const at = categories.findIndex(column => column.source.roles?.TimeGenerated === true);
    const date = categories[at];
    const valueOf: Record<Level, (d: Date) => powerbi.PrimitiveValue> = {
        Year: d => d.getFullYear(), Quarter: d => `Qtr ${Math.floor(d.getMonth() / 3) + 1}`,
        Month: d => MONTHS[d.getMonth()], Day: d => d.getDate(),
    };
    const levelColumns = levels.map((level): DataViewCategoryColumn => ({
        ...date,
        source: {
            ...date.source, displayName: level, queryName: `McasShadowItReporting.TimeGenerated.Variation.Date Hierarchy.${level}`,
            type: level === "Year" || level === "Day" ? { numeric: true, integer: true } : { text: true },
        },
        values: (date.values as Date[]).map(valueOf[level]),
    }));
    return { ...dataView, categorical: { ...dataView.categorical, categories: [...categories.slice(0, at), ...levelColumns, ...categories.slice(at + 1)] } };
}

describe("Shadow IT Discovery with a date hierarchy in Time generated", () => {
    const rows = datedRows();
    let builder: ShadowItBuilder;
    let consoleError: jasmine.Spy;

    function render(dataView: DataView): void {
        builder = new ShadowItBuilder({ width: 1200, height: 1600 });
        builder.instance.clock = () => NOW;
        builder.render(dataView);
    }

    beforeEach(() => {
        consoleError = spyOn(console, "error").and.callThrough();
    });

    afterEach(() => {
        expect(consoleError).not.toHaveBeenCalled();
        builder.remove();
    });

    it("draws the same days and freshness from Year, Quarter, Month and Day as from the date", () => {
        const plain = buildDataView(rows, { groupings: WITH_TIME, measures: ALL_MEASURES });
        render(plain);
        const timeline = builder.scrolledLabels("timeline");
        const freshness = builder.scrolledLabels("freshness");
        expect(timeline.length).toBe(40);
        builder.remove();
        render(asHierarchy(plain, ["Year", "Quarter", "Month", "Day"]));
        expect(builder.scrolledLabels("timeline")).toEqual(timeline);
        expect(builder.scrolledLabels("freshness")).toEqual(freshness);
        expect(builder.note()).not.toContain("Time generated");
        // A level names no day a filter could target: a click on a day filters nothing and selects nothing.
        const day = builder.marks("timeline").find(mark => !mark.classList.contains("shadowit-gap"))!;
        day.click();
        expect(builder.filters.calls).toEqual([]);
        expect(day.getAttribute("aria-selected")).not.toBe("true");
    });

    it("dates rows by month without the Day level and says so in the note", () => {
        render(asHierarchy(buildDataView(rows, { groupings: WITH_TIME, measures: ALL_MEASURES }), ["Year", "Month"]));
        const withData = builder.scrolledLabels("timeline").filter(label => !label.endsWith("no data"));
        expect(withData.map(label => label.split(":")[0])).toEqual(["Jan 1, 2026", "Feb 1, 2026", "Mar 1, 2026"]);
        expect(builder.note()).toContain("Time generated is a date hierarchy without its Day level: each row is dated on the first day of its month");
    });

    it("says which levels to keep when they name no date", () => {
        render(asHierarchy(buildDataView(rows, { groupings: WITH_TIME, measures: ALL_MEASURES }), ["Year"]));
        expect(builder.note()).toContain("Time generated is a date hierarchy whose levels name no date: keep Year, Month and Day");
    });
});
