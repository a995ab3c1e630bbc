// Power Query M literals. Every value spliced into generated M goes through one of these functions.

/**
 * Characters written as `#(xxxx)` escapes: C0 and C1 controls, and the line and paragraph separators. The M
 * specification's new-line-character is CR, LF, U+0085, U+2028 or U+2029
 * (https://learn.microsoft.com/powerquery-m/m-spec-lexical-structure): escaped, none of them can end a `//`
 * comment or spread a literal over lines.
 */
function needsEscape(code: number): boolean {
    return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

function escapeCharacters(value: string, quote: boolean): string {
    let out = "";
    for (const ch of value) {
        const code = ch.codePointAt(0) ?? 0;
        if (quote && ch === "\"") out += "\"\"";
        else if (ch === "\n") out += "#(lf)";
        else if (ch === "\r") out += "#(cr)";
        else if (ch === "\t") out += "#(tab)";
        else if (quote && ch === "#") out += "#(#)";
        else if (needsEscape(code)) out += `#(${code.toString(16).padStart(4, "0")})`;
        else out += ch;
    }
    return out;
}

/** An M text literal: quotes doubled, `#` and control characters (line breaks included) as escape sequences. */
export function mText(value: string): string {
    return `"${escapeCharacters(value, true)}"`;
}

/** Text for a `//` comment line: line breaks and other control characters appear as M escapes, so the comment
 * always ends where the line does. */
export function mCommentText(value: string): string {
    return escapeCharacters(value, false);
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
