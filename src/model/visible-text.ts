/*
 * Names come from discovery logs, which anyone on the network can influence (a file or app name, a user name).
 * Characters that are invisible or that reorder text would make a drawn name differ from what it holds: a
 * right-to-left override (U+202E) shows "\u202Egnp.exe" as "exe.png". Every such character is drawn as a
 * visible escape, "<U+202E>", wherever a name is shown, so the analyst sees what the data really says.
 */

/**
 * Format characters (Unicode category Cf: bidi embeddings, overrides and isolates U+202A-U+202E and U+2066-U+2069,
 * the marks U+200E, U+200F and U+061C, zero-width space, joiners, word joiner, soft hyphen, BOM, tag characters…),
 * control characters (Cc), line and paragraph separators (Zl, Zp) and lone surrogates (Cs).
 */
const INVISIBLE = /[\p{Cf}\p{Cc}\p{Zl}\p{Zp}]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;

/** Fast check: text of printable characters only, the usual case, is returned as it is without a replace. */
const ANY_INVISIBLE = /[\p{Cf}\p{Cc}\p{Zl}\p{Zp}\uD800-\uDFFF]/u;

function escapeOf(character: string): string {
    const code = character.codePointAt(0) ?? 0;
    return `<U+${code.toString(16).toUpperCase().padStart(4, "0")}>`;
}

/** The text with every invisible or reordering character shown as "<U+XXXX>"; other characters unchanged. */
export function visibleText(text: string): string {
    if (!ANY_INVISIBLE.test(text)) return text;
    return text.replace(INVISIBLE, escapeOf);
}
