import { ByteUnits, formatBytes } from "../schema";

/** Number formatting for one render pass: locale-aware counts and shares, bytes in the chosen units. */
export class Formatter {
    private readonly counts: Intl.NumberFormat;
    private readonly shares: Intl.NumberFormat;

    constructor(locale: string, readonly byteUnits: ByteUnits) {
        const safeLocale = supportedLocale(locale);
        this.counts = new Intl.NumberFormat(safeLocale, { maximumFractionDigits: 0 });
        this.shares = new Intl.NumberFormat(safeLocale, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
    }

    bytes(value: number): string {
        return formatBytes(value, this.byteUnits);
    }

    count(value: number): string {
        return this.counts.format(value);
    }

    share(value: number): string {
        return this.shares.format(value);
    }
}

function supportedLocale(locale: string): string {
    try {
        return Intl.NumberFormat.supportedLocalesOf([locale]).length > 0 ? locale : "en-US";
    } catch {
        return "en-US";
    }
}

const ELLIPSIS = "…";

/**
 * Shortens `text` to fit `widthPx` at `fontSizePx`, ending in an ellipsis. An average glyph width of 0.56 em for
 * Segoe UI keeps this deterministic (no layout reads) and errs on the short side.
 */
export function fitText(text: string, widthPx: number, fontSizePx: number): string {
    const maxChars = Math.max(1, Math.floor(widthPx / (fontSizePx * 0.56)));
    if (text.length <= maxChars) return text;
    if (maxChars <= 1) return ELLIPSIS;
    return text.slice(0, maxChars - 1).trimEnd() + ELLIPSIS;
}
