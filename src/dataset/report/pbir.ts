// Renders the report in the PBIR format (Microsoft's "Power BI enhanced report format"): definition/report.json,
// version.json, pages/pages.json, pages/<page>/page.json and pages/<page>/visuals/<visual>/visual.json, each naming
// its JSON schema in `$schema`. Pure: the files as text by path relative to the report folder.
import { TABLE } from "./model.ts";
import type { PackagedVisual } from "./pbiviz.ts";

const SCHEMA = "https://developer.microsoft.com/json-schemas/fabric/item/report";
export const PBIR_SCHEMAS = {
    definitionProperties: `${SCHEMA}/definitionProperties/2.0.0/schema.json`,
    report: `${SCHEMA}/definition/report/3.0.0/schema.json`,
    version: `${SCHEMA}/definition/versionMetadata/1.0.0/schema.json`,
    pages: `${SCHEMA}/definition/pagesMetadata/1.0.0/schema.json`,
    page: `${SCHEMA}/definition/page/2.0.0/schema.json`,
    visual: `${SCHEMA}/definition/visualContainer/2.4.0/schema.json`,
} as const;

/** A model field a visual binds: a column or a measure of a table. */
export interface FieldRef {
    readonly kind: "Column" | "Measure";
    readonly table: string;
    readonly name: string;
}

export interface VisualSpec {
    readonly name: string;
    readonly visualType: string;
    readonly title: string;
    readonly altText: string;
    readonly position: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
    /** Role name → fields, in order. */
    readonly roles: Readonly<Record<string, readonly FieldRef[]>>;
    /** Slicer mode ("Between" for a date range, "Dropdown" for a list). */
    readonly slicerMode?: "Between" | "Dropdown";
    /** Visual-level filter: only the rows where this measure is greater than zero. */
    readonly positiveMeasureFilter?: FieldRef;
    /**
     * The shadowit visual's panel mode (capabilities.json objects.panelMode.panel): the id of the one panel it draws,
     * filling it. The visual is then bound only to that panel's fields, so Power BI queries it at that panel's grain.
     */
    readonly panelMode?: ShadowItPanel;
}

/** The shadowit visual's panels (src/panels/registry.ts) that the report places one per visual. */
export type ShadowItPanel = "kpis" | "category-traffic" | "risk-bands" | "stream-bytes" | "top-apps" | "timeline" | "freshness";

export interface PageSpec {
    readonly name: string;
    readonly displayName: string;
    readonly visuals: readonly VisualSpec[];
    /** Selections in `source` that do not filter `target`. */
    readonly noFilter?: readonly { readonly source: string; readonly target: string }[];
}

const column = (table: string, name: string): FieldRef => ({ kind: "Column", table, name });
const measure = (table: string, name: string): FieldRef => ({ kind: "Measure", table, name });

export const PAGE_WIDTH = 1280;
export const PAGE_HEIGHT = 720;

