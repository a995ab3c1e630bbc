import { compileTemplate } from "./format";
import { StringKey, Strings } from "./strings";

/**
 * Localized templates compiled once, by their text, for filling them per row (Strings.format scans the template on
 * every call). Bounded: a few locales' templates are ever in use.
 */
const compiled = new Map<string, (values: Readonly<Record<string, string>>) => string>();
const MAX_TEMPLATES = 200;

export function localizedTemplate(strings: Strings, key: StringKey): (values: Readonly<Record<string, string>>) => string {
    const text = strings.get(key);
    let fill = compiled.get(text);
    if (fill === undefined) {
        if (compiled.size >= MAX_TEMPLATES) compiled.clear();
        fill = compileTemplate(text);
        compiled.set(text, fill);
    }
    return fill;
}
