// KQL literal formatting. Every value that reaches a query goes through one of these functions.

/** `datetime(2024-05-01T00:00:00.000Z)`: ISO 8601 in UTC with milliseconds, the form Kusto parses unambiguously. */
export function kqlDatetime(value: Date): string {
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
        throw new RangeError(`not a valid date: ${String(value)}`);
    }
    return `datetime(${value.toISOString()})`;
}

/** A double-quoted KQL string literal with backslash escapes, safe for any input text. */
export function kqlString(value: string): string {
    let out = "\"";
    for (const ch of value) {
        const code = ch.codePointAt(0) ?? 0;
        if (ch === "\"" || ch === "\\") out += `\\${ch}`;
        else if (ch === "\n") out += "\\n";
        else if (ch === "\r") out += "\\r";
        else if (ch === "\t") out += "\\t";
        else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, "0")}`;
        else out += ch;
    }
    return `${out}"`;
}

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A column or table name: bare when it is a plain identifier, otherwise bracket-quoted `['odd name']`. */
export function kqlIdentifier(name: string): string {
    if (PLAIN_IDENTIFIER.test(name)) return name;
    return `['${name.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}']`;
}
