// Deterministic discovery data and plain categorical DataViews shaped like the ones Power BI hands the visual.
import type { DataViewInput, DisplayLabels } from "../../src/model/index.ts";
import type { DashboardSettings, ExactCountRole, GroupingRole, MeasureRole, PanelId, RoleName } from "../../src/model/types.ts";
import { BASE_GROUPINGS, DiscoveryRow, ROW_MEASURES, RowMeasure, TIME_AND_PEOPLE } from "../fixtures/roles.ts";
import { buildCategoricalDataView } from "../fixtures/data-view.ts";
import { TOP_N_DEFAULT } from "../../src/model/limits.ts";
import { PANEL_IDS } from "../../src/panels/registry.ts";
import { DEFAULT_RISK_THRESHOLDS } from "../../src/schema.ts";
import { seededRandom } from "../../src/random.ts";

/** One row of the categorical DataView: a distinct combination of the grouping values, with its measures. */
export type { DiscoveryRow, RowMeasure } from "../fixtures/roles.ts";
export { TIME_AND_PEOPLE } from "../fixtures/roles.ts";
export const GROUPINGS: readonly GroupingRole[] = BASE_GROUPINGS;
/** The measures a row carries itself (the exact-count measures are given per test: DataViewOptions.exact). */
export const MEASURES: readonly RowMeasure[] = ROW_MEASURES;
export const ALL_ROLES: readonly RoleName[] = [...GROUPINGS, ...MEASURES];

interface Catalogue {
    readonly name: string;
    readonly category: string;
    readonly score: number;
    readonly tags: string;
}

const APPS: readonly Catalogue[] = [
    { name: "Dropbox", category: "Cloud storage", score: 7, tags: "[\"unsanctioned\"]" },
    { name: "Box", category: "Cloud storage", score: 9, tags: "[\"sanctioned\"]" },
    { name: "Google Drive", category: "Cloud storage", score: 8, tags: "[]" },
    { name: "WeTransfer", category: "Cloud storage", score: 4, tags: "[\"unsanctioned\",\"monitored\"]" },
    { name: "Microsoft Teams", category: "Collaboration", score: 10, tags: "[\"sanctioned\"]" },
    { name: "Slack", category: "Collaboration", score: 9, tags: "[\"Approved by IT\"]" },
    { name: "Trello", category: "Collaboration", score: 6, tags: "[]" },
    { name: "Gmail", category: "Webmail", score: 8, tags: "[]" },
    { name: "Yahoo Mail", category: "Webmail", score: 3, tags: "[\"unsanctioned\"]" },
    { name: "GitHub", category: "Code-hosting", score: 9, tags: "[\"sanctioned\"]" },
    { name: "Pastebin", category: "Code-hosting", score: 2, tags: "[\"unsanctioned\"]" },
    { name: "Salesforce", category: "CRM", score: 10, tags: "[\"sanctioned\"]" },
    { name: "HubSpot", category: "Marketing", score: 7, tags: "[]" },
    { name: "Mailchimp", category: "Marketing", score: 6, tags: "[\"sanctioned\"]" },
    { name: "Zoom", category: "Online meeting", score: 8, tags: "[\"sanctioned\"]" },
    { name: "ChatGPT", category: "Generative AI", score: 5, tags: "[\"monitored\"]" },
    { name: "DeepL", category: "Generative AI", score: 6, tags: "[]" },
    { name: "Facebook", category: "Social network", score: 5, tags: "[\"unsanctioned\"]" },
    { name: "LinkedIn", category: "Social network", score: 8, tags: "[]" },
    { name: "Heroku", category: "Hosting services", score: 7, tags: "[]" },
    { name: "Booking.com", category: "Transportation and travel", score: 6, tags: "[]" },
    { name: "Unknown scanner", category: "IT services", score: 1, tags: "[\"unsanctioned\"]" },
];

const STREAMS = ["Marketing Department", "Finance Firewall", "Engineering Proxy", "Head Office", "Sales Zscaler"];

