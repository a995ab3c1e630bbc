/**
 * Formats a value with the format string Power BI gives a column or measure (DataViewMetadataColumn.format), in
 * the host's locale, through Intl alone (no culture tables are shipped in the package).
 *
 * Behaviour copied from Microsoft's docs: "Power BI format strings overview" and "Use custom format strings in
 * Power BI Desktop" (learn.microsoft.com/power-bi/create-reports/...), and the DAX FORMAT pages "Pre-defined
 * numeric formats", "Custom numeric formats" and "Custom date and time formats" (learn.microsoft.com/dax/...):
 * - The syntax is the VBA (OLE Automation) one, with the .NET spellings Power BI also writes ("yyyy-MM-dd",
 *   "HH:mm"). Pattern characters are invariant ("." decimal point, "," grouping); the output uses the locale's.
 * - Up to three sections split by ";": positive;negative;zero. A negative value with its own section is shown
 *   without a minus sign (the section spells the sign, e.g. "(\$#,0.00)"); without one it gets a leading "-".
 * - "0" is a digit that is always shown, "#" one shown only when significant; "," between digit placeholders
 *   groups thousands, "," right before the decimal point (or the end) divides by 1,000 each; "%" multiplies by
 *   100; "E+00" / "E-00" is scientific notation. Text in double quotes, a character after "\", and "[$€-407]"
 *   currency tags are printed as they are, as are "$ - + ( ) : / space" and other non-letters.
 * - Named formats: General Number, Currency, Fixed, Standard, Percent, Scientific, Yes/No, True/False, On/Off,
 *   General Date, Long Date, Medium Date, Short Date, Long Time, Medium Time, Short Time.
 * - Dates: d dd ddd dddd, m mm mmm mmmm (and .NET M MM MMM MMMM), yy yyyy, h hh (12-hour when AM/PM is present)
 *   H HH, n nn or m/mm after an hour or before seconds (minutes), s ss, AM/PM am/pm A/P tt. Dates are shown in
 *   the viewer's local time, as the Date objects the host hands over are.
 * Rules of our own where the docs leave room: a format this module does not understand (unknown letters, a date
 * format on a number, a number format on a date) falls back to the locale's plain number or date; it never
 * throws and never prints the format itself. Blanks (null, undefined) are "" (the caller shows "(Blank)").
 * "Currency" uses the currency of the locale's region when it is one we know, else two decimals without symbol.
 */

export function formatWithFormatString(value: unknown, format: string | undefined | null, locale: string): string {
    if (value === null || value === undefined) return "";
    try {
        if (typeof value === "number") return formatNumber(value, format ?? "", locale);
        if (value instanceof Date) return formatDate(value, format ?? "", locale);
        if (typeof value === "boolean") return formatBoolean(value, format ?? "");
        return String(value);
    } catch {
        return value instanceof Date ? plainDate(value, locale) : typeof value === "number" ? plainNumber(value, locale) : String(value);
    }
}

const namedBooleans: Readonly<Record<string, readonly [string, string]>> = {
    "yes/no": ["Yes", "No"], "true/false": ["True", "False"], "on/off": ["On", "Off"],
};

function formatBoolean(value: boolean, format: string): string {
    const [yes, no] = namedBooleans[format.trim().toLowerCase()] ?? namedBooleans["true/false"];
    return value ? yes : no;
}

function plainNumber(value: number, locale: string): string {
    return new Intl.NumberFormat(locale, { maximumFractionDigits: 15 }).format(value);
}

function plainDate(value: Date, locale: string): string {
    if (Number.isNaN(value.getTime())) return "";
    return new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "medium" }).format(value);
}

// ---- Numbers ----

/** Currencies of the regions whose locales Power BI users most often have; others get two plain decimals. */
const regionCurrencies: Readonly<Record<string, string>> = {
    US: "USD", GB: "GBP", DE: "EUR", FR: "EUR", ES: "EUR", IT: "EUR", NL: "EUR", AT: "EUR", BE: "EUR", IE: "EUR",
    FI: "EUR", PT: "EUR", JP: "JPY", CN: "CNY", CH: "CHF", CA: "CAD", AU: "AUD", IN: "INR", BR: "BRL", SE: "SEK",
    NO: "NOK", DK: "DKK", PL: "PLN", KR: "KRW", MX: "MXN",
};

