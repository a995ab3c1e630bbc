import { DistinctCountStatus, ExactCountRole, LowerBound } from "../model/types";
import { StringKey, Strings } from "./strings";

/** The texts of the host's warning icon (IVisualHost.displayWarningIcon): a title on hover, the detail on click. */
export interface WarningTexts {
    readonly hoverText: string;
    readonly detailedText: string;
}

const FIELD_KEYS: Readonly<Record<"Users" | "IpAddresses" | ExactCountRole, StringKey>> = {
    Users: "Visual_Field_Users",
    IpAddresses: "Visual_Field_IpAddresses",
    UsersTotal: "Visual_Field_UsersTotal",
    UsersPerApp: "Visual_Field_UsersPerApp",
    UsersPerCategory: "Visual_Field_UsersPerCategory",
    UsersPerStream: "Visual_Field_UsersPerStream",
    IpAddressesTotal: "Visual_Field_IpAddressesTotal",
};

/**
 * The field menu's names of the summarizations a text column offers (Count, First, Last), by the query's function
 * name; any other is named by its function.
 */
const AGGREGATION_NAMES: Readonly<Record<string, StringKey>> = {
    CountNonNull: "Visual_Summarization_Count", Min: "Visual_Summarization_First", Max: "Visual_Summarization_Last",
};

/**
 * What the warning icon says, or null when every distinct count on screen is exact and every count field fits:
 * fields that do not give distinct counts first (they hide figures), then measures that were not used, then the
 * figures shown as "at least" with what to bind.
 */
export function distinctCountWarning(status: DistinctCountStatus, strings: Strings): WarningTexts | null {
    const field = (role: keyof typeof FIELD_KEYS): string => strings.get(FIELD_KEYS[role]);
    const sentences: string[] = [];
    for (const entry of status.notDistinct) {
        sentences.push(strings.format("Visual_Warning_NotDistinct", {
            field: field(entry.role),
            aggregation: entry.aggregation in AGGREGATION_NAMES ? strings.get(AGGREGATION_NAMES[entry.aggregation]) : entry.aggregation,
        }));
    }
    for (const role of status.inconsistent) sentences.push(strings.format("Visual_Warning_Inconsistent", { field: field(role) }));
    for (const bound of status.lowerBounds) sentences.push(lowerBoundSentence(bound, strings, field));
    if (sentences.length === 0) return null;
    const fieldsWrong = status.notDistinct.length > 0 || status.inconsistent.length > 0;
    return {
        hoverText: strings.get(fieldsWrong ? "Visual_Warning_Fields" : "Visual_Warning_LowerBounds"),
        detailedText: sentences.join(" "),
    };
}

function lowerBoundSentence(bound: LowerBound, strings: Strings, field: (role: keyof typeof FIELD_KEYS) => string): string {
    switch (bound.grain) {
        case "app": return strings.get("Visual_Warning_LowerBound_App");
        case "band": return strings.get("Visual_Warning_LowerBound_Band");
        default: {
            const users = bound.role === "Users";
            return strings.format("Visual_Warning_LowerBound_Total", {
                field: field(bound.role),
                exactField: field(users ? "UsersTotal" : "IpAddressesTotal"),
                column: users ? "UserName" : "IpAddress",
            });
        }
    }
}
