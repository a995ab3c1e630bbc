// Power Query M literals. Every value spliced into generated M goes through one of these functions.

/** An M text literal: quotes doubled, control characters and `#(` as escape sequences. */
export function mText(value: string): string {
    let out = "\"";
    for (const ch of value) {
        const code = ch.codePointAt(0) ?? 0;
        if (ch === "\"") out += "\"\"";
        else if (ch === "\n") out += "#(lf)";
        else if (ch === "\r") out += "#(cr)";
        else if (ch === "\t") out += "#(tab)";
        else if (ch === "#") out += "#(#)";
        else if (code < 0x20 || code === 0x7f) out += `#(${code.toString(16).padStart(4, "0")})`;
        else out += ch;
    }
    return `${out}"`;
}

/** `#datetime(2024, 5, 1, 0, 0, 0)` from the UTC fields of a date (M datetimes carry no zone). */
export function mDatetime(value: Date): string {
    if (Number.isNaN(value.getTime())) throw new RangeError("not a valid date");
    const seconds = value.getUTCSeconds() + value.getUTCMilliseconds() / 1000;
    return `#datetime(${value.getUTCFullYear()}, ${value.getUTCMonth() + 1}, ${value.getUTCDate()}, ${value.getUTCHours()}, ${value.getUTCMinutes()}, ${seconds})`;
}

const REGULAR_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const KEYWORDS = new Set([
    "and", "as", "each", "else", "error", "false", "if", "in", "is", "let", "meta", "not", "null", "or", "otherwise",
    "section", "shared", "then", "true", "try", "type",
]);

/** A query or step name: bare when M allows it, otherwise a quoted identifier `#"…"`. */
export function mIdentifier(name: string): string {
    if (REGULAR_IDENTIFIER.test(name) && !KEYWORDS.has(name)) return name;
    return `#${mText(name)}`;
}