function namedNumber(value: number, name: string, locale: string): string | undefined {
    const digits = (min: number, max: number, grouping: boolean) => new Intl.NumberFormat(locale,
        { minimumFractionDigits: min, maximumFractionDigits: max, useGrouping: grouping }).format(value);
    switch (name) {
        case "general number": case "general": return digits(0, 15, false);
        case "fixed": return digits(2, 2, false);
        case "standard": return digits(2, 2, true);
        case "percent": return new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
        case "scientific": return formatCustomNumber(value, "0.00E+00", locale);
        case "yes/no": case "true/false": case "on/off": return formatBoolean(value !== 0, name);
        case "currency": {
            const currency = regionCurrencies[regionOf(locale)];
            return currency ? new Intl.NumberFormat(locale, { style: "currency", currency }).format(value) : digits(2, 2, true);
        }
        default: return undefined;
    }
}

function regionOf(locale: string): string {
    try {
        return new Intl.Locale(locale).maximize().region ?? "";
    } catch {
        return "";
    }
}

function formatNumber(value: number, format: string, locale: string): string {
    if (!Number.isFinite(value)) return plainNumber(value, locale);
    const trimmed = format.trim();
    if (trimmed === "") return plainNumber(value, locale);
    const named = namedNumber(value, trimmed.toLowerCase(), locale);
    if (named !== undefined) return named;
    const sections = splitSections(format);
    if (sections.length > 4) return plainNumber(value, locale);
    if (value < 0 && sections.length > 1 && sections[1] !== "") return formatCustomNumber(-value, sections[1], locale, true);
    if (value === 0 && sections.length > 2 && sections[2] !== "") return formatCustomNumber(0, sections[2], locale, true);
    return formatCustomNumber(value, sections[0], locale);
}

/** A format this module does not understand: the caller falls back to a plain locale number or date. */
class UnsupportedFormat extends Error {}

type Token = { readonly kind: "literal"; readonly text: string } | { readonly kind: "code"; readonly text: string };

/** Splits a format into its quoted/escaped literals and the rest, which holds the pattern characters. */
function tokenize(section: string): Token[] {
    const tokens: Token[] = [];
    let i = 0;
    while (i < section.length) {
        const c = section[i];
        if (c === "\"") {
            const end = section.indexOf("\"", i + 1);
            if (end < 0) throw new UnsupportedFormat();
            tokens.push({ kind: "literal", text: section.slice(i + 1, end) });
            i = end + 1;
        } else if (c === "\\") {
            tokens.push({ kind: "literal", text: section[i + 1] ?? "" });
            i += 2;
        } else if (c === "[") {
            const end = section.indexOf("]", i);
            if (end < 0) throw new UnsupportedFormat();
            const tag = section.slice(i + 1, end);
            // "[$€-407]": a currency symbol and the culture it came from; other tags (colours, conditions) are dropped.
            if (tag.startsWith("$")) tokens.push({ kind: "literal", text: tag.slice(1).split("-")[0] });
            i = end + 1;
        } else {
            tokens.push({ kind: "code", text: c });
            i++;
        }
    }
    return tokens;
}

function splitSections(format: string): string[] {
    const sections: string[] = [];
    let current = "";
    let quoted = false;
    for (let i = 0; i < format.length; i++) {
        const c = format[i];
        if (c === "\\" && !quoted) {
            current += c + (format[i + 1] ?? "");
            i++;
            continue;
        }
        if (c === "\"") quoted = !quoted;
        if (c === ";" && !quoted) {
            sections.push(current);
            current = "";
        } else current += c;
    }
    sections.push(current);
    return sections;
}

const PLACEHOLDERS = "0#";

/**
 * One section of a custom numeric format. `signInSection`: the value is already the absolute value of a negative
 * (or a zero) shown by its own section, so no minus sign is added.
 */