/** The two pages. The custom visual's roles are capabilities.json's dataRoles. */
export function reportPages(visualGuid: string): PageSpec[] {
    const slicer = (name: string, title: string, altText: string, field: FieldRef, x: number, mode: "Between" | "Dropdown"): VisualSpec => ({
        name, visualType: "slicer", title, altText, position: { x, y: 8, width: 300, height: 72 }, roles: { Values: [field] }, slicerMode: mode,
    });
    const shadowIt: PageSpec = {
        name: "shadowItPage",
        displayName: "Shadow IT",
        visuals: [
            slicer("dateSlicer", "Date range (UTC)", "Date range slicer: choose the UTC days the page shows.", column(TABLE.date, "Date"), 8, "Between"),
            slicer("streamSlicer", "Discovery stream", "Stream slicer: choose the Defender for Cloud Apps discovery streams the page shows.", column(TABLE.stream, "StreamName"), 316, "Dropdown"),
            slicer("userSlicer", "User", "User slicer: choose the users the page shows.", column(TABLE.user, "DisplayName"), 624, "Dropdown"),
            {
                // The headline figures alone, without groupings: one row, so Users is the exact distinct count.
                name: "shadowItKpis",
                visualType: visualGuid,
                title: "Shadow IT at a glance",
                altText: "Headline figures for the selected days, streams and users: apps, exact distinct users, traffic uploaded and downloaded, blocked events and their share.",
                position: { x: 8, y: 88, width: PAGE_WIDTH - 16, height: 120 },
                panelMode: "kpis",
                roles: {
                    UploadedBytes: [measure(TABLE.appDaily, "Uploaded")],
                    DownloadedBytes: [measure(TABLE.appDaily, "Downloaded")],
                    TotalBytes: [measure(TABLE.appDaily, "Traffic")],
                    TotalEvents: [measure(TABLE.appDaily, "Events")],
                    BlockedEvents: [measure(TABLE.appDaily, "Blocked events")],
                    Users: [measure(TABLE.userDaily, "Users")],
                    UsersTotal: [measure(TABLE.userDaily, "Users (total)")],
                },
            },
            {
                // One row per category and tag set; no stream, so that Global view is counted once.
                name: "shadowItCategories",
                visualType: visualGuid,
                title: "Traffic by app category",
                altText: "Bar chart of traffic per app category, largest first, each bar split into sanctioned, unsanctioned and other apps.",
                position: { x: 8, y: 216, width: 412, height: 240 },
                panelMode: "category-traffic",
                roles: {
                    AppCategory: [column(TABLE.app, "AppCategory")],
                    AppTags: [column(TABLE.app, "AppTags")],
                    TotalBytes: [measure(TABLE.appDaily, "Traffic")],
                    UsersPerCategory: [measure(TABLE.categoryDaily, "Users per category")],
                },
            },
            {
                // One row per app (its score is an attribute of the app), so each app counts once, in one band.
                name: "shadowItRiskBands",
                visualType: visualGuid,
                title: "Apps and traffic by risk band",
                altText: "Apps and their traffic in the high (score 0-3), medium (4-7) and low (8-10) risk bands of Defender for Cloud Apps.",
                position: { x: 428, y: 216, width: 412, height: 240 },
                panelMode: "risk-bands",
                roles: {
                    AppName: [column(TABLE.app, "AppName")],
                    AppScore: [column(TABLE.app, "AppScore")],
                    TotalBytes: [measure(TABLE.appDaily, "Traffic")],
                },
            },
            {
                // One row per stream: "Global view" is a bar of its own, never added to the others.
                name: "shadowItStreams",
                visualType: visualGuid,
                title: "Traffic per discovery stream",
                altText: "Uploaded and downloaded bytes per Defender for Cloud Apps discovery stream, with each stream's exact distinct users; Global view is the aggregate of the other streams.",
                position: { x: 848, y: 216, width: PAGE_WIDTH - 856, height: 240 },
                panelMode: "stream-bytes",
                roles: {
                    StreamName: [column(TABLE.stream, "StreamName")],
                    UploadedBytes: [measure(TABLE.appDaily, "Uploaded")],
                    DownloadedBytes: [measure(TABLE.appDaily, "Downloaded")],
                    UsersPerStream: [measure(TABLE.userDaily, "Users per stream")],
                },
            },
            {
                // One row per app over all streams: its measures count Global view once, Users per app is its exact count.
                name: "shadowItTopApps",
                visualType: visualGuid,
                title: "Top apps by traffic",
                altText: "Table of the apps with the most traffic: category, risk score, sanctioned or unsanctioned, traffic, distinct users and blocked events.",
                position: { x: 8, y: 464, width: 628, height: PAGE_HEIGHT - 472 },
                panelMode: "top-apps",
                roles: {
                    AppCategory: [column(TABLE.app, "AppCategory")],
                    AppName: [column(TABLE.app, "AppName")],
                    AppScore: [column(TABLE.app, "AppScore")],
                    AppTags: [column(TABLE.app, "AppTags")],
                    TotalBytes: [measure(TABLE.appDaily, "Traffic")],
                    BlockedEvents: [measure(TABLE.appDaily, "Blocked events")],
                    Users: [measure(TABLE.appDaily, "App users (lower bound)")],
                    UsersPerApp: [measure(TABLE.appDaily, "Users per app")],
                },
            },
            {
                // One row per UTC day of the Date table; days without traffic are gaps.
                name: "shadowItTimeline",
                visualType: visualGuid,
                title: "Traffic per day",
                altText: "Bars of the traffic of each UTC day, split into uploaded and downloaded bytes; days without data are shown as gaps.",
                position: { x: 644, y: 464, width: 310, height: PAGE_HEIGHT - 472 },
                panelMode: "timeline",
                roles: {
                    TimeGenerated: [column(TABLE.date, "Date")],
                    UploadedBytes: [measure(TABLE.appDaily, "Uploaded")],
                    DownloadedBytes: [measure(TABLE.appDaily, "Downloaded")],
                    TotalBytes: [measure(TABLE.appDaily, "Traffic")],
                },
            },
            {
                // One row per stream and day with traffic (the measure keeps out the days without).
                name: "shadowItFreshness",
                visualType: visualGuid,
                title: "Data freshness by stream",
                altText: "Per discovery stream, the last UTC day with data and the days since; streams silent for two days or more are marked stale.",
                position: { x: 962, y: 464, width: PAGE_WIDTH - 970, height: PAGE_HEIGHT - 472 },
                panelMode: "freshness",
                roles: {
                    StreamName: [column(TABLE.stream, "StreamName")],
                    TimeGenerated: [column(TABLE.date, "Date")],
                    TotalBytes: [measure(TABLE.appDaily, "Traffic")],
                },
            },
        ],
        noFilter: [
            // The headline figures stay those of the slicers: a selection in a panel does not filter them.
            ...["shadowItCategories", "shadowItRiskBands", "shadowItStreams", "shadowItTopApps", "shadowItTimeline", "shadowItFreshness"]
                .map(source => ({ source, target: "shadowItKpis" })),
            // A feed's health does not depend on who is selected (a user selection switches the traffic to Risky App Users).
            { source: "userSlicer", target: "shadowItFreshness" },
        ],
    };
    const identity: PageSpec = {
        name: "identityPage",
        displayName: "Identity and alerts",
        visuals: [
            slicer("identityDateSlicer", "Date range (UTC)", "Date range slicer: choose the UTC days the page shows.", column(TABLE.date, "Date"), 8, "Between"),
            {
                name: "flaggedUsersTable",
                visualType: "tableEx",
                title: "Users of high-risk or unsanctioned apps with failed or risky sign-ins",
                altText: "Table of users who used high-risk or unsanctioned apps and had failed or risky sign-ins in the period: their traffic to those apps, failed sign-ins, risky sign-ins and alerts.",
                position: { x: 8, y: 88, width: 720, height: PAGE_HEIGHT - 96 },
                positiveMeasureFilter: measure(TABLE.userAppDaily, "Flagged user risky app traffic"),
                roles: {
                    Values: [
                        column(TABLE.user, "DisplayName"),
                        measure(TABLE.userAppDaily, "Flagged user risky app traffic"),
                        measure(TABLE.signins, "Failed sign-ins"),
                        measure(TABLE.signins, "Risky sign-ins"),
                        measure(TABLE.alerts, "Alerts"),
                    ],
                },
            },
            {
                name: "alertsOverTime",
                visualType: "clusteredColumnChart",
                title: "Discovery alerts per day",
                altText: "Column chart of Defender for Cloud Apps alerts per UTC day, by severity.",
                position: { x: 736, y: 88, width: PAGE_WIDTH - 744, height: PAGE_HEIGHT - 96 },
                roles: {
                    Category: [column(TABLE.date, "Date")],
                    Series: [column(TABLE.alerts, "AlertSeverity")],
                    Y: [measure(TABLE.alerts, "Alerts")],
                },
            },
        ],
    };
    return [shadowIt, identity];
}

