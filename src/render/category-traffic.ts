import { CategoryBar } from "../model/types";
import { TagClass } from "../schema";
import { applySeriesStyle, BarRowMark, barRowsLayout, highlightPrototype, renderBarRows } from "./bar-rows";
import { fitText } from "./format";
import { AnySelection, renderLegend, seriesStyle, svgElement } from "./shared";
import { StringKey } from "./strings";
import { Box, Mark, RenderContext } from "./types";

const TAGS: readonly { tag: TagClass; label: StringKey }[] = [
    { tag: "sanctioned", label: "Visual_Tag_Sanctioned" },
    { tag: "unsanctioned", label: "Visual_Tag_Unsanctioned" },
    { tag: "other", label: "Visual_Tag_Other" },
];

/** Writer slots of each tag's segment, in TAGS order. */
const SEGMENT_SLOTS = TAGS.map(t => ({
    shown: `${t.tag}.shown`,
    label: `${t.tag}.label`,
    x: `${t.tag}.x`,
    width: `${t.tag}.width`,
}));

interface BarMark extends BarRowMark {
    readonly bar: CategoryBar;
    readonly valueText: string;
    /** Each tag's bytes as shown, in TAGS order. */
    readonly tagTexts: readonly string[];
}

function tagColor(ctx: RenderContext, tag: TagClass): string {
    return tag === "sanctioned" ? ctx.colors.sanctioned : tag === "unsanctioned" ? ctx.colors.unsanctioned : ctx.colors.otherTag;
}

export function categoryMarks(bars: readonly CategoryBar[], ctx: RenderContext, labelWidth: number): BarMark[] {
    const { strings, format } = ctx;
    const categoryName = strings.get("Visual_Field_AppCategory");
    const traffic = strings.get("Visual_Traffic");
    const tagNames = TAGS.map(t => strings.get(t.label));
    const highlightedName = strings.format("Visual_Highlighted", { value: "" }).trim();
    return bars.map(bar => {
        const name = bar.label.text;
        const valueText = format.bytes(bar.totalBytes);
        const tagTexts = TAGS.map(t => format.bytes(bar.byTag[t.tag]));
        const tooltip = [
            { displayName: categoryName, value: name },
            { displayName: traffic, value: valueText },
            ...TAGS.map((_t, i) => ({ displayName: tagNames[i], value: tagTexts[i] })),
        ];
        let highlighted = "";
        if (bar.highlightedBytes !== null) {
            const highlightedText = format.bytes(bar.highlightedBytes);
            highlighted = `, ${strings.format("Visual_Highlighted", { value: highlightedText })}`;
            tooltip.push({ displayName: highlightedName, value: highlightedText });
        }
        return {
            key: `category-traffic:${bar.label.key}`,
            panel: "category-traffic" as const,
            ariaLabel: `${name}: ${valueText}${highlighted}`,
            selection: bar.selection.rows.length > 0 ? bar.selection : null,
            tooltip,
            name,
            shownLabel: fitText(name, labelWidth, ctx.fontSize),
            bar,
            valueText,
            tagTexts,
        };
    });
}

/**
 * Horizontal bars of TotalBytes per category, each split into sanctioned / unsanctioned / other tags.
 *
 * A row is `g.shadowit-bar` with the hit area, the label, `g.shadowit-segments` holding one
 * `rect.shadowit-segment` per tag with traffic, the value, and the highlight bar when the category is
 * cross-highlighted.
 */
