import { syntaxError } from "./query-errors.ts";

export type Token =
    | { readonly type: "ident"; readonly text: string; readonly pos: number; readonly end: number; readonly quoted: boolean }
    | { readonly type: "string"; readonly value: string; readonly pos: number; readonly end: number }
    | { readonly type: "long"; readonly value: bigint; readonly text: string; readonly pos: number; readonly end: number }
    | { readonly type: "real"; readonly value: number; readonly text: string; readonly pos: number; readonly end: number }
    | { readonly type: "timespan"; readonly micros: bigint; readonly text: string; readonly pos: number; readonly end: number }
    | { readonly type: "punct"; readonly text: string; readonly pos: number; readonly end: number }
    /** datetime(...), time(...), timespan(...), dynamic(...): literals whose inside is not KQL tokens. */
    | { readonly type: "literal"; readonly name: string; readonly raw: string; readonly pos: number; readonly end: number }
    | { readonly type: "eof"; readonly pos: number; readonly end: number };

const PUNCTUATION = ["..", "==", "!=", "<>", "<=", ">=", "=~", "!~", "|", "(", ")", ",", "=", "<", ">", "+", "-", "*", "/", "%", ".", "[", "]", ";", "~"];

const MICROS_PER: Record<string, bigint> = {
    d: 86_400_000_000n, day: 86_400_000_000n, days: 86_400_000_000n,
    h: 3_600_000_000n, hr: 3_600_000_000n, hrs: 3_600_000_000n, hour: 3_600_000_000n, hours: 3_600_000_000n,
    m: 60_000_000n, min: 60_000_000n, minute: 60_000_000n, minutes: 60_000_000n,
    s: 1_000_000n, sec: 1_000_000n, second: 1_000_000n, seconds: 1_000_000n,
    ms: 1_000n, milli: 1_000n, millis: 1_000n, millisecond: 1_000n, milliseconds: 1_000n,
    microsecond: 1n, microseconds: 1n,
};

/** Multiplies a decimal literal like "1.5" by a whole number of microseconds, exactly. */
function scaleDecimal(text: string, unit: bigint, pos: number): bigint {
    const [whole, fraction = ""] = text.split(".");
    const scale = 10n ** BigInt(fraction.length);
    const scaled = BigInt(whole + fraction) * unit;
    if (scaled % scale !== 0n) throw syntaxError(`The timespan literal '${text}' is finer than a microsecond.`, pos, text);
    return scaled / scale;
}

const LITERAL_FUNCTIONS = new Set(["datetime", "time", "timespan", "dynamic"]);

/** Index of the ) closing a literal, skipping quoted text and nested brackets; -1 if none. */
function findLiteralEnd(text: string, from: number): number {
    let depth = 0;
    for (let i = from; i < text.length; i++) {
        const c = text[i];
        if (c === "'" || c === '"') {
            const close = text.indexOf(c, i + 1);
            if (close < 0) return -1;
            i = close;
        } else if (c === "(" || c === "[" || c === "{") {
            depth++;
        } else if (c === ")" && depth === 0) {
            return i;
        } else if (c === ")" || c === "]" || c === "}") {
            depth--;
        }
    }
    return -1;
}

const isIdentStart = (c: string): boolean => /[A-Za-z_$]/.test(c);
const isIdentPart = (c: string): boolean => /[A-Za-z0-9_$]/.test(c);
const isDigit = (c: string): boolean => c >= "0" && c <= "9";