function formatCustomNumber(value: number, section: string, locale: string, signInSection = false): string {
    const tokens = tokenize(section);
    const codeAt = (i: number) => (tokens[i]?.kind === "code" ? tokens[i].text : "");
    const isPattern = (i: number) => PLACEHOLDERS.includes(codeAt(i)) && codeAt(i) !== "";
    const first = tokens.findIndex((_, i) => isPattern(i));
    const exponentAt = tokens.findIndex((_, i) => i > first && first >= 0 && (codeAt(i) === "E" || codeAt(i) === "e")
        && (codeAt(i + 1) === "+" || codeAt(i + 1) === "-"));
    const end = exponentAt < 0 ? tokens.length : exponentAt;
    let last = -1;
    for (let i = 0; i < end; i++) if (isPattern(i)) last = i;
    // Grouping commas, the decimal point and scaling commas may follow the last placeholder ("#,0," "0.").
    while (last >= 0 && (codeAt(last + 1) === "," || (codeAt(last + 1) === "." && isPattern(last + 2)))) last++;
    while (last >= 0 && codeAt(last + 1) === ".") last++;

    let exponent: { readonly sign: "+" | "-"; readonly digits: number } | undefined;
    let suffixStart = last + 1;
    const e = codeAt(suffixStart);
    if (last >= 0 && (e === "E" || e === "e") && (codeAt(suffixStart + 1) === "+" || codeAt(suffixStart + 1) === "-")) {
        let digits = 0;
        let j = suffixStart + 2;
        while (codeAt(j) === "0" || codeAt(j) === "#") { digits++; j++; }
        if (digits === 0) throw new UnsupportedFormat();
        exponent = { sign: codeAt(suffixStart + 1) as "+" | "-", digits };
        suffixStart = j;
    }

    const prefix = tokens.slice(0, Math.max(first, 0));
    const suffix = last < 0 ? tokens : tokens.slice(suffixStart);
    const literals = last < 0 ? tokens : [...prefix, ...suffix];
    for (const token of literals) {
        // Letters are pattern codes of dates or text; "@", "*" and "_" are text and padding codes (Excel's).
        if (token.kind === "code" && /[\p{L}@*_]/u.test(token.text)) throw new UnsupportedFormat();
    }
    const text = (list: readonly Token[]) => list.map(t => t.text).join("");
    if (last < 0) return text(tokens);

    const percents = literals.filter(t => t.kind === "code" && t.text === "%").length;
    let scaled = value * 100 ** percents;
    const pattern = tokens.slice(first, last + 1).map(t => t.text).join("");
    if (/[^0#,.]/.test(pattern)) throw new UnsupportedFormat();
    const point = pattern.indexOf(".");
    let integer = point < 0 ? pattern : pattern.slice(0, point);
    const fraction = point < 0 ? "" : pattern.slice(point + 1).replace(/,/g, "");
    while (integer.endsWith(",")) {
        scaled /= 1000;
        integer = integer.slice(0, -1);
    }
    const options: Intl.NumberFormatOptions = {
        minimumIntegerDigits: Math.min(21, Math.max(1, (integer.match(/0/g) ?? []).length)),
        minimumFractionDigits: Math.min(20, (fraction.match(/0/g) ?? []).length),
        maximumFractionDigits: Math.min(20, fraction.length),
        useGrouping: integer.includes(","),
    };

    let body: string;
    const negative = !signInSection && scaled < 0;
    const magnitude = Math.abs(scaled);
    if (exponent) {
        let power = magnitude === 0 ? 0 : Math.floor(Math.log10(magnitude));
        let mantissa = magnitude / 10 ** power;
        const rounded = Number(mantissa.toFixed(options.maximumFractionDigits));
        if (rounded >= 10) { power++; mantissa = rounded / 10; }
        const sign = power < 0 ? "-" : exponent.sign === "+" ? "+" : "";
        body = new Intl.NumberFormat(locale, { ...options, useGrouping: false }).format(mantissa)
            + codeAt(last + 1) + sign + String(Math.abs(power)).padStart(exponent.digits, "0");
    } else {
        body = new Intl.NumberFormat(locale, options).format(magnitude);
    }
    // A value that rounds to zero is shown without a minus sign.
    const showsMinus = negative && /[1-9]/.test(body.replace(/E.*$/i, ""));
    return (showsMinus ? "-" : "") + text(prefix) + body + text(suffix);
}

// ---- Dates ----

const namedDates: Readonly<Record<string, Intl.DateTimeFormatOptions>> = {
    "long date": { dateStyle: "full" },
    "medium date": { dateStyle: "medium" },
    "short date": { dateStyle: "short" },
    "long time": { timeStyle: "medium" },
    "medium time": { hour: "numeric", minute: "2-digit", hour12: true },
    "short time": { hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
};

function formatDate(value: Date, format: string, locale: string): string {
    if (Number.isNaN(value.getTime())) return "";
    const name = format.trim().toLowerCase();
    if (name === "" || name === "general date" || name === "general") {
        const midnight = value.getHours() === 0 && value.getMinutes() === 0 && value.getSeconds() === 0;
        return new Intl.DateTimeFormat(locale, midnight ? { dateStyle: "short" } : { dateStyle: "short", timeStyle: "medium" }).format(value);
    }
    const named = namedDates[name];
    if (named) return new Intl.DateTimeFormat(locale, named).format(value);
    return formatCustomDate(value, splitSections(format)[0], locale);
}

type DatePart = { readonly kind: "literal"; readonly text: string } | { readonly kind: "field"; readonly letter: string; readonly count: number };

function formatCustomDate(value: Date, section: string, locale: string): string {
    const parts: DatePart[] = [];
    const tokens = tokenize(section);
    for (let i = 0; i < tokens.length; i++) {
        const token = tokens[i];
        if (token.kind === "literal") { parts.push(token); continue; }
        const rest = tokens.slice(i).map(t => (t.kind === "code" ? t.text : "\u0000")).join("");
        const meridiem = /^(AM\/PM|am\/pm|A\/P|a\/p|tt)/.exec(rest);
        if (meridiem) {
            parts.push({ kind: "field", letter: meridiem[1], count: 1 });
            i += meridiem[1].length - 1;
            continue;
        }
        const letter = token.text;
        if (/\p{L}/u.test(letter)) {
            if (!"dDmMyYhHnsS".includes(letter)) return plainDate(value, locale);
            let count = 1;
            while (tokens[i + count]?.kind === "code" && tokens[i + count].text === letter) count++;
            parts.push({ kind: "field", letter, count });
            i += count - 1;
        } else if ("0#@*_".includes(letter)) {
            return plainDate(value, locale);
        } else parts.push({ kind: "literal", text: letter });
    }
    const fields = parts.filter((p): p is Extract<DatePart, { kind: "field" }> => p.kind === "field");
    if (fields.length === 0) return plainDate(value, locale);
    const twelveHour = fields.some(f => f.letter.length > 1);
    return parts.map(part => {
        if (part.kind === "literal") return part.text;
        const position = fields.indexOf(part);
        const before = fields[position - 1]?.letter.toLowerCase();
        const after = fields[position + 1]?.letter.toLowerCase();
        return dateField(value, part.letter, part.count, locale, {
            twelveHour, minuteContext: part.letter === "m" && part.count <= 2 && (before === "h" || after === "s"),
        });
    }).join("");
}

function dateField(value: Date, letter: string, count: number, locale: string,
    context: { readonly twelveHour: boolean; readonly minuteContext: boolean }): string {
    const pad = (n: number) => (count >= 2 ? String(n).padStart(2, "0") : String(n));
    const named = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, options).format(value);
    const hours = value.getHours();
    switch (letter) {
        case "d": case "D":
            if (count >= 4) return named({ weekday: "long" });
            if (count === 3) return named({ weekday: "short" });
            return pad(value.getDate());
        case "m": case "M":
            if (context.minuteContext) return pad(value.getMinutes());
            if (count >= 4) return named({ month: "long" });
            if (count === 3) return named({ month: "short" });
            return pad(value.getMonth() + 1);
        case "y": case "Y":
            return count <= 2 ? String(value.getFullYear() % 100).padStart(2, "0") : String(value.getFullYear()).padStart(4, "0");
        case "h":
            return pad(context.twelveHour ? (hours % 12 || 12) : hours);
        case "H":
            return pad(hours);
        case "n":
            return pad(value.getMinutes());
        case "s": case "S":
            return pad(value.getSeconds());
        case "AM/PM": case "tt": return hours < 12 ? "AM" : "PM";
        case "am/pm": return hours < 12 ? "am" : "pm";
        case "A/P": return hours < 12 ? "A" : "P";
        case "a/p": return hours < 12 ? "a" : "p";
        default: return "";
    }
}
