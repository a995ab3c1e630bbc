import powerbi from "powerbi-visuals-api";
import enUS from "../../../stringResources/en-US/resources.resjson";
import deDE from "../../../stringResources/de-DE/resources.resjson";
import frFR from "../../../stringResources/fr-FR/resources.resjson";
import jaJP from "../../../stringResources/ja-JP/resources.resjson";

const RESOURCES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
    "en-US": enUS, "de-DE": deDE, "fr-FR": frFR, "ja-JP": jaJP,
};

/** Reads the packaged resjson files, as the Power BI host does for the report's locale. */
export class ResjsonLocalizationManager implements powerbi.extensibility.ILocalizationManager {
    private readonly table: Readonly<Record<string, string>>;

    constructor(readonly locale: string) {
        this.table = RESOURCES[locale] ?? RESOURCES["en-US"];
    }

    getDisplayName(key: string): string {
        return this.table[key] ?? key;
    }
}

export function resource(locale: string, key: string): string {
    const value = RESOURCES[locale]?.[key];
    if (value === undefined) throw new Error(`${locale} has no string ${key}`);
    return value;
}