function literal(value: string | number | boolean): { expr: { Literal: { Value: string } } } {
    const text = typeof value === "string" ? `'${value.replace(/'/g, "''")}'` : typeof value === "number" ? `${value}D` : String(value);
    return { expr: { Literal: { Value: text } } };
}

function fieldExpression(field: FieldRef): object {
    return { [field.kind]: { Expression: { SourceRef: { Entity: field.table } }, Property: field.name } };
}

/** A filter keeping the rows where `field` (a measure) is greater than zero. */
function positiveFilter(visualName: string, field: FieldRef): object {
    return {
        filters: [{
            name: `${visualName}PositiveFilter`,
            field: fieldExpression(field),
            type: "Advanced",
            filter: {
                Version: 2,
                From: [{ Name: "f", Entity: field.table, Type: 0 }],
                Where: [{
                    Condition: {
                        Comparison: {
                            ComparisonKind: 1,
                            Left: { [field.kind]: { Expression: { SourceRef: { Source: "f" } }, Property: field.name } },
                            Right: { Literal: { Value: "0L" } },
                        },
                    },
                }],
            },
        }],
    };
}

function visualJson(visual: VisualSpec, z: number): object {
    const queryState: Record<string, object> = {};
    for (const [role, fields] of Object.entries(visual.roles)) {
        queryState[role] = {
            projections: fields.map(field => ({ field: fieldExpression(field), queryRef: `${field.table}.${field.name}`, nativeQueryRef: field.name })),
        };
    }
    const objects: Record<string, object[]> = {};
    if (visual.slicerMode) objects.data = [{ properties: { mode: literal(visual.slicerMode) } }];
    if (visual.panelMode) objects.panelMode = [{ properties: { panel: literal(visual.panelMode) } }];
    return {
        $schema: PBIR_SCHEMAS.visual,
        name: visual.name,
        position: { ...visual.position, z, tabOrder: z },
        visual: {
            visualType: visual.visualType,
            query: { queryState },
            ...(Object.keys(objects).length > 0 ? { objects } : {}),
            visualContainerObjects: {
                title: [{ properties: { show: literal(true), text: literal(visual.title) } }],
                general: [{ properties: { altText: literal(visual.altText) } }],
            },
            drillFilterOtherVisuals: true,
        },
        ...(visual.positiveMeasureFilter ? { filterConfig: positiveFilter(visual.name, visual.positiveMeasureFilter) } : {}),
    };
}