export function renderCategoryTraffic(
    body: AnySelection<HTMLDivElement, unknown>, bars: readonly CategoryBar[], box: Box, ctx: RenderContext,
): Mark[] {
    const { strings, fontSize, colors } = ctx;
    const styles = TAGS.map((t, i) => seriesStyle(ctx, tagColor(ctx, t.tag), i));
    const tagNames = TAGS.map(t => strings.get(t.label));
    renderLegend(body, TAGS.map((t, i) => ({ key: t.tag, label: tagNames[i], style: styles[i] })));

    const layout = barRowsLayout(box, fontSize, bars.length, 1.5, 2.6);
    const { labelWidth, rowHeight } = layout;
    const barHeight = Math.round(rowHeight * 0.68);
    const strokeWidth = colors.highContrast ? 1.5 : 0;
    const highlightFill = colors.highContrast ? colors.foregroundSelected : colors.foreground;
    const marks = categoryMarks(bars, ctx, labelWidth - 6);
    let largest = 0;
    for (const b of bars) largest = Math.max(largest, b.totalBytes);
    const domain = largest || 1;
    // As a linear scale from [0, domain] to [0, barWidth] computes it, so positions match to the last digit.
    const x = (value: number): number => layout.barWidth * (value / domain);

    /** One segment per tag, kept as parts to clone when a row that lacked a tag gains it. */
    let segmentPrototypes: SVGRectElement[] | null = null;
    const segmentPrototype = (tagIndex: number): SVGRectElement => {
        segmentPrototypes ??= TAGS.map((_t, i) => {
            const segment = segmentElement(i);
            applySeriesStyle(segment, styles[i], strokeWidth);
            return segment;
        });
        return segmentPrototypes[tagIndex];
    };
    const highlight = highlightPrototype(highlightFill);

    renderBarRows(body, marks, {
        rowClass: "shadowit-bar",
        chartLabel: strings.get("Visual_Panel_CategoryTraffic"),
        layout,
        geometry: { "--shadowit-bar-height": barHeight, "--shadowit-bar-top": (rowHeight - barHeight) / 2 },
        paintKey: [strokeWidth, highlightFill, ...styles.map(s => `${s.fill} ${s.stroke} ${s.dash ?? ""}`)].join("|"),
        buildParts: template => {
            // Every tag's segment: a new row drops the ones it has no traffic for.
            const segments = template.appendChild(svgElement("g", { "class": "shadowit-segments" }));
            TAGS.forEach((_t, i) => segments.appendChild(segmentElement(i)));
            template.appendChild(svgElement("text", { "class": "shadowit-value" })).appendChild(document.createTextNode(""));
        },
        applyPaint: row => {
            const segments = row.children[2].children;
            for (let i = 0; i < segments.length; i++) {
                const segment = segments[i];
                const tagIndex = TAGS.findIndex(t => segment.classList.contains(`shadowit-tag-${t.tag}`));
                applySeriesStyle(segment, styles[tagIndex], strokeWidth);
            }
            const last = row.lastElementChild;
            if (last?.classList.contains("shadowit-highlight")) last.setAttribute("fill", highlightFill);
        },
        update: (row, mark, write) => {
            const bar = mark.bar;
            write.toggleClass(row, "other", "shadowit-other", bar.isOther);
            write.toggleClass(row, "hasHighlight", "shadowit-has-highlight", bar.highlightedBytes !== null);
            // After the hit area and the label: the segments, then the value.
            const segments = row.firstElementChild!.nextElementSibling!.nextElementSibling!;
            let next = segments.firstElementChild;
            let start = 0;
            for (let i = 0; i < TAGS.length; i++) {
                const slots = SEGMENT_SLOTS[i];
                const value = bar.byTag[TAGS[i].tag];
                // A row shows the segments it painted, and a new row all of the template's.
                const present = (write.flag(slots.shown) ?? true) ? next : null;
                if (value <= 0) {
                    if (present !== null) {
                        next = present.nextElementSibling;
                        present.remove();
                    }
                    write.setFlag(slots.shown, false);
                    continue;
                }
                const segment = present ?? segments.insertBefore(segmentPrototype(i).cloneNode(true) as SVGRectElement, next);
                if (present === null) write.forget(slots.label, slots.x, slots.width);
                write.setFlag(slots.shown, true);
                next = segment.nextElementSibling;
                const x0 = x(start);
                const x1 = x(start + value);
                start += value;
                write.attr(segment, slots.label, "aria-label", `${mark.name}, ${tagNames[i]}: ${mark.tagTexts[i]}`);
                write.attr(segment, slots.x, "x", x0);
                write.attr(segment, slots.width, "width", Math.max(0, x1 - x0));
            }
            const valueText = segments.nextElementSibling!;
            write.attr(valueText, "value.x", "x", labelWidth + x(bar.totalBytes) + 4);
            write.text(valueText, "value.text", mark.valueText);
            write.highlight(row, "highlight", highlight, bar.highlightedBytes === null ? null : x(bar.highlightedBytes));
        },
    });
    return marks;
}

function segmentElement(tagIndex: number): SVGRectElement {
    const segment = svgElement("rect", { "class": `shadowit-segment shadowit-tag-${TAGS[tagIndex].tag}` });
    segment.setAttribute("role", "img");
    return segment;
}