export function tokenize(text: string): Token[] {
    const tokens: Token[] = [];
    let i = 0;
    while (i < text.length) {
        const c = text[i];
        if (c === " " || c === "\t" || c === "\r" || c === "\n") {
            i++;
            continue;
        }
        if (c === "/" && text[i + 1] === "/") {
            while (i < text.length && text[i] !== "\n") i++;
            continue;
        }
        const start = i;
        if (c === "'" || c === '"' || ((c === "@" || c === "h" || c === "H") && (text[i + 1] === "'" || text[i + 1] === '"'))) {
            tokens.push(readString(text, i));
            i = tokens[tokens.length - 1].end;
            continue;
        }
        if (c === "[" && (text[i + 1] === "'" || text[i + 1] === '"')) {
            const inner = readString(text, i + 1);
            let j = inner.end;
            while (text[j] === " ") j++;
            if (text[j] !== "]") throw syntaxError("A bracketed name ['...'] is not closed with ].", start, "[");
            if (inner.type !== "string") throw syntaxError("Bad bracketed name.", start);
            tokens.push({ type: "ident", text: inner.value, pos: start, end: j + 1, quoted: true });
            i = j + 1;
            continue;
        }
        if (isDigit(c) || (c === "." && isDigit(text[i + 1] ?? ""))) {
            tokens.push(readNumber(text, i));
            i = tokens[tokens.length - 1].end;
            continue;
        }
        if (isIdentStart(c) || (c === "!" && isIdentStart(text[i + 1] ?? ""))) {
            let j = i + 1;
            while (j < text.length && isIdentPart(text[j])) j++;
            let word = text.slice(i, j);
            const literalName = word.toLowerCase();
            if (LITERAL_FUNCTIONS.has(literalName) && word === literalName) {
                let k = j;
                while (text[k] === " " || text[k] === "\t") k++;
                if (text[k] === "(") {
                    const close = findLiteralEnd(text, k + 1);
                    if (close < 0) throw syntaxError(`The ${word}( literal is not closed with ).`, start, word);
                    tokens.push({ type: "literal", name: literalName, raw: text.slice(k + 1, close).trim(), pos: start, end: close + 1 });
                    i = close + 1;
                    continue;
                }
            }
            if ((word === "in" || word === "!in") && text[j] === "~") {
                word += "~";
                j++;
            }
            tokens.push({ type: "ident", text: word, pos: start, end: j, quoted: false });
            i = j;
            continue;
        }
        const punct = PUNCTUATION.find(p => text.startsWith(p, i));
        if (punct === undefined) throw syntaxError(`Query could not be parsed at '${c}'.`, i, c);
        tokens.push({ type: "punct", text: punct, pos: start, end: i + punct.length });
        i += punct.length;
    }
    tokens.push({ type: "eof", pos: text.length, end: text.length });
    return tokens;
}

function readString(text: string, start: number): Token {
    let i = start;
    let verbatim = false;
    if (text[i] === "@") {
        verbatim = true;
        i++;
    } else if (text[i] === "h" || text[i] === "H") {
        i++; // h'...' is an obfuscated string literal: same value
    }
    const quote = text[i];
    i++;
    let value = "";
    for (;;) {
        if (i >= text.length || text[i] === "\n") throw syntaxError("A string literal is not closed.", start, text.slice(start, start + 20));
        const ch = text[i];
        if (ch === quote) {
            if (verbatim && text[i + 1] === quote) {
                value += quote;
                i += 2;
                continue;
            }
            i++;
            break;
        }
        if (ch === "\\" && !verbatim) {
            const next = text[i + 1];
            const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "0": "\0" };
            if (next === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
                value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
                i += 6;
                continue;
            }
            const escaped = next === undefined ? undefined : escapes[next];
            if (escaped === undefined) throw syntaxError(`Unknown escape sequence '\\${next ?? ""}' in a string literal.`, i, `\\${next ?? ""}`);
            value += escaped;
            i += 2;
            continue;
        }
        value += ch;
        i++;
    }
    return { type: "string", value, pos: start, end: i };
}

function readNumber(text: string, start: number): Token {
    let i = start;
    while (isDigit(text[i] ?? "")) i++;
    let isReal = false;
    if (text[i] === "." && text[i + 1] !== ".") {
        isReal = true;
        i++;
        while (isDigit(text[i] ?? "")) i++;
    }
    if ((text[i] === "e" || text[i] === "E") && /^[+-]?[0-9]/.test(text.slice(i + 1, i + 3))) {
        isReal = true;
        i++;
        if (text[i] === "+" || text[i] === "-") i++;
        while (isDigit(text[i] ?? "")) i++;
    }
    const numberText = text.slice(start, i);
    if (isIdentStart(text[i] ?? "")) {
        let j = i;
        while (isIdentPart(text[j] ?? "")) j++;
        const unitName = text.slice(i, j);
        const unit = MICROS_PER[unitName.toLowerCase()];
        if (unit === undefined || numberText.includes("e") || numberText.includes("E")) {
            throw syntaxError(`Query could not be parsed at '${text.slice(start, j)}': not a number or a timespan literal.`, start, text.slice(start, j));
        }
        return { type: "timespan", micros: scaleDecimal(numberText, unit, start), text: text.slice(start, j), pos: start, end: j };
    }
    if (isReal) return { type: "real", value: Number(numberText), text: numberText, pos: start, end: i };
    const value = BigInt(numberText);
    if (value > 9_223_372_036_854_775_807n) throw syntaxError(`The number ${numberText} does not fit in a long.`, start, numberText);
    return { type: "long", value, text: numberText, pos: start, end: i };
}