function json(value: object): string {
    return `${JSON.stringify(value, null, 2)}\n`;
}

/** The report folder's files, by path relative to `<Name>.Report/`. */
export function reportFiles(modelFolderName: string, visual: PackagedVisual): Map<string, string | Buffer> {
    const files = new Map<string, string | Buffer>();
    files.set("definition.pbir", json({
        $schema: PBIR_SCHEMAS.definitionProperties,
        version: "4.0",
        datasetReference: { byPath: { path: `../${modelFolderName}` } },
    }));
    files.set("definition/version.json", json({ $schema: PBIR_SCHEMAS.version, version: "2.0.0" }));
    files.set("definition/report.json", json({
        $schema: PBIR_SCHEMAS.report,
        themeCollection: {},
        // A private custom visual as Power BI Desktop saves one imported from a file: the package extracted under
        // CustomVisuals/<guid>/, registered by its resources/<guid>.pbiviz.json, a path relative to that resources folder.
        resourcePackages: [{
            name: visual.guid,
            type: "CustomVisual",
            items: [{ name: `${visual.guid}.pbiviz.json`, path: `${visual.guid}.pbiviz.json`, type: "CustomVisualMetadata" }],
        }],
        settings: { useEnhancedTooltips: true },
    }));
    const pages = reportPages(visual.guid);
    files.set("definition/pages/pages.json", json({
        $schema: PBIR_SCHEMAS.pages, pageOrder: pages.map(p => p.name), activePageName: pages[0]?.name,
    }));
    for (const page of pages) {
        files.set(`definition/pages/${page.name}/page.json`, json({
            $schema: PBIR_SCHEMAS.page, name: page.name, displayName: page.displayName, displayOption: "FitToPage",
            width: PAGE_WIDTH, height: PAGE_HEIGHT,
            ...(page.noFilter ? { visualInteractions: page.noFilter.map(i => ({ ...i, type: "NoFilter" })) } : {}),
        }));
        page.visuals.forEach((v, index) => {
            files.set(`definition/pages/${page.name}/visuals/${v.name}/visual.json`, json(visualJson(v, index * 1000)));
        });
    }
    for (const [path, content] of visual.files) files.set(`CustomVisuals/${visual.guid}/${path}`, content);
    return files;
}
