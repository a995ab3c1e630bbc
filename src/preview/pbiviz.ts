// The packaged visual as Power BI receives it: the bundle, styles, capabilities and string resources inside
// dist/<guid>.<version>.pbiviz.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { readZipEntries } from "../dataset/zip.ts";

export interface PackagedVisual {
    readonly file: string;
    readonly guid: string;
    readonly displayName: string;
    readonly version: string;
    readonly apiVersion: string;
    /** The visual bundle: evaluated in a page with a global `powerbi`, it registers powerbi.visuals.plugins[guid]. */
    readonly js: string;
    readonly css: string;
    readonly capabilities: Capabilities;
    /** Locale → key → text, from stringResources/<locale>/resources.resjson. */
    readonly stringResources: Record<string, Record<string, string>>;
}

export interface CapabilitiesRole {
    readonly name: string;
    readonly displayName?: string;
    readonly kind?: string | number;
}

export interface Capabilities {
    readonly dataRoles?: readonly CapabilitiesRole[];
    readonly objects?: Record<string, { displayName?: string; properties?: Record<string, { displayName?: string; description?: string; type?: unknown }> }>;
    readonly dataViewMappings?: readonly unknown[];
    readonly [key: string]: unknown;
}

interface PbivizJson {
    visual?: { guid?: string; displayName?: string; version?: string };
    apiVersion?: string;
    capabilities?: Capabilities;
    stringResources?: Record<string, Record<string, string>>;
    content?: { js?: string; css?: string };
}

export function readPackagedVisual(file: string): PackagedVisual {
    const entries = readZipEntries(readFileSync(file), basename(file));
    const resource = [...entries.keys()].find(name => /^resources\/[^/]+\.pbiviz\.json$/.test(name));
    if (!resource) throw new Error(`${basename(file)} holds no resources/<guid>.pbiviz.json; rebuild it with \`npm run package\``);
    const json = JSON.parse((entries.get(resource) as Buffer).toString("utf8")) as PbivizJson;
    const guid = json.visual?.guid;
    const js = json.content?.js;
    if (!guid || typeof js !== "string") throw new Error(`${basename(file)}: ${resource} has no visual guid or bundle`);
    return {
        file,
        guid,
        displayName: json.visual?.displayName ?? guid,
        version: json.visual?.version ?? "",
        apiVersion: json.apiVersion ?? "",
        js,
        css: json.content?.css ?? "",
        capabilities: json.capabilities ?? {},
        stringResources: json.stringResources ?? {},
    };
}
