import { generateDiscoveryRows } from "./helpers/discovery-data";
import { buildDataView, ROW_FIELDS } from "./helpers/data-view";
import { globalViewOf } from "../fixtures/global-view";
import { bytes, categoryLabel, categoryTotals, streamTotals, sum } from "./helpers/expected";
import { ShadowItBuilder } from "./helpers/visual-builder";

describe("Shadow IT Discovery data notes", () => {
    const sources = generateDiscoveryRows();
    let builder: ShadowItBuilder;

    beforeEach(() => {
        builder = new ShadowItBuilder({ width: 1100, height: 800 });
    });

    afterEach(() => builder.remove());

    it("with a Global view stream, draws the per-source totals, the Global view as a total line, and says so", () => {
        builder.render(buildDataView([...sources, ...globalViewOf(sources, ROW_FIELDS)]));
        const up = sum(sources, r => r.uploaded);
        const down = sum(sources, r => r.downloaded);
        expect(builder.labels("kpis")).toContain(`Traffic: ${bytes(sum(sources, r => r.total))}, uploaded ${bytes(up)}, downloaded ${bytes(down)}`);
        const top = categoryTotals(sources)[0];
        expect(builder.labels("category-traffic")[0]).toBe(categoryLabel(top, top.name));
        const streams = builder.scrolledLabels("stream-bytes");
        expect(streams.length).toBe(streamTotals(sources).length);
        expect(streams.some(label => label.startsWith("Global view"))).toBeFalse();
        const total = builder.panel("stream-bytes")!.querySelector(".shadowit-global-view")!;
        const text = `Global view, total of all streams: uploaded ${bytes(up)}, downloaded ${bytes(down)}`;
        expect(total.textContent).toBe(text);
        expect(total.getAttribute("aria-label")).toBe(text);
        expect(builder.note()).toBe("Totals from the Global view stream alone; the streams panel shows its sources");

        // Without it, the line goes and the note is empty again.
        builder.render(buildDataView(sources));
        expect(builder.panel("stream-bytes")!.querySelector(".shadowit-global-view")).toBeNull();
        expect(builder.note()).toBe("");
    });

    it("names negative values apart from invalid ones, and apps that changed attributes", () => {
        const rows = sources.map((row, i) => {
            if (i === 0) return { ...row, total: -4e9, blocked: -5 };
            if (i === 1) return { ...row, downloaded: Number.NaN };
            return row;
        });
        const dropbox = rows.findIndex((row, i) => i > 1 && row.app === rows[2].app && row.score !== null);
        rows[dropbox] = { ...rows[dropbox], score: (rows[dropbox].score! + 5) % 11, total: 1 };
        builder.render(buildDataView(rows));
        expect(builder.note()).toBe("2 negative values left out, not netted (Total bytes: 1, Blocked events: 1) · " +
            "1 invalid value left out (Downloaded bytes: 1) · " +
            "1 app changed score, category or tags: it is shown with those of most of its traffic");
    });
});
