import { generateDiscoveryRows, DiscoveryRow } from "./helpers/discovery-data";
import { buildDataView, DataViewOptions, ExactCountRole, GroupingRole } from "./helpers/data-view";
import { appTotals, bytes, count, usersPhrase } from "./helpers/expected";
import { ShadowItBuilder } from "./helpers/visual-builder";
import { seededRandom } from "../../src/random";
import { failOnConsoleErrors } from "./helpers/console-errors";

/*
 * Exact distinct counts from the measures per grain, and Power BI's warning icon exactly while a figure on screen is
 * a lower bound ("at least"), or while a count field does not give distinct counts.
 */
describe("Shadow IT Discovery distinct counts", () => {
    const rows = generateDiscoveryRows();
    let builder: ShadowItBuilder;

    /**
     * The users behind each row, drawn so that a row's distinct count is its `users` value: the DAX measures are
     * then counted from them as DAX counts (the union over the item's rows), independently of the visual.
     */
    const random = seededRandom(20260302);
    const usersOfRow = rows.map(row => {
        const users = new Set<string>();
        while (users.size < row.users) users.add(`user${Math.floor(random() ** 2 * 200)}@contoso.com`);
        return users;
    });
    /** What a DAX measure per grain returns on each row: the distinct users of every row of the row's item. */
    function perItem(pick: (row: DiscoveryRow) => unknown): (row: DiscoveryRow) => number {
        const byItem = new Map<unknown, Set<string>>();
        rows.forEach((row, i) => {
            const users = byItem.get(pick(row)) ?? new Set<string>();
            for (const user of usersOfRow[i]) users.add(user);
            byItem.set(pick(row), users);
        });
        return row => byItem.get(pick(row))?.size ?? 0;
    }
    const TOTAL = new Set(usersOfRow.flatMap(users => [...users])).size;
    const EXACT: Record<ExactCountRole, (row: DiscoveryRow) => number> = {
        UsersTotal: () => TOTAL,
        UsersPerApp: perItem(row => row.app),
        UsersPerCategory: perItem(row => row.category),
        UsersPerStream: perItem(row => row.stream),
        IpAddressesTotal: () => 999,
    };
    /** Every grouping but the score: without it the risk bands, whose users no measure can give, are not drawn. */
    const WITHOUT_BANDS: readonly GroupingRole[] = ["AppCategory", "AppName", "StreamName", "AppTags"];

    function setUp(options: DataViewOptions = {}): void {
        builder = new ShadowItBuilder({ width: 1200, height: 900 });
        builder.render(buildDataView(rows, options));
    }

    afterEach(() => builder.remove());
    failOnConsoleErrors();

    it("shows the warning icon while figures are lower bounds, saying which and what to bind", () => {
        setUp();
        expect(builder.labels("kpis")).toContain(`Users: at least ${count(Math.max(...rows.map(r => r.users)))}`);
        const icon = builder.warningIcon.shown;
        expect(icon?.hoverText).toBe("Some user counts are lower bounds (\"at least\")");
        expect(icon?.detailedText).toContain("Users in the key figures is a lower bound");
        expect(icon?.detailedText).toContain("to Users (total)");
        expect(icon?.detailedText).toContain("IP addresses in the key figures is a lower bound");
        expect(icon?.detailedText).toContain("to Users per app");
        expect(icon?.detailedText).toContain("Users of the risk bands are lower bounds");
    });

    it("shows exact users per app, category and stream and the total, with no icon, when the measures are bound", () => {
        setUp({ groupings: WITHOUT_BANDS, exact: EXACT });
        expect(builder.labels("kpis")).toContain(`Users: ${count(TOTAL)}`);
        expect(builder.labels("kpis")).toContain("IP addresses: 999");
        const apps = appTotals(rows);
        const first = builder.marks("top-apps")[0];
        const firstUsers = EXACT.UsersPerApp(rows[apps[0].firstRow]);
        expect(first.querySelector(".shadowit-users")!.textContent).toBe(count(firstUsers));
        expect(first.getAttribute("aria-label")).toContain(`, ${usersPhrase(firstUsers, true)}, `);
        const categories = builder.scrolledLabels("category-traffic").filter(l => !l.startsWith("Other:"));
        expect(categories.length).toBeGreaterThan(5);
        for (const label of categories) {
            const name = label.slice(0, label.indexOf(":"));
            const row = rows.find(r => r.category === name)!;
            expect(label).toContain(`, ${usersPhrase(EXACT.UsersPerCategory(row), true)}`);
        }
        const streams = builder.scrolledLabels("stream-bytes");
        expect(streams.length).toBe(8);
        for (const label of streams) {
            const name = label.slice(0, label.indexOf(":"));
            const row = rows.find(r => r.stream === name)!;
            expect(label).toBe(`${name}: uploaded ${bytes(sumOf(name, "uploaded"))}, downloaded ${bytes(sumOf(name, "downloaded"))}, ` +
                usersPhrase(EXACT.UsersPerStream(row), true));
        }
        expect(builder.element.textContent).not.toContain("≥");
        expect(builder.warningIcon.calls).toEqual([]);
        expect(builder.warningIcon.shown).toBeNull();
    });

    function sumOf(stream: string, measure: "uploaded" | "downloaded"): number {
        return rows.filter(r => r.stream === stream).reduce((sum, r) => sum + r[measure], 0);
    }

    it("withdraws the icon once no figure is a lower bound, and raises it again when one is", () => {
        setUp();
        expect(builder.warningIcon.shown).not.toBeNull();
        builder.render(buildDataView(rows, { groupings: WITHOUT_BANDS, exact: EXACT }));
        expect(builder.warningIcon.shown).toBeNull();
        expect(builder.warningIcon.calls[builder.warningIcon.calls.length - 1]).toEqual({ hoverText: "", detailedText: "" });
        // The bands are back: their users are the largest app's, a lower bound.
        builder.render(buildDataView(rows, { exact: EXACT }));
        expect(builder.warningIcon.shown?.detailedText).toBe(
            "Users of the risk bands are lower bounds (the largest app of the band): the users of a band's apps overlap, " +
            "and its score thresholds are set in this visual, where no measure can read them.");
    });

    it("names a per-app measure whose value differs between rows of one app, and does not use it", () => {
        setUp({ groupings: WITHOUT_BANDS, exact: { ...EXACT, UsersPerApp: row => row.users } });
        const icon = builder.warningIcon.shown;
        expect(icon?.hoverText).toBe("Some count fields do not give distinct counts");
        expect(icon?.detailedText).toContain("Users per app has different values on rows of the same item");
        expect(icon?.detailedText).toContain("Users of the top apps are lower bounds");
        expect(builder.marks("top-apps")[0].querySelector(".shadowit-users")!.textContent).toMatch(/^≥ /);
    });

    it("warns about Users summarized as Count instead of Count (Distinct), and leaves its values out", () => {
        setUp({ groupings: WITHOUT_BANDS, distinctSummarization: "CountNonNull" });
        const icon = builder.warningIcon.shown;
        expect(icon?.hoverText).toBe("Some count fields do not give distinct counts");
        expect(icon?.detailedText).toContain("Users is summarized as Count, which counts rows rather than distinct values");
        expect(icon?.detailedText).toContain("IP addresses is summarized as Count");
        expect(builder.labels("kpis").some(label => label.startsWith("Users:"))).toBeFalse();

        builder.render(buildDataView(rows, { groupings: WITHOUT_BANDS, distinctSummarization: "Count", exact: EXACT }));
        expect(builder.warningIcon.shown).toBeNull();
        expect(builder.labels("kpis")).toContain(`Users: ${count(TOTAL)}`);
    });

    it("words the warning in the report's language, with the field menu's name of the summarization", () => {
        builder = new ShadowItBuilder({ width: 1200, height: 900, locale: "de-DE" });
        builder.render(buildDataView(rows, { groupings: WITHOUT_BANDS, distinctSummarization: "CountNonNull" }));
        expect(builder.warningIcon.shown?.hoverText).toBe("Einige Zählfelder liefern keine eindeutigen Anzahlen");
        expect(builder.warningIcon.shown?.detailedText).toContain("Benutzer wird als Anzahl zusammengefasst");
    });

    it("keeps the icon on an update that only resizes", () => {
        setUp();
        const calls = builder.warningIcon.calls.length;
        builder.render(buildDataView(rows), { type: 4 /* Resize */ });
        expect(builder.warningIcon.shown).not.toBeNull();
        expect(builder.warningIcon.calls.length).toBeGreaterThan(calls);
    });
});
