import { CategoryBar } from "../model/types";
import { TAG_CLASSES, TagClass } from "../schema";
import { BarRowMark, barRowsLayout, renderBarRows } from "./bar-rows";
import { fitText } from "./format";
import { usersTexts } from "./distinct-count";
import { highlightPart, htmlElement, seriesPropertyValues } from "./html-rows";
import { renderLegend, TAG_CLASS_NAMES, tagStyle } from "./series";
import { StringKey } from "./strings";
import { Box, Mark, RenderContext } from "./types";

const TAGS: readonly { tag: TagClass; label: StringKey }[] = TAG_CLASSES.map(tag => ({ tag, label: TAG_CLASS_NAMES[tag] }));

/** Writer slot of each tag's segment being empty, in TAGS order. */
const EMPTY_SLOTS = TAGS.map(t => `${t.tag}.empty`);

interface BarMark extends BarRowMark {
    readonly bar: CategoryBar;
    readonly valueText: string;
    /** Each tag's bytes as shown, in TAGS order. */
    readonly tagTexts: readonly string[];
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
        const highlightedText = bar.highlightedBytes === null ? null : format.bytes(bar.highlightedBytes);
        const highlighted = highlightedText === null ? "" : `, ${strings.format("Visual_Highlighted", { value: highlightedText })}`;
        // An option's parts are presentational, so the row's name carries the split by tag.
        const split = TAGS.flatMap((t, i) => (bar.byTag[t.tag] > 0 ? [`${tagNames[i]}: ${tagTexts[i]}`] : [])).join(", ");
        const users = usersTexts(bar.users, ctx);
        return {
            key: `category-traffic:${bar.label.key}`,
            panel: "category-traffic" as const,
            ariaLabel: `${name}: ${valueText}${split === "" ? "" : ` (${split})`}${users === null ? "" : `, ${users.phrase}`}${highlighted}`,
            selection: bar.selection.rows.length > 0 ? bar.selection : null,
            // Built when the pointer reaches the bar.
            get tooltip() {
                const tooltip = [
                    { displayName: categoryName, value: name },
                    { displayName: traffic, value: valueText },
                    ...TAGS.map((_t, i) => ({ displayName: tagNames[i], value: tagTexts[i] })),
                ];
                if (users !== null) tooltip.push({ displayName: users.tooltipName, value: users.value });
                if (highlightedText !== null) tooltip.push({ displayName: highlightedName, value: highlightedText });
                return tooltip;
            },
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
 * A row is `.shadowit-bar` with the label, `.shadowit-segments` holding one `.shadowit-segment` per tag (hidden,
 * `.shadowit-empty`, for a tag without traffic) laid out one after the other, the value, and the highlight bar
 * when the category is cross-highlighted. The row's aria-label names the split by tag.
 */
export function renderCategoryTraffic(
    body: HTMLDivElement, bars: readonly CategoryBar[], box: Box, ctx: RenderContext,
): Mark[] {
    const { strings, fontSize, colors } = ctx;
    const styles = TAGS.map(t => tagStyle(ctx, t.tag));
    const tagNames = TAGS.map(t => strings.get(t.label));
    renderLegend(body, TAGS.map((t, i) => ({ key: t.tag, label: tagNames[i], style: styles[i] })));

    const layout = barRowsLayout(box, fontSize, bars.length, 1.5, 2.6);
    const { labelWidth, rowHeight } = layout;
    const barHeight = Math.round(rowHeight * 0.68);
    const highlightFill = colors.highContrast ? colors.foregroundSelected : colors.foreground;
    const marks = categoryMarks(bars, ctx, labelWidth - 6);
    let largest = 0;
    for (const b of bars) largest = Math.max(largest, b.totalBytes);
    const domain = largest || 1;
    // value / domain first, then times the width: the pixel positions the bars had since the first version,
    // to the last digit.
    const x = (value: number): number => layout.barWidth * (value / domain);
    const colours: Record<string, string> = { "--shadowit-highlight-fill": highlightFill };
    TAGS.forEach((t, i) => Object.assign(colours, seriesPropertyValues(t.tag, styles[i], colors.highContrast)));

    renderBarRows(body, marks, {
        rowClass: "shadowit-bar",
        chartLabel: strings.get("Visual_Panel_CategoryTraffic"),
        layout,
        properties: { "--shadowit-bar-height": barHeight, "--shadowit-bar-top": (rowHeight - barHeight) / 2, ...colours },
        buildParts: template => {
            const segments = template.appendChild(htmlElement("div", "shadowit-segments"));
            for (const t of TAGS) segments.appendChild(htmlElement("div", `shadowit-segment shadowit-tag-${t.tag}`));
            template.appendChild(htmlElement("span", "shadowit-value", ""));
        },
        geometry: mark => {
            const bar = mark.bar;
            let geometry = "";
            let start = 0;
            for (const t of TAGS) {
                const value = bar.byTag[t.tag];
                if (value <= 0) continue;
                // Segments follow one another: each one's width is where it ends less where it starts.
                const x0 = x(start);
                start += value;
                geometry += `--shadowit-${t.tag}-w:${Math.max(0, x(start) - x0)}px;`;
            }
            geometry += `--shadowit-value-x:${labelWidth + x(bar.totalBytes) + 4}px`;
            return bar.highlightedBytes === null ? geometry : `${geometry};--shadowit-highlight-w:${Math.max(0, x(bar.highlightedBytes))}px`;
        },
        update: (row, mark, write) => {
            const bar = mark.bar;
            write.toggleClass(row, "other", "shadowit-other", bar.isOther);
            write.toggleClass(row, "hasHighlight", "shadowit-has-highlight", bar.highlightedBytes !== null);
            // After the label: the segments, then the value.
            const segments = row.firstElementChild!.nextElementSibling!;
            let segment = segments.firstElementChild!;
            for (let i = 0; i < TAGS.length; i++) {
                write.toggleClass(segment, EMPTY_SLOTS[i], "shadowit-empty", bar.byTag[TAGS[i].tag] <= 0);
                segment = segment.nextElementSibling!;
            }
            write.text(segments.nextElementSibling!, "value.text", mark.valueText);
            write.optionalChild(row, "highlight", highlightPart(), bar.highlightedBytes !== null);
        },
    });
    return marks;
}
