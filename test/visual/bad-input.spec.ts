import { DiscoveryRow, generateDiscoveryRows } from "./helpers/discovery-data";
import { buildDataView } from "./helpers/data-view";
import { categoryLabel, categoryTotals } from "./helpers/expected";
import { ShadowItBuilder } from "./helpers/visual-builder";
import { failOnConsoleErrors } from "./helpers/console-errors";

describe("Shadow IT Discovery with bad input", () => {
    let builder: ShadowItBuilder;
    let rows: DiscoveryRow[];

    beforeEach(() => {
        builder = new ShadowItBuilder();
        rows = generateDiscoveryRows(7, 300);
    });

    afterEach(() => builder.remove());
    failOnConsoleErrors();

    it("shows blank categories and streams as (Blank)", () => {
        // An app Defender has not categorised: blank on each of its rows (null on one, "" on the other).
        rows[0] = { ...rows[0], app: "Uncategorised tool", category: null };
        rows[1] = { ...rows[1], app: "Uncategorised tool", category: "", score: rows[0].score, tags: rows[0].tags };
        rows[2].stream = null;
        builder.render(buildDataView(rows, { objects: { categoryTraffic: { topN: 50 } } }));
        const blank = categoryTotals(rows).find(c => c.name === "(Blank)")!;
        expect(builder.scrolledLabels("category-traffic")).toContain(categoryLabel(blank, "(Blank)"));
        expect(builder.scrolledLabels("stream-bytes").some(l => l.startsWith("(Blank): uploaded "))).toBeTrue();
    });

    it("leaves out negative, NaN and infinite byte counts and says so on canvas", () => {
        const target = rows[5].category!;
        rows[5].total = -1000;
        rows[6].total = Number.NaN;
        rows[7].total = Number.POSITIVE_INFINITY;
        rows[8].uploaded = -1;
        builder.render(buildDataView(rows, { objects: { categoryTraffic: { topN: 50 } } }));
        const expected = categoryTotals(rows).find(c => c.name === target)!;
        expect(builder.labels("category-traffic")).toContain(categoryLabel(expected, target));
        expect(builder.labels("category-traffic").join(" ")).not.toMatch(/NaN|Infinity|-\d/);
        expect(builder.note()).toBe("2 negative values left out, not netted (Uploaded bytes: 1, Total bytes: 1) · " +
            "2 invalid values left out (Total bytes: 2)");
    });

    it("shortens a 10,000-character name with an ellipsis and keeps the text in the tooltip and aria-label", () => {
        const longName = "Exfiltration tool ".repeat(556).slice(0, 10000);
        rows.forEach(r => { if (r.stream === "Legal") r.stream = longName; });
        builder.render(buildDataView(rows));
        const mark = builder.mark("stream-bytes", "Exfiltration tool Exfiltration tool");
        const label = mark.querySelector(".shadowit-label")!;
        const shown = label.firstChild!.nodeValue!;
        const full = label.getAttribute("title")!;
        expect(shown.endsWith("…")).toBeTrue();
        expect(shown.length).toBeLessThan(60);
        expect(full.length).toBeGreaterThan(shown.length);
        expect(longName.startsWith(full.replace(/…$/, ""))).toBeTrue();
        expect(mark.getAttribute("aria-label")!.startsWith(`${full}: uploaded `)).toBeTrue();
        expect(mark.getBoundingClientRect().width).toBeLessThanOrEqual(builder.panel("stream-bytes")!.getBoundingClientRect().width);
        expect(builder.note()).toContain("1 long name shortened");
    });

    it("shows names containing markup as text and never creates their elements", () => {
        const hostile = "<img src=x onerror=\"window.__shadowitInjected=1\">";
        const script = "<script>window.__shadowitInjected=2</script>";
        rows.forEach(r => {
            if (r.category === "Webmail") r.category = hostile;
            if (r.stream === "Legal") r.stream = script;
        });
        builder.render(buildDataView(rows, { objects: { categoryTraffic: { topN: 50 } } }));
        expect(builder.root.querySelector("img, script")).toBeNull();
        expect((window as unknown as { __shadowitInjected?: number }).__shadowitInjected).toBeUndefined();
        expect(builder.labels("category-traffic").some(l => l.startsWith(`${hostile}: `))).toBeTrue();
        expect(builder.labels("stream-bytes").some(l => l.startsWith(`${script}: `))).toBeTrue();
        // The native tooltip of the shortened name.
        const titles = Array.from(builder.root.querySelectorAll("[title]")).map(t => t.getAttribute("title"));
        expect(titles).toContain(script);
    });

    it("counts a single invalid value in the singular", () => {
        rows[3].downloaded = Number.NEGATIVE_INFINITY;
        builder.render(buildDataView(rows));
        expect(builder.note()).toBe("1 invalid value left out (Downloaded bytes: 1)");
        rows[4].uploaded = -7;
        builder.render(buildDataView(rows));
        expect(builder.note()).toBe("1 negative value left out, not netted (Uploaded bytes: 1) · 1 invalid value left out (Downloaded bytes: 1)");
    });

    it("draws zero traffic and a single row without errors", () => {
        const one = rows.slice(0, 1).map(r => ({ ...r, uploaded: 0, downloaded: 0, total: 0 }));
        builder.render(buildDataView(one));
        expect(builder.labels("category-traffic")).toEqual([`${one[0].category}: 0 B`]);
        expect(builder.labels("stream-bytes")).toEqual([`${one[0].stream}: uploaded 0 B, downloaded 0 B`]);
    });

    it("draws an empty DataView (filters left nothing) with a message per panel", () => {
        builder.render(buildDataView([]));
        expect(builder.marks("category-traffic").length).toBe(0);
        expect(builder.panel("category-traffic")!.textContent).toContain("No data to show for the current filters.");
    });
});
