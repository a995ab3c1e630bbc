import { RISK_BAND_IDS, RiskBandId, TAG_CLASSES, TagClass } from "../schema";
import { setStyleIfChanged, setText } from "./dom-writes";
import { htmlElement } from "./html-rows";
import { StringKey } from "./strings";
import { RenderContext } from "./types";

// How the panels tell series apart: colours, high-contrast patterns, legends, and the names of bands and tags.

export const RISK_BAND_NAMES: Readonly<Record<RiskBandId, StringKey>> = {
    high: "Visual_Risk_High",
    medium: "Visual_Risk_Medium",
    low: "Visual_Risk_Low",
    unscored: "Visual_Risk_Unscored",
};

export const TAG_CLASS_NAMES: Readonly<Record<TagClass, StringKey>> = {
    sanctioned: "Visual_Tag_Sanctioned",
    unsanctioned: "Visual_Tag_Unsanctioned",
    other: "Visual_Tag_Other",
};

export interface SeriesStyle {
    readonly fill: string;
    readonly stroke: string;
    readonly dash: string | null;
}

/**
 * Fill and outline of the series at `index`. In high contrast only the palette's foreground and background are
 * used and series differ by fill or outline pattern, never by colour or opacity alone.
 */
export function seriesStyle(ctx: RenderContext, color: string, index: number): SeriesStyle {
    if (!ctx.colors.highContrast) return { fill: color, stroke: color, dash: null };
    const fg = ctx.colors.foreground;
    const bg = ctx.colors.background;
    return [
        { fill: fg, stroke: fg, dash: null },
        { fill: bg, stroke: fg, dash: null },
        { fill: bg, stroke: fg, dash: "3 2" },
        { fill: bg, stroke: fg, dash: "1 2" },
    ][index % 4];
}

export interface LegendEntry {
    readonly key: string;
    readonly label: string;
    readonly style: SeriesStyle;
}

/** Legend of swatches, drawn as HTML so long names wrap instead of overlapping; screen readers skip it. */
export function renderLegend(parent: HTMLElement, entries: readonly LegendEntry[]): void {
    let legend = parent.firstElementChild as HTMLElement | null;
    if (legend === null || legend.className !== "shadowit-legend") {
        legend = parent.insertBefore(document.createElement("div"), legend);
        legend.className = "shadowit-legend";
        legend.setAttribute("aria-hidden", "true");
    }
    while (legend.children.length > entries.length) legend.lastElementChild!.remove();
    while (legend.children.length < entries.length) legend.appendChild(legendItem().cloneNode(true));
    entries.forEach((entry, i) => {
        const item = legend!.children[i] as HTMLElement;
        const swatch = item.firstElementChild as HTMLElement;
        const { fill, stroke, dash } = entry.style;
        setStyleIfChanged(swatch, "background-color", fill);
        setStyleIfChanged(swatch, "border-color", stroke);
        setStyleIfChanged(swatch, "border-style", dash === null ? "solid" : "dashed");
        setText(item.lastElementChild!, entry.label);
    });
}

/**
 * The note line of `className` right below a panel's legend (a `role="note"`), with `text`; removed while the text is
 * empty. Returns the line while it is shown.
 */
export function renderNoteLine(body: HTMLElement, className: string, text: string): HTMLElement | null {
    let line: HTMLElement | null = null;
    for (let child = body.firstElementChild; child !== null; child = child.nextElementSibling) {
        if (child.className === className) line = child as HTMLElement;
    }
    if (text === "") {
        line?.remove();
        return null;
    }
    if (line === null) {
        line = htmlElement("div", className);
        line.setAttribute("role", "note");
        const legend = body.firstElementChild;
        body.insertBefore(line, legend === null ? null : legend.nextSibling);
    }
    if (line.textContent !== text) line.textContent = text;
    return line;
}

let legendItemPrototype: HTMLElement | null = null;

/** A legend entry before its colours and text: the swatch, then the label with a text node to fill. */
function legendItem(): HTMLElement {
    if (legendItemPrototype === null) {
        legendItemPrototype = document.createElement("span");
        legendItemPrototype.className = "shadowit-legend-item";
        legendItemPrototype.appendChild(document.createElement("span")).className = "shadowit-swatch";
        const label = legendItemPrototype.appendChild(document.createElement("span"));
        label.className = "shadowit-legend-label";
        label.appendChild(document.createTextNode(""));
    }
    return legendItemPrototype;
}

export function tagColor(ctx: RenderContext, tag: TagClass): string {
    return tag === "sanctioned" ? ctx.colors.sanctioned : tag === "unsanctioned" ? ctx.colors.unsanctioned : ctx.colors.otherTag;
}

/** A sanctioned state's style (null: other tags): its colour, or in high contrast its pattern by TAG_CLASSES order. */
export function tagStyle(ctx: RenderContext, tag: TagClass | null): SeriesStyle {
    const t = tag ?? "other";
    return seriesStyle(ctx, tagColor(ctx, t), TAG_CLASSES.indexOf(t));
}

/** A risk band's style: its colour, or in high contrast its pattern by RISK_BAND_IDS order. */
export function bandStyle(ctx: RenderContext, band: RiskBandId): SeriesStyle {
    return seriesStyle(ctx, ctx.colors[band], RISK_BAND_IDS.indexOf(band));
}
