import { hexBlend, normalizeToHexString } from "powerbi-visuals-utils-colorutils";
import { ResolvedColors } from "./types";

/** Colours of the dashboard's text, secondary text (notes, captions, axis text) and rules. */
export interface TextColors {
    readonly text: string;
    readonly muted: string;
    readonly rule: string;
}

/** Share of the foreground in secondary text and in rules, over the background: the default theme's greys. */
const MUTED_SHARE = 0.72;
const RULE_SHARE = 0.14;

/**
 * Text colours from the host's theme (colorPalette foreground and background), so that notes and captions read
 * on a dark report theme as on a light one. In high contrast everything is the foreground, as the mode asks.
 */
export function textColorsOf(colors: Pick<ResolvedColors, "foreground" | "background" | "highContrast">): TextColors {
    const text = colors.foreground;
    if (colors.highContrast) return { text, muted: text, rule: text };
    const foreground = hexOf(colors.foreground);
    const background = hexOf(colors.background);
    if (foreground === null || background === null) return { text, muted: text, rule: text };
    return {
        text,
        muted: hexBlend(foreground, MUTED_SHARE, background),
        rule: hexBlend(foreground, RULE_SHARE, background),
    };
}

function hexOf(color: string): string | null {
    const hex = normalizeToHexString(color);
    return /^#[0-9a-f]{6}$/i.test(hex) ? hex : null;
}
