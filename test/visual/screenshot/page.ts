// A page that draws the visual on generated discovery data with the testutils mock host, for looking at the
// layout in a real browser (see render.cjs). Not part of the karma suite.
import { createVisualHost, MockIVisualHost } from "powerbi-visuals-utils-testutils";
import powerbi from "powerbi-visuals-api";
import { Visual } from "../../../src/visual";
import { generateDiscoveryRows } from "../helpers/discovery-data";
import { buildDataView } from "../helpers/data-view";
import { configureHost, HIGH_CONTRAST } from "../helpers/visual-builder";

const params = new URLSearchParams(location.search);
const width = Number(params.get("width") ?? 900);
const height = Number(params.get("height") ?? 600);
const locale = params.get("locale") ?? "en-US";
const element = document.getElementById("visual") as HTMLElement;
element.style.width = `${width}px`;
element.style.height = `${height}px`;
// createVisualHost builds a MockIVisualHost (powerbi-visuals-utils-testutils).
const host = createVisualHost({}) as unknown as MockIVisualHost;
const highContrast = params.get("hc") === "1";
configureHost(host, { locale, highContrast });
if (highContrast) document.body.style.background = HIGH_CONTRAST.background;
const visual = new Visual({ element, host });
const rows = generateDiscoveryRows();
if (params.get("bad") === "1") {
    rows[0].category = "<img src=x onerror=alert(1)> " + "Very long category name ".repeat(20);
    rows[1].total = Number.NaN;
}
const dataView = buildDataView(rows, {
    highlight: params.get("highlight") === "1" ? (r => r.stream === "Finance Department" ? 1 : 0) : undefined,
    // panel=<id>: panel mode, the one panel alone.
    objects: params.get("panel") ? { panelMode: { panel: params.get("panel") as string } } : undefined,
});
const empty = params.get("landing") === "1";
visual.update({
    dataViews: empty ? [] : [dataView], viewport: { width, height }, type: 2,
} as unknown as powerbi.extensibility.visual.VisualUpdateOptions);
document.documentElement.dataset.renderState = "finished";
