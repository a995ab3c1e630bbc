import powerbi from "powerbi-visuals-api";
import { generateDiscoveryRows } from "./helpers/discovery-data";
import { buildDataView } from "./helpers/data-view";
import { bytes, categoryLabel, categoryTotals, count, streamTotals, sumOfCategories } from "./helpers/expected";
import { resource } from "./helpers/localization";
import { computedColor } from "./helpers/stylesheet";
import { HIGH_CONTRAST, HostOptions, OperationKind, ShadowItBuilder, UpdateType } from "./helpers/visual-builder";
import englishResources from "../../stringResources/en-US/resources.resjson";
import DataView = powerbi.DataView;
import { failOnConsoleErrors } from "./helpers/console-errors";

describe("Shadow IT Discovery lifecycle", () => {
    const rows = generateDiscoveryRows();
    let builder: ShadowItBuilder;
    let started: jasmine.Spy;
    let finished: jasmine.Spy;
    let failed: jasmine.Spy;

    function setUp(options: HostOptions = {}): void {
        builder = new ShadowItBuilder(options);
        const events = builder.host.eventService;
        started = spyOn(events, "renderingStarted");
        finished = spyOn(events, "renderingFinished");
        failed = spyOn(events, "renderingFailed");
    }

    afterEach(() => builder.remove());
    failOnConsoleErrors();

    describe("rendering events", () => {
        beforeEach(() => setUp());

        const paths: [string, () => DataView[], Partial<powerbi.extensibility.visual.VisualUpdateOptions>][] = [
            ["full data", () => [buildDataView(rows)], {}],
            ["no DataView (landing page)", () => [], {}],
            ["missing fields", () => [buildDataView(rows, { groupings: ["AppName"], measures: [] })], {}],
            ["a style change", () => [buildDataView(rows)], { type: UpdateType.Style }],
            ["a live resize", () => [buildDataView(rows)], { type: UpdateType.Resize }],
            ["the end of a resize", () => [buildDataView(rows)], { type: UpdateType.ResizeEnd }],
        ];
        for (const [name, dataViews, extra] of paths) {
            it(`sends exactly one started and one finished for ${name}`, () => {
                builder.render(buildDataView(rows));
                started.calls.reset();
                finished.calls.reset();
                builder.updateWith(dataViews(), extra);
                expect(started).toHaveBeenCalledTimes(1);
                expect(finished).toHaveBeenCalledTimes(1);
                expect(failed).not.toHaveBeenCalled();
            });
        }

        it("sends exactly one started and one failed, with a reason and an on-canvas message, when the update throws", () => {
            const malformed = { metadata: { columns: [{ displayName: "x", roles: { AppCategory: true } }] }, categorical: { categories: [null] } };
            builder.updateWith([malformed as unknown as DataView]);
            expect(started).toHaveBeenCalledTimes(1);
            expect(finished).not.toHaveBeenCalled();
            expect(failed).toHaveBeenCalledTimes(1);
            const reason = failed.calls.mostRecent().args[1] as string;
            expect(typeof reason).toBe("string");
            expect(reason.length).toBeGreaterThan(0);
            const message = builder.root.querySelector(".shadowit-message")!;
            expect(message.textContent).toBe(`This visual could not be drawn: ${reason}`);
            // The next good update recovers.
            builder.render(buildDataView(rows));
            expect(finished).toHaveBeenCalledTimes(1);
            expect(builder.root.querySelector(".shadowit-message")).toBeNull();
            expect(builder.marks("category-traffic").length).toBe(11);
        });
    });

    describe("landing page", () => {
        beforeEach(() => setUp());

        it("explains which fields to drag when nothing is bound", () => {
            builder.updateWith([]);
            const landing = builder.root.querySelector(".shadowit-landing")!;
            expect(landing).not.toBeNull();
            expect(landing.textContent).toContain("McasShadowItReporting");
            // One line per registered panel: the five of the core fields, freshness and the timeline, which wait for
            // Time generated, and the top users, who wait for User name or IP address.
            expect(landing.querySelectorAll("li").length).toBe(9);
            expect(landing.textContent).toContain("App name with Total bytes for the top apps");
            expect(landing.textContent).toContain("Stream name with Time generated for the last day with data of each stream");
            expect(landing.textContent).toContain("App category and Total bytes");
            expect(builder.element.querySelector("[data-panel]")).toBeNull();
            builder.render(buildDataView(rows));
            expect(builder.root.querySelector(".shadowit-landing")).toBeNull();
            expect(builder.element.querySelectorAll("[data-panel]").length).toBe(5);
        });

        it("shows the landing page for a DataView without columns", () => {
            builder.updateWith([{ metadata: { columns: [] } } as DataView]);
            expect(builder.root.querySelector(".shadowit-landing")).not.toBeNull();
        });
    });

    describe("localization", () => {
        it("draws German text from the de-DE resources", () => {
            setUp({ locale: "de-DE" });
            builder.render(buildDataView(rows));
            expect(builder.panel("kpis")!.getAttribute("aria-label")).toBe(resource("de-DE", "Visual_Panel_Kpis"));
            expect(builder.panel("category-traffic")!.querySelector(".shadowit-panel-title")!.textContent)
                .toBe(resource("de-DE", "Visual_Panel_CategoryTraffic"));
            const other = sumOfCategories(categoryTotals(rows).slice(10));
            const tags = (["Visual_Tag_Sanctioned", "Visual_Tag_Unsanctioned", "Visual_Tag_Other"] as const).map(k => resource("de-DE", k));
            expect(builder.labels("category-traffic")).toContain(categoryLabel(other, "Sonstige", tags));
            const apps = new Set(rows.map(r => r.app)).size;
            expect(builder.labels("kpis")[0]).toBe(`Erkannte Apps: ${new Intl.NumberFormat("de-DE").format(apps)}`);
            const events = rows.reduce((s, r) => s + r.events, 0);
            const blocked = rows.reduce((s, r) => s + r.blocked, 0);
            const de = new Intl.NumberFormat("de-DE");
            const share = new Intl.NumberFormat("de-DE", { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
            expect(builder.labels("kpis")).toContain(
                `Blockierte Ereignisse: ${de.format(blocked)}, ${share.format(blocked / events)} von ${de.format(events)} Ereignissen`);
            expect(de.format(events)).toContain(".");
            const stream = streamTotals(rows)[0];
            expect(builder.labels("stream-bytes")[0])
                .toBe(`${stream.name}: hochgeladen ${bytes(stream.uploaded)}, heruntergeladen ${bytes(stream.downloaded)}`);
        });

        it("draws Japanese text from the ja-JP resources, also on the landing page", () => {
            setUp({ locale: "ja-JP" });
            builder.updateWith([]);
            expect(builder.root.querySelector(".shadowit-landing h2")!.textContent).toBe(resource("ja-JP", "Visual_Landing_Title"));
            builder.render(buildDataView(rows));
            expect(builder.panel("risk-bands")!.getAttribute("aria-label")).toBe("リスク レベル");
            expect(builder.labels("risk-bands")[0].startsWith("高リスク (0-3): ")).toBeTrue();
        });

        it("has every on-canvas string in all four locales", () => {
            setUp();
            const keys = Object.keys(englishResources).filter(k => k.startsWith("Visual_"));
            expect(keys.length).toBeGreaterThan(40);
            for (const locale of ["de-DE", "fr-FR", "ja-JP"]) {
                for (const key of keys) expect(resource(locale, key).length).withContext(`${locale} ${key}`).toBeGreaterThan(0);
            }
        });
    });

    describe("high contrast", () => {
        beforeEach(() => setUp({ highContrast: true }));

        it("uses only the palette's foreground, background and selected colours", () => {
            builder.render(buildDataView(rows, { highlight: r => r.stream === "Legal" ? 1 : 0 }));
            const allowed = [HIGH_CONTRAST.foreground, HIGH_CONTRAST.background, HIGH_CONTRAST.foregroundSelected, "transparent"];
            // Every bar is HTML: the style sheet paints it from the colours the renderers set.
            const painted = Array.from(builder.root.querySelectorAll(
                ".shadowit-segment:not(.shadowit-empty), .shadowit-band-bar, .shadowit-traffic-bar, .shadowit-highlight"));
            expect(painted.length).toBeGreaterThan(40);
            expect(painted.filter(p => p.classList.contains("shadowit-highlight")).length).toBeGreaterThan(0);
            for (const element of painted) {
                const style = getComputedStyle(element);
                expect([...allowed.slice(0, 3).map(computedColor), "rgba(0, 0, 0, 0)"]).toContain(style.backgroundColor);
                if (!element.classList.contains("shadowit-highlight")) {
                    expect(style.outlineStyle).not.toBe("none");
                    expect(style.outlineColor).toBe(computedColor(HIGH_CONTRAST.foreground));
                }
            }
            expect(builder.root.classList).toContain("shadowit-high-contrast");
            expect(builder.root.style.color).toBe("rgb(255, 255, 0)");
            // Tag classes differ by fill or pattern, not only by colour (drawn without a highlight, which leaves
            // only the outlines).
            builder.render(buildDataView(rows));
            const bar = builder.marks("category-traffic")[0];
            const styles = Array.from(bar.querySelectorAll(".shadowit-segment"))
                .map(s => `${getComputedStyle(s).backgroundColor}|${getComputedStyle(s).outlineStyle}`);
            expect(new Set(styles).size).toBe(styles.length);
        });
    });

    describe("fetchMoreData", () => {
        it("asks for more while a segment is present and folds the appended rows into the totals", () => {
            setUp();
            const fetch = spyOn(builder.host, "fetchMoreData").and.returnValue(true);
            const first = rows.slice(0, 250);
            builder.render(buildDataView(first, { segment: true }), { operationKind: OperationKind.Create });
            expect(fetch).toHaveBeenCalledTimes(1);
            expect(fetch.calls.mostRecent().args as unknown[]).toEqual([false]);
            expect(builder.note()).toBe(`Loading more data (${count(250)} rows so far)…`);

            // Incremental mode: the next update holds only the new rows.
            builder.render(buildDataView(rows.slice(250), { segment: false }), { operationKind: OperationKind.Segment });
            expect(fetch).toHaveBeenCalledTimes(1);
            const whole = categoryTotals(rows);
            expect(builder.labels("category-traffic")[0]).toBe(categoryLabel(whole[0], whole[0].name));
            const streams = streamTotals(rows);
            expect(builder.labels("stream-bytes")).toEqual(
                streams.map(s => `${s.name}: uploaded ${bytes(s.uploaded)}, downloaded ${bytes(s.downloaded)}`));
            expect(builder.note()).toBe("");
        });

        it("still folds a host's aggregated segment (operationKind Append, every row so far)", () => {
            setUp();
            spyOn(builder.host, "fetchMoreData").and.returnValue(true);
            builder.render(buildDataView(rows.slice(0, 250), { segment: true }), { operationKind: OperationKind.Create });
            builder.render(buildDataView(rows, { segment: false }), { operationKind: OperationKind.Append });
            const streams = streamTotals(rows);
            expect(builder.labels("stream-bytes")).toEqual(
                streams.map(s => `${s.name}: uploaded ${bytes(s.uploaded)}, downloaded ${bytes(s.downloaded)}`));
            expect(finished).toHaveBeenCalledTimes(1);
        });

        it("redraws the panels when the rows have doubled since the last drawing, and when loading ends", () => {
            setUp();
            const fetch = spyOn(builder.host, "fetchMoreData").and.returnValue(true);
            const firstCategory = (upTo: number) => {
                const top = categoryTotals(rows.slice(0, upTo))[0];
                return categoryLabel(top, top.name);
            };
            const segment = (from: number, to: number) => builder.render(
                buildDataView(rows.slice(from, to), { segment: to < 600 }), { operationKind: OperationKind.Segment });
            builder.render(buildDataView(rows.slice(0, 250), { segment: true }), { operationKind: OperationKind.Create });
            expect(builder.labels("category-traffic")[0]).toBe(firstCategory(250));

            // 400 rows: fewer than twice the 250 drawn, so only the note moves on.
            expect(firstCategory(400)).not.toBe(firstCategory(250));
            segment(250, 400);
            expect(fetch).toHaveBeenCalledTimes(2);
            expect(finished).not.toHaveBeenCalled();
            expect(builder.note()).toBe(`Loading more data (${count(400)} rows so far; the charts show the first ${count(250)})…`);
            expect(builder.labels("category-traffic")[0]).toBe(firstCategory(250));

            // 500 rows: doubled, so the panels are redrawn.
            segment(400, 500);
            expect(builder.note()).toBe(`Loading more data (${count(500)} rows so far)…`);
            expect(builder.labels("category-traffic")[0]).toBe(firstCategory(500));

            // The last segment: everything is drawn whatever the count, and the rendering finishes.
            segment(500, 600);
            expect(fetch).toHaveBeenCalledTimes(3);
            expect(finished).toHaveBeenCalledTimes(1);
            expect(started).toHaveBeenCalledTimes(1);
            expect(builder.note()).toBe("");
            expect(builder.labels("category-traffic")[0]).toBe(firstCategory(600));
            expect(builder.labels("stream-bytes")).toEqual(streamTotals(rows.slice(0, 600))
                .map(s => `${s.name}: uploaded ${bytes(s.uploaded)}, downloaded ${bytes(s.downloaded)}`));
            expect(failed).not.toHaveBeenCalled();
        });

        it("stops at the row cap and says so", () => {
            setUp();
            const fetch = spyOn(builder.host, "fetchMoreData").and.returnValue(true);
            const many = generateDiscoveryRows(99, 30000);
            const objects = { format: { rowCap: 30000 } };
            builder.render(buildDataView(many.slice(0, 20000), { segment: true, objects }), { operationKind: OperationKind.Create });
            expect(fetch).toHaveBeenCalledTimes(1);
            builder.render(buildDataView(many.slice(20000), { segment: true, objects }), { operationKind: OperationKind.Segment });
            expect(fetch).toHaveBeenCalledTimes(1);
            expect(builder.note()).toBe(`Row limit reached: showing the first ${count(30000)} rows. To see them all, show one panel per visual (Format pane, Panel mode) or bind fewer fields`);
            const total = many.reduce((s, r) => s + r.total, 0);
            expect(builder.labels("kpis")).toContain(
                `Traffic: ${bytes(total)}, uploaded ${bytes(many.reduce((s, r) => s + r.uploaded, 0))}, downloaded ${bytes(many.reduce((s, r) => s + r.downloaded, 0))}`);
        });

        it("says that the host declined when fetchMoreData refuses", () => {
            setUp({ fetchMoreData: false });
            const fetch = spyOn(builder.host, "fetchMoreData").and.callThrough();
            builder.render(buildDataView(rows, { segment: true }));
            expect(fetch).toHaveBeenCalledTimes(1);
            expect(builder.note()).toBe(`Power BI declined to send more rows: the charts show the first ${count(rows.length)}. `
                + "To load the rest, refresh the visual (reopen the page or change a filter)");
        });
    });

    describe("resizing", () => {
        beforeEach(() => setUp());

        it("follows a live resize cheaply and redoes the layout when the resize ends", () => {
            builder.render(buildDataView(rows));
            const panelBefore = builder.panel("stream-bytes")!;
            builder.viewport = { width: 300, height: 240 };
            builder.updateWith([buildDataView(rows)], { type: UpdateType.Resize });
            expect(builder.root.style.width).toBe("300px");
            expect(builder.panel("stream-bytes")).toBe(panelBefore);
            builder.updateWith([buildDataView(rows)], { type: UpdateType.ResizeEnd });
            expect(builder.panel("stream-bytes")).toBeNull();
            expect(builder.root.querySelector(".shadowit-hint")!.textContent).toMatch(/panels? hidden: enlarge the visual/);
        });

        it("uses the font size from the formatting pane, and sizes the panel titles from it", () => {
            builder.render(buildDataView(rows, { objects: { format: { fontSize: 14 } } }));
            expect(builder.root.style.fontSize).toBe("14px");
            const title = () => builder.panel("risk-bands")!.querySelector<HTMLElement>(".shadowit-panel-title")!;
            expect(title().style.fontSize).toBe("16px");
            builder.render(buildDataView(rows, { objects: { format: { fontSize: 20 } } }));
            expect(builder.root.style.fontSize).toBe("20px");
            expect(title().style.fontSize).toBe("23px");
        });
    });
});
