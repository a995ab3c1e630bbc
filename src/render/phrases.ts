import { StringKey, Strings } from "./strings";

/*
 * Localized phrases with placeholders, such as "uploaded {up}, downloaded {down}", filled per row. (A "template"
 * elsewhere in src/render is a DOM element that rows are cloned from.)
 */

export type PhraseFiller = (values: Readonly<Record<string, string>>) => string;

/**
 * A phrase split once into its literal parts and placeholder names, for filling it per row (as Strings.format does,
 * a name without a value stays as written).
 */
export function compilePhrase(phrase: string): PhraseFiller {
    const parts = phrase.split(/\{(\w+)\}/);
    return values => {
        let text = parts[0];
        for (let i = 1; i < parts.length; i += 2) {
            const name = parts[i];
            text += (Object.prototype.hasOwnProperty.call(values, name) ? values[name] : `{${name}}`) + parts[i + 1];
        }
        return text;
    };
}

/**
 * Localized phrases compiled once, by their text (Strings.format scans the phrase on every call). Bounded: a few
 * locales' phrases are ever in use.
 */
const compiled = new Map<string, PhraseFiller>();
const MAX_PHRASES = 200;

export function localizedPhrase(strings: Strings, key: StringKey): PhraseFiller {
    const text = strings.get(key);
    let fill = compiled.get(text);
    if (fill === undefined) {
        if (compiled.size >= MAX_PHRASES) compiled.clear();
        fill = compilePhrase(text);
        compiled.set(text, fill);
    }
    return fill;
}
