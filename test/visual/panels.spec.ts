import { generateDiscoveryRows } from "./helpers/discovery-data";
import { buildDataView } from "./helpers/data-view";
import { bytes, categoryLabel, categoryTotals, count, riskTotals, streamTotals, sum, sumOfCategories } from "./helpers/expected";
import { computedColor } from "./helpers/stylesheet";
import { ShadowItBuilder } from "./helpers/visual-builder";

describe("Shadow IT Discovery panels", () => {
    const rows = generateDiscoveryRows();
    let builder: ShadowItBuilder;

    beforeEach(() => {
        builder = new ShadowItBuilder();
        builder.render(buildDataView(rows));
    });

    afterEach(() => builder.remove());

    it("follows the DOM contract: a .shadowit root and five named panels", () => {
        expect(builder.root.classList).toContain("shadowit");
        const panels = Array.from(builder.element.querySelectorAll<HTMLElement>("[data-panel]"));
        expect(panels.map(p => p.dataset.panel)).toEqual(["kpis", "category-traffic", "risk-bands", "stream-bytes", "top-apps"]);
        expect(panels.map(p => p.getAttribute("aria-label"))).toEqual([
            "Key figures", "Traffic by app category", "Risk bands", "Upload and download by stream", "Top apps by traffic",
        ]);
    });

    it("draws the top 10 categories by TotalBytes, then Other with the rest", () => {
        const expected = categoryTotals(rows);
        const top = expected.slice(0, 10);
        const rest = expected.slice(10);
        expect(rest.length).toBeGreaterThan(0);
        const other = sumOfCategories(rest);
        expect(builder.labels("category-traffic")).toEqual([...top.map(c => categoryLabel(c, c.name)), categoryLabel(other, "Other")]);
        // The visible value text matches the aria-label.
        const values = Array.from(builder.panel("category-traffic")!.querySelectorAll(".shadowit-value")).map(v => v.textContent);
        expect(values).toEqual([...top.map(c => bytes(c.total)), bytes(other.total)]);
    });

    it("splits each category bar into sanctioned, unsanctioned and other tags", () => {
        const first = categoryTotals(rows)[0];
        const bar = builder.mark("category-traffic", `${first.name}:`);
        const shown = Array.from(bar.querySelectorAll<HTMLElement>(".shadowit-segment")).filter(s => s.getBoundingClientRect().width > 0);
        // The row names the split; its parts are presentational, as an option's are, and carry no name of their own.
        expect(bar.getAttribute("aria-label")).toBe(categoryLabel(first, first.name));
        expect(first.sanctioned > 0 && first.other > 0).toBeTrue();
        expect(bar.querySelectorAll("[aria-label], [role]").length).toBe(0);
        // Segment widths add up to the bar and are proportional to the bytes.
        const widths = shown.map(s => s.getBoundingClientRect().width);
        const parts = [first.sanctioned, first.unsanctioned, first.other].filter(v => v > 0);
        widths.forEach((w, i) => expect(w / widths.reduce((a, b) => a + b, 0)).toBeCloseTo(parts[i] / first.total, 2));
        // Side by side, in tag order, from the start of the bar.
        shown.forEach((s, i) => {
            if (i > 0) expect(s.getBoundingClientRect().left).toBeCloseTo(shown[i - 1].getBoundingClientRect().right, 0);
        });
    });

    it("honours top N from the formatting pane", () => {
        builder.render(buildDataView(rows, { objects: { categoryTraffic: { topN: 3 } } }));
        const labels = builder.labels("category-traffic");
        expect(labels.length).toBe(4);
        expect(labels[3]).toMatch(/^Other: /);
    });

    it("shows the risk bands with traffic, distinct apps and a lower bound of users", () => {
        const bands = riskTotals(rows);
        const name = { high: "High risk (0-3)", medium: "Medium risk (4-7)", low: "Low risk (8-10)", unscored: "Unscored" };
        const expected = (["high", "medium", "low", "unscored"] as const)
            .filter(id => bands.has(id))
            .map(id => {
                const b = bands.get(id)!;
                return `${name[id]}: ${b.apps.size} apps, ${bytes(b.total)}, at least ${count(b.usersMax)} users`;
            });
        expect(builder.labels("risk-bands")).toEqual(expected);
    });

    it("pairs uploaded and downloaded bytes per stream on one scale, and marks upload-heavy streams", () => {
        const streams = streamTotals(rows);
        expect(builder.labels("stream-bytes")).toEqual(
            streams.map(s => `${s.name}: uploaded ${bytes(s.uploaded)}, downloaded ${bytes(s.downloaded)}`));
        const firewall = builder.mark("stream-bytes", "Palo Alto Firewall:");
        expect(firewall.classList).toContain("shadowit-upload-heavy");
        const marketing = builder.mark("stream-bytes", "Marketing Department:");
        expect(marketing.classList).not.toContain("shadowit-upload-heavy");
        // One scale: bar widths are proportional to bytes across streams and directions.
        const widthOf = (mark: HTMLElement, dir: string) =>
            mark.querySelector(`.shadowit-${dir} .shadowit-segment`)!.getBoundingClientRect().width;
        const fw = streams.find(s => s.name === "Palo Alto Firewall")!;
        const mk = streams.find(s => s.name === "Marketing Department")!;
        expect(widthOf(firewall, "uploaded") / widthOf(marketing, "downloaded")).toBeCloseTo(fw.uploaded / mk.downloaded, 1);
    });

    it("updates the bars it drew when colours and highlights change, and drops what no longer applies", () => {
        const first = categoryTotals(rows)[0];
        const bar = builder.mark("category-traffic", `${first.name}:`);
        const legal = builder.mark("stream-bytes", "Legal:");
        const colors = { sanctioned: { solid: { color: "#123456" } }, uploaded: { solid: { color: "#654321" } } };
        builder.render(buildDataView(rows, {
            objects: { colors },
            highlight: r => r.category === first.name || r.stream === "Legal" ? 0.5 : 0,
        }));
        // The same elements, repainted and highlighted.
        expect(builder.mark("category-traffic", `${first.name}:`)).toBe(bar);
        expect(builder.mark("stream-bytes", "Legal:")).toBe(legal);
        const fill = (element: Element | null) => getComputedStyle(element!).backgroundColor;
        expect(fill(bar.querySelector(".shadowit-tag-sanctioned"))).toBe(computedColor("#123456"));
        expect(fill(legal.querySelector(".shadowit-uploaded .shadowit-segment"))).toBe(computedColor("#654321"));
        expect(bar.classList).toContain("shadowit-has-highlight");
        expect(bar.lastElementChild!.classList).toContain("shadowit-highlight");
        expect(legal.querySelectorAll(".shadowit-has-highlight .shadowit-highlight").length).toBe(2);
        expect(builder.labels("stream-bytes").find(l => l.startsWith("Legal:"))).toContain(", highlighted ");

        builder.render(buildDataView(rows, { objects: { colors } }));
        expect(bar.classList).not.toContain("shadowit-has-highlight");
        expect(bar.querySelector(".shadowit-highlight")).toBeNull();
        expect(legal.querySelector(".shadowit-highlight, .shadowit-has-highlight")).toBeNull();
        expect(legal.getAttribute("aria-label")).not.toContain("highlighted");
        expect(fill(bar.querySelector(".shadowit-tag-sanctioned"))).toBe(computedColor("#123456"));
    });

    it("shows the key figures as tiles", () => {
        const apps = new Set(rows.map(r => r.app)).size;
        const users = Math.max(...rows.map(r => r.users));
        const ips = Math.max(...rows.map(r => r.ips));
        const up = sum(rows, r => r.uploaded);
        const down = sum(rows, r => r.downloaded);
        const total = sum(rows, r => r.total);
        const events = sum(rows, r => r.events);
        const blocked = sum(rows, r => r.blocked);
        const share = new Intl.NumberFormat("en-US", { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 })
            .format(blocked / events);
        expect(builder.labels("kpis")).toEqual([
            `Discovered apps: ${count(apps)}`,
            `Users: at least ${count(users)}`,
            `IP addresses: at least ${count(ips)}`,
            `Traffic: ${bytes(total)}, uploaded ${bytes(up)}, downloaded ${bytes(down)}`,
            `Blocked events: ${count(blocked)}, ${share} of ${count(events)} events`,
        ]);
        const tile = builder.mark("kpis", "Discovered apps");
        expect(tile.querySelector(".shadowit-tile-value")!.textContent).toBe(count(apps));
    });

    it("switches to binary units when the formatting pane asks", () => {
        builder.render(buildDataView(rows, { objects: { format: { byteUnits: "binary" } } }));
        const first = categoryTotals(rows)[0];
        // The traffic and every part of the split, in binary units.
        expect(builder.labels("category-traffic")[0]).toMatch(/^[^:]+: [\d.]+ (KiB|MiB|GiB|TiB) \(([^:,]+: [\d.]+ (B|KiB|MiB|GiB|TiB)(, |\)$))+/);
        expect(builder.labels("category-traffic")[0].startsWith(`${first.name}: `)).toBeTrue();
    });

    it("says which fields a panel needs when they are not bound", () => {
        builder.render(buildDataView(rows, { groupings: ["StreamName"], measures: ["UploadedBytes", "DownloadedBytes"] }));
        expect(builder.marks("stream-bytes").length).toBe(8);
        const category = builder.panel("category-traffic")!;
        expect(category.querySelector(".shadowit-missing")!.textContent).toContain("App category");
        expect(builder.panel("risk-bands")!.querySelector(".shadowit-missing")!.textContent).toContain("App score");
        expect(builder.marks("category-traffic").length).toBe(0);
    });

    it("hides the least important panels in a small viewport and says so", () => {
        const small = new ShadowItBuilder({ width: 320, height: 260 });
        try {
            small.render(buildDataView(rows));
            const shown = Array.from(small.element.querySelectorAll<HTMLElement>("[data-panel]")).map(p => p.dataset.panel);
            expect(shown[0]).toBe("kpis");
            expect(shown).not.toContain("stream-bytes");
            expect(shown).not.toContain("top-apps");
            const hidden = 5 - shown.length;
            const hint = small.element.querySelector(".shadowit-hint")!.textContent;
            expect(hint).toBe(hidden === 1 ? "1 panel hidden: enlarge the visual" : `${hidden} panels hidden: enlarge the visual`);
        } finally {
            small.remove();
        }
    });

    it("keeps every panel inside the viewport", () => {
        const rootBox = builder.root.getBoundingClientRect();
        for (const panel of Array.from(builder.element.querySelectorAll<HTMLElement>("[data-panel]"))) {
            const box = panel.getBoundingClientRect();
            expect(box.right).toBeLessThanOrEqual(rootBox.right + 0.5);
            expect(box.bottom).toBeLessThanOrEqual(rootBox.bottom + 0.5);
        }
    });
});
