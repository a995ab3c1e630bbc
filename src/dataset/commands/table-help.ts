// The commands' help texts about tables, made from the list of table descriptors so that a new table shows up
// in every command's help without editing them.
import { COMPANION_TABLES, listInWords } from "../tables.ts";

/** "McasShadowItReporting (default), SecurityAlert, SigninLogs": the values of a --table option. */
export function tableChoices(): string {
    return COMPANION_TABLES.map(t => (t.required ? `${t.name} (default)` : t.name)).join(", ");
}

/** "McasShadowItReporting (needed), SecurityAlert and SigninLogs". */
export function tablesInWords(): string {
    return listInWords(COMPANION_TABLES.map(t => (t.required ? `${t.name} (needed)` : t.name)));
}

/** "McasShadowItReporting, SecurityAlert (about 1.5 % of --rows) and SigninLogs (about 20 % of --rows)". */
export function sampleFilesInWords(): string {
    return listInWords(COMPANION_TABLES.map(t => (t.sample.share ? `${t.name} (${t.sample.share})` : t.name)));
}

/** The tables whose sample size follows --rows: "SecurityAlert and SigninLogs". */
export function proportionalTablesInWords(): string {
    return listInWords(COMPANION_TABLES.filter(t => t.sample.share).map(t => t.name));
}

/** A "Tables:" block for the end of a command's help: each table's name and what it holds. */
export function tablesHelpBlock(): string {
    const width = Math.max(...COMPANION_TABLES.map(t => t.name.length));
    const lines = COMPANION_TABLES.map(t => `  ${t.name.padEnd(width)}  ${t.help}${t.required ? " (needed by the dashboard)" : ""}`);
    return ["Tables:", ...lines].join("\n");
}
