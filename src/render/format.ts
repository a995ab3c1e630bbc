import { ByteUnits, formatBytes } from "../schema";

/** Number formatting for one render pass: locale-aware counts and shares, bytes in the chosen units. */
export class Formatter {
    private readonly counts: Intl.NumberFormat;
    private readonly shares: Intl.NumberFormat;
    private readonly smallCounts: (string | undefined)[];

    constructor(private readonly locale: string, readonly byteUnits: ByteUnits) {
        const formats = numberFormatsOf(locale);
        this.counts = formats.counts;
        this.shares = formats.shares;
        this.smallCounts = formats.smallCounts;
    }

    bytes(value: number): string {
        return formatBytes(value, this.byteUnits);
    }

    count(value: number): string {
        // Small counts (scores, users per app, most tile values) recur in every render: each is formatted once.
        if (value >= 0 && value < SMALL_COUNTS && Number.isInteger(value)) {
            return (this.smallCounts[value] ??= this.counts.format(value));
        }
        return this.counts.format(value);
    }

    share(value: number): string {
        return this.shares.format(value);
    }

    /** A calendar day (model/days.ts: days since 1970-01-01) as a short localized date, e.g. "2 Mar 2026". */
    day(day: number): string {
        return dayFormatOf(this.locale).format(new Date(day * 86_400_000));
    }
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The date format of a locale, in UTC: a day is a calendar date, never shifted by the viewer's time zone. */
function dayFormatOf(locale: string): Intl.DateTimeFormat {
    let format = dayFormats.get(locale);
    if (format === undefined) {
        format = new Intl.DateTimeFormat(supportedLocale(locale), { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
        dayFormats.set(locale, format);
    }
    return format;
}

interface NumberFormats {
    readonly counts: Intl.NumberFormat;
    readonly shares: Intl.NumberFormat;
    /** Formatted integers below SMALL_COUNTS, filled as they are first formatted. */
    readonly smallCounts: (string | undefined)[];
}

const SMALL_COUNTS = 1024;

/** Intl formats are costly to build: one pair per locale, made once (a visual sees one or two locales). */
const formatsByLocale = new Map<string, NumberFormats>();

function numberFormatsOf(locale: string): NumberFormats {
    let formats = formatsByLocale.get(locale);
    if (formats === undefined) {
        const safeLocale = supportedLocale(locale);
        formats = {
            counts: new Intl.NumberFormat(safeLocale, { maximumFractionDigits: 0 }),
            shares: new Intl.NumberFormat(safeLocale, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 }),
            smallCounts: [],
        };
        formatsByLocale.set(locale, formats);
    }
    return formats;
}

function supportedLocale(locale: string): string {
    try {
        return Intl.NumberFormat.supportedLocalesOf([locale]).length > 0 ? locale : "en-US";
    } catch {
        return "en-US";
    }
}

const ELLIPSIS = "…";
const FONT_FAMILY = "\"Segoe UI\", wf_segoe-ui_normal, helvetica, arial, sans-serif";

let measureContext: CanvasRenderingContext2D | null | undefined;
/** Font size the canvas is set to: setting `font` is parsed by the browser on every assignment. */
let measuredFont = -1;
/**
 * Measured widths per font size and text: updates redraw the same names, and fitting one name takes several
 * measurements. Bounded, so hostile data cannot grow it without limit.
 */
const widthsBySize = new Map<number, Map<string, number>>();
const MAX_CACHED_WIDTHS = 20_000;

/** Width of `text` in pixels at `fontSizePx`, measured with a canvas when available, else estimated. */
export function textWidth(text: string, fontSizePx: number): number {
    if (measureContext === undefined) {
        try {
            measureContext = document.createElement("canvas").getContext("2d");
        } catch {
            measureContext = null;
        }
    }
    if (!measureContext) return text.length * fontSizePx * 0.56;
    let widths = widthsBySize.get(fontSizePx);
    if (widths === undefined) {
        widths = new Map();
        widthsBySize.set(fontSizePx, widths);
    }
    let width = widths.get(text);
    if (width === undefined) {
        if (measuredFont !== fontSizePx) {
            measureContext.font = `${fontSizePx}px ${FONT_FAMILY}`;
            measuredFont = fontSizePx;
        }
        width = measureContext.measureText(text).width;
        if (widths.size >= MAX_CACHED_WIDTHS) widths.clear();
        widths.set(text, width);
    }
    return width;
}

/** Fitted names per font size and width: a new visual instance fits the names an earlier one did. Bounded. */
const fittedBySize = new Map<number, Map<number, Map<string, string>>>();
let fittedCount = 0;

/** Shortens `text` to fit `widthPx` at `fontSizePx`, ending in an ellipsis; measured with a canvas when available. */
export function fitText(text: string, widthPx: number, fontSizePx: number): string {
    if (fittedCount >= MAX_CACHED_WIDTHS) {
        fittedBySize.clear();
        fittedCount = 0;
    }
    let byWidth = fittedBySize.get(fontSizePx);
    if (byWidth === undefined) {
        byWidth = new Map();
        fittedBySize.set(fontSizePx, byWidth);
    }
    let fitted = byWidth.get(widthPx);
    if (fitted === undefined) {
        fitted = new Map();
        byWidth.set(widthPx, fitted);
    }
    let shown = fitted.get(text);
    if (shown === undefined) {
        shown = fitUncached(text, widthPx, fontSizePx);
        fitted.set(text, shown);
        fittedCount++;
    }
    return shown;
}

function fitUncached(text: string, widthPx: number, fontSizePx: number): string {
    if (textWidth(text, fontSizePx) <= widthPx) return text;
    // Binary search on the prefix length; long names are capped first so a 10,000-character name stays cheap.
    let low = 0;
    let high = Math.min(text.length, Math.ceil(widthPx / (fontSizePx * 0.2)));
    while (low < high) {
        const mid = Math.ceil((low + high) / 2);
        if (textWidth(text.slice(0, mid).trimEnd() + ELLIPSIS, fontSizePx) <= widthPx) low = mid;
        else high = mid - 1;
    }
    return low === 0 ? ELLIPSIS : text.slice(0, low).trimEnd() + ELLIPSIS;
}