/** `count` rows of plausible discovery data: app × stream combinations with heavy-tailed traffic. */
export function generateRows(count: number, seed = 7): DiscoveryRow[] {
    const random = seededRandom(seed);
    const rows: DiscoveryRow[] = [];
    for (let i = 0; i < count; i++) {
        const app = APPS[Math.floor(random() * APPS.length)];
        const stream = STREAMS[Math.floor(random() * STREAMS.length)];
        const up = Math.floor(random() ** 3 * 5e8);
        const down = Math.floor(random() ** 2 * 2e9);
        const events = 1 + Math.floor(random() * 5000);
        rows.push({
            AppCategory: app.category,
            AppName: app.name,
            StreamName: stream,
            AppScore: app.score,
            AppTags: app.tags,
            UploadedBytes: up,
            DownloadedBytes: down,
            TotalBytes: up + down,
            TotalEvents: events,
            BlockedEvents: random() < 0.2 ? Math.floor(events * random()) : 0,
            Users: 1 + Math.floor(random() * 40),
            IpAddresses: 1 + Math.floor(random() * 60),
        });
    }
    return rows;
}

export interface DataViewOptions {
    /** Roles to bind (default: all). */
    readonly roles?: readonly RoleName[];
    /** Per row, the share of its measures that is highlighted (0 = not highlighted → null); omit for no highlights. */
    readonly highlight?: (row: DiscoveryRow, index: number) => number;
    /** Grand totals of measures, as the host's column aggregates. */
    readonly subtotals?: Partial<Record<MeasureRole, number>>;
    /** Marks the DataView as a segment with more data to come. */
    readonly moreData?: boolean;
    /** Binds measure columns in another order (changes the column signature). */
    readonly reverseMeasures?: boolean;
    /** Exact-count measures to bind (DAX measures: queryName "Table.Measure"), each with its value per row. */
    readonly exact?: Partial<Record<ExactCountRole, (row: DiscoveryRow, index: number) => unknown>>;
    /**
     * How Users and IP addresses are summarized: Power BI's function name in queryName ("Count" is Count (Distinct),
     * the default here; "CountNonNull" is Count), and in `expr` when `withExpr` is set; "measure" binds DAX measures
     * ("Table.Users measure").
     */
    readonly distinctSummarization?: string;
    readonly withExpr?: boolean;
}

/** The shared fixture DataView (test/fixtures/data-view.ts), binding the roles in `options.roles`. */
export function buildDataView(rows: readonly DiscoveryRow[], options: DataViewOptions = {}): DataViewInput {
    const roles = new Set(options.roles ?? ALL_ROLES);
    const measures = MEASURES.filter(role => roles.has(role));
    if (options.reverseMeasures) measures.reverse();
    return buildCategoricalDataView(rows, {
        groupings: [...GROUPINGS, ...TIME_AND_PEOPLE].filter(role => roles.has(role)),
        measures,
        highlight: options.highlight,
        subtotals: options.subtotals,
        segment: options.moreData,
        exact: options.exact,
        distinctSummarization: options.distinctSummarization,
        withExpr: options.withExpr,
    });
}

export function settingsWith(overrides: Partial<DashboardSettings> = {}): DashboardSettings {
    return {
        thresholds: DEFAULT_RISK_THRESHOLDS,
        topN: TOP_N_DEFAULT,
        topAppsN: TOP_N_DEFAULT,
        byteUnits: "si",
        rowCap: 0,
        fontSize: 11,
        panels: Object.fromEntries(PANEL_IDS.map(id => [id, true])) as Record<PanelId, boolean>,
        today: null,
        freshness: { reference: "data", staleAfterDays: 2 },
        timeline: { split: "direction" },
        topUsers: { count: 10, dailyUploadMb: 500, medianFactor: 0 },
        aiApps: { categories: ["Generative AI", "AI model provider", "MCP server"], count: 10 },
        colors: {
            sanctioned: "#118DFF", unsanctioned: "#D64550", otherTag: "#8D8D8D", uploaded: "#E66C37",
            downloaded: "#12239E", high: "#D64550", medium: "#E6B000", low: "#1AAB40", unscored: "#8D8D8D",
        },
        ...overrides,
    };
}

export const LABELS: DisplayLabels = { blank: "(Blank)", other: "Other" };

/** Sums a measure over rows the way a reader would by hand: numbers ≥ 0 only. */
export function sumOf(rows: readonly DiscoveryRow[], role: RowMeasure, where: (row: DiscoveryRow) => boolean = () => true): number {
    let sum = 0;
    for (const row of rows) {
        const value = row[role];
        if (where(row) && typeof value === "number" && Number.isFinite(value) && value >= 0) sum += value;
    }
    return sum;
}
