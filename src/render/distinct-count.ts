import { DistinctCount } from "../model/types";
import { localizedPhrase } from "./phrases";
import { RenderContext } from "./types";

/** A users figure formatted once, for a cell, an aria-label and a tooltip. */
export interface UsersTexts {
    /** The number, "≥ 12" when it is a lower bound. */
    readonly cell: string;
    /** "12 users", "1 user" or "at least 12 users". */
    readonly phrase: string;
    /** The tooltip's name: "Users", or "Users (at least)" for a lower bound. */
    readonly tooltipName: string;
    /** The tooltip's value: the number alone. */
    readonly value: string;
}

export function usersTexts(count: DistinctCount | null, ctx: RenderContext): UsersTexts | null {
    if (count === null) return null;
    const { strings, format } = ctx;
    const value = format.count(count.value);
    if (!count.exact) {
        return {
            cell: `≥ ${value}`,
            phrase: localizedPhrase(strings, "Visual_UsersAtLeast")({ count: value }),
            tooltipName: strings.get("Visual_Users_Tooltip"),
            value,
        };
    }
    return {
        cell: value,
        phrase: count.value === 1 ? strings.get("Visual_User") : localizedPhrase(strings, "Visual_Users")({ count: value }),
        tooltipName: strings.get("Visual_Kpi_Users"),
        value,
    };
}
