// Kept for imports written before the split: DOM writes are in dom-writes.ts, series styles and legends in series.ts.
export { setAttributeIfChanged, setStyleIfChanged, setText } from "./dom-writes";
export { renderLegend, seriesStyle } from "./series";
export type { LegendEntry, SeriesStyle } from "./series";
