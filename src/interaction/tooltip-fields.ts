import powerbi from "powerbi-visuals-api";
import DataView = powerbi.DataView;
import DataViewValueColumn = powerbi.DataViewValueColumn;
import VisualTooltipDataItem = powerbi.extensibility.VisualTooltipDataItem;
import { formatWithFormatString } from "../render/format-string";

/** How the values of a Tooltips field combine over the rows of one item (a category, band, stream or app). */
export type TooltipAggregation = "sum" | "min" | "max" | "same";

/**
 * Power BI writes an implicit aggregation into the field's query name ("Sum(McasShadowItReporting.TotalEvents)").
 * A sum adds up over rows, and so do a minimum and a maximum; anything else (average, count, distinct count, a DAX
 * measure) does not, so its value is shown only when every row of the item has the same one.
 */
export function aggregationOf(source: { readonly queryName?: string }): TooltipAggregation {
    const queryName = source.queryName ?? "";
    if (queryName.startsWith("Sum(")) return "sum";
    if (queryName.startsWith("Min(")) return "min";
    if (queryName.startsWith("Max(")) return "max";
    return "same";
}

export interface TooltipFieldLabels {
    /** Text of a blank value, e.g. "(Blank)". */
    readonly blank: string;
    /** Text of a value that differs between the item's rows and does not add up, e.g. "varies by row". */
    readonly varies: string;
}

function isValue(value: unknown): value is number | string | boolean | Date {
    return value !== null && value !== undefined && !(typeof value === "number" && !Number.isFinite(value));
}

function combine(values: readonly unknown[], aggregation: TooltipAggregation): { value: unknown } | "varies" | null {
    const present = values.filter(isValue);
    if (present.length === 0) return null;
    switch (aggregation) {
        case "sum": {
            const numbers = present.filter((v): v is number => typeof v === "number");
            return numbers.length === 0 ? null : { value: numbers.reduce((a, b) => a + b, 0) };
        }
        case "min":
        case "max": {
            let best = present[0];
            for (const value of present) {
                if (aggregation === "min" ? value < best : value > best) best = value;
            }
            return { value: best };
        }
        case "same": {
            const first = present[0];
            const key = (v: unknown) => (v instanceof Date ? v.getTime() : v);
            return present.every(v => key(v) === key(first)) && present.length === values.length ? { value: first } : "varies";
        }
    }
}

/**
 * The fields of the Tooltips well, one tooltip line each, for the rows of one item (`rows`), or for the whole
 * DataView (`rows` null: a key figure), where the host's grand total (`subtotal`) is used when it gives one.
 * Values are formatted with the field's format string and the host's locale, as Power BI's own tooltips do.
 */
export function tooltipFieldItems(dataView: DataView | undefined, rows: readonly number[] | null, locale: string,
    labels: TooltipFieldLabels): VisualTooltipDataItem[] {
    const columns = (dataView?.categorical?.values ?? []).filter((column: DataViewValueColumn) => column.source.roles?.Tooltips === true);
    return columns.map(column => {
        const source = column.source;
        const subtotal = column.subtotal ?? source.aggregates?.subtotal;
        let combined: { value: unknown } | "varies" | null;
        if (rows === null && isValue(subtotal)) combined = { value: subtotal };
        else {
            const cells = rows === null ? column.values : rows.map(row => column.values[row]);
            combined = combine(cells, aggregationOf(source));
        }
        const value = combined === null ? labels.blank
            : combined === "varies" ? labels.varies
            : formatWithFormatString(combined.value, source.format, locale);
        return { displayName: source.displayName, value };
    });
}
