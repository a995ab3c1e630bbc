import type { PanelDataOf, PanelId } from "../panels/registry";
import { ByteUnits, RiskBandId, RiskThresholds, TagClass } from "../schema";
import type { ExactCountRole, GroupingRole, MeasureRole, RoleName } from "./roles";

/** Data role names, as in capabilities.json (roles.ts lists them). */
export type { ExactCountRole, GroupingRole, MeasureRole, RoleName };

/** Ids of the registered panels (src/panels/registry.ts). */
export type { PanelId };

/**
 * What a mark selects: representative row indices of the current DataView, one per distinct value of `role`
 * that the mark covers. The interaction layer turns them into the item's values (a filter on the role's column
 * names every row of the item) and its rows, so the model stays bounded by distinct values, not rows.
 */
export interface SelectionRef {
    readonly role: GroupingRole;
    readonly rows: readonly number[];
    /** A risk band's score range: its filter names every score of the range, also those of rows not loaded yet. */
    readonly scoreRange?: { readonly min: number; readonly max: number } | null;
}

/** A distinct count as shown: exact, or a lower bound shown as "at least". */
export interface DistinctCount {
    readonly value: number;
    readonly exact: boolean;
}

/** Where a distinct count is shown. */
export type CountGrain = "total" | "app" | "category" | "stream" | "band";

/** A figure the visual can only show as "at least": which count, at which grain. */
export interface LowerBound {
    readonly role: "Users" | "IpAddresses";
    readonly grain: CountGrain;
}

/** What the author should know about the distinct counts on screen (the host's warning icon says it). */
export interface DistinctCountStatus {
    /** Shown figures that are lower bounds, in a fixed order (total, app, band; users before IP addresses). */
    readonly lowerBounds: readonly LowerBound[];
    /**
     * Exact-count measures whose value differs between DataView rows of one item: not the item's count (bound to a
     * measure that keeps another grouping, or to a column), so they are not used.
     */
    readonly inconsistent: readonly ExactCountRole[];
    /**
     * Users or IP addresses fields summarized otherwise than Count (Distinct), with the summarization read from the
     * column's metadata (e.g. "CountNonNull" for Count): their values are not distinct counts and are not shown.
     */
    readonly notDistinct: readonly { readonly role: "Users" | "IpAddresses"; readonly aggregation: string }[];
}

/** A value shown on screen: the raw name, the text drawn (ellipsis-truncated) and the full text for tooltips. */
export interface ItemLabel {
    /** Stable key for keyed joins and selection restore; blanks have their own key. */
    readonly key: string;
    /** Full display text ("(Blank)" for blank values), at most MAX_LABEL_LENGTH characters. */
    readonly text: string;
    readonly isBlank: boolean;
}

export interface CategoryBar {
    readonly label: ItemLabel;
    readonly isOther: boolean;
    readonly totalBytes: number;
    readonly byTag: Readonly<Record<TagClass, number>>;
    /** Highlighted TotalBytes when the DataView carries highlights, else null. */
    readonly highlightedBytes: number | null;
    /** Distinct users of the category, from Users per category (always exact); null when not known. */
    readonly users: DistinctCount | null;
    readonly selection: SelectionRef;
}

export interface RiskBand {
    readonly id: RiskBandId;
    /** Inclusive score range; null for the unscored band. */
    readonly range: { readonly min: number; readonly max: number } | null;
    readonly totalBytes: number;
    /**
     * Apps whose score (app-attributes.ts) is in the band when AppName is bound: each app is in one band; without
     * it apps cannot be told apart and this counts the band's rows (distinct combinations of the bound groupings).
     */
    readonly apps: number;
    /**
     * Distinct users: the largest of its apps' (or, without AppName, rows') counts, exact only when the band holds a
     * single app (or row) whose count is exact; null when no users field is bound.
     */
    readonly users: DistinctCount | null;
    readonly highlightedBytes: number | null;
    readonly selection: SelectionRef;
}

export interface StreamBar {
    readonly label: ItemLabel;
    readonly uploaded: number;
    readonly downloaded: number;
    readonly highlightedUploaded: number | null;
    readonly highlightedDownloaded: number | null;
    /** Distinct users of the stream, from Users per stream (always exact); null when not known. */
    readonly users: DistinctCount | null;
    readonly selection: SelectionRef;
}

/**
 * One app of the top-apps table. An app's category, score and tags are attributes of the app that Defender for
 * Cloud Apps repeats on every row and revises over time; when rows disagree, the app is shown with the combination
 * most of its traffic carries (app-attributes.ts), the same in every panel.
 */
export interface TopApp {
    readonly label: ItemLabel;
    /** The app's category ("(Blank)" when blank); null when AppCategory is unbound. */
    readonly category: ItemLabel | null;
    /** The app's score 0-10; null when AppScore is unbound or no row carries a valid score. */
    readonly score: number | null;
    /** Risk band of the score under the current thresholds ("unscored" without a valid score); null when unbound. */
    readonly riskBand: RiskBandId | null;
    /** Sanctioned / unsanctioned / other from AppTags (blank tags count as other); null when AppTags is unbound. */
    readonly tagClass: TagClass | null;
    readonly totalBytes: number;
    /**
     * The app's distinct users: exact from Users per app, or from its single row; else the largest row value, a
     * lower bound. Null when neither field gives a value.
     */
    readonly users: DistinctCount | null;
    /** Sum of BlockedEvents; null when BlockedEvents is unbound. */
    readonly blockedEvents: number | null;
    readonly highlightedBytes: number | null;
    /**
     * Set when the app was tagged unsanctioned and still carries traffic after (app-days.ts, docs/visual.md "Top apps:
     * status"); null when it does not or AppTags is unbound.
     */
    readonly unsanctionedUse: UnsanctionedUse | null;
    /** One representative row: the app's value in the AppName column. */
    readonly selection: SelectionRef;
    /** The app's AppId as digits (app-id.ts); null when AppId is unbound or no row of the app carries a valid one. */
    readonly appId: string | null;
}

export interface TopApps {
    /** The top N apps by traffic, larger first, ties by name. */
    readonly apps: readonly TopApp[];
    /** Distinct apps in the data, of which `apps` are the first. */
    readonly appCount: number;
    /** Traffic of all apps, for the share of each. */
    readonly totalBytes: number;
    /** Apps of the data (not only those shown) that still carry traffic after being tagged unsanctioned; null without AppTags. */
    readonly stillUsedUnsanctioned: number | null;
    /** True when the status counts from each app's tagging day (TimeGenerated bound), false over the whole range. */
    readonly datedStatus: boolean;
}

export interface Kpis {
    /** Distinct AppName values (a blank name counts once, as DISTINCTCOUNT does); null when AppName is unbound. */
    readonly apps: number | null;
    /** Distinct users: exact from Users (total), the host's column subtotal or a single total row, else a lower bound. */
    readonly users: DistinctCount | null;
    readonly ipAddresses: DistinctCount | null;
    readonly uploadedBytes: number | null;
    readonly downloadedBytes: number | null;
    readonly totalBytes: number | null;
    readonly totalEvents: number | null;
    readonly blockedEvents: number | null;
    /** blockedEvents / totalEvents in [0, 1], null when either is unbound or total is 0. */
    readonly blockedShare: number | null;
    /**
     * The apps in the AI categories (panels/ai-apps): how many, their users and upload; null (or absent) when
     * AppName, AppCategory or the traffic is unbound, or no app is in an AI category.
     */
    readonly aiApps?: AiAppsKpi | null;
}

export interface AiAppsKpi {
    readonly count: number;
    readonly users: DistinctCount | null;
    readonly uploaded: number | null;
}

/** A panel either has what it needs or names the fields to add. */
export type Panel<T> =
    | { readonly status: "ready"; readonly data: T }
    | { readonly status: "missing"; readonly missing: readonly RoleName[] };

export interface DataNote {
    readonly rowsRead: number;
    /** Rows the panels show: rowsRead, or fewer while segments are loading (see progress.ts). */
    readonly rowsShown: number;
    /**
     * Values left out because they were NaN, infinite or not numbers, per measure role. Each value of each DataView
     * row is checked on its own, before anything is summed.
     */
    readonly invalidValues: Readonly<Partial<Record<MeasureRole, number>>>;
    /**
     * Values left out because they were negative, per measure role: never netted against positive ones. A DataView
     * row is already Power BI's sum over the table rows of its grouping combination, so a negative here is a
     * negative sum; what Power BI netted inside a positive sum cannot be seen (docs/visual.md, data notes).
     */
    readonly negativeValues: Readonly<Partial<Record<MeasureRole, number>>>;
    /** Apps whose rows carry more than one category, score or tag class: each shows those of most of its traffic. */
    readonly appsWithChangingAttributes: number;
    /** True when those apps are shown with the attributes of their latest day (TimeGenerated bound), not of most traffic. */
    readonly changingAppsByLatestDay: boolean;
    /** True when a "Global view" stream beside other streams gives the key figures, categories, bands and top apps. */
    readonly globalViewUsed: boolean;
    readonly truncatedLabels: number;
    /** True while the host reports more segments and the row cap allows them. */
    readonly moreDataPending: boolean;
    /** True when loading stopped at the configured row cap or Power BI's ceiling. */
    readonly rowCapReached: boolean;
    /**
     * Set by the visual when Power BI reported more rows but stopped sending them: "stalled" when a requested segment
     * did not come in time, "refused" when fetchMoreData returned false (see src/loading-watch.ts).
     */
    readonly loadingStopped?: "stalled" | "refused";
    /** TimeGenerated values left out of the time panels, by reason (days.ts); empty while TimeGenerated is unbound. */
    readonly leftOutDates: Readonly<Partial<Record<LeftOutDate, number>>>;
    /**
     * Time generated bound as a date hierarchy (date-hierarchy.ts): "month" or "quarter" when rows are dated on the
     * first day of their month or quarter, "none" when the levels kept name no date; absent for a plain date or a
     * hierarchy down to its Day.
     */
    readonly timeHierarchy?: "month" | "quarter" | "none";
}

/** Why a TimeGenerated value is no day of the time panels: see days.ts. */
export type LeftOutDate = "blank" | "number" | "invalid" | "early" | "future";

/** Each registered panel's part of the model, by panel id. */
export type PanelModels = { readonly [K in PanelId]: Panel<PanelDataOf<K>> };

export interface DashboardModel {
    readonly boundRoles: ReadonlySet<RoleName>;
    readonly hasHighlights: boolean;
    /** Every registered panel's part of the model; the fields below name the first panels' parts as before. */
    readonly panels: PanelModels;
    readonly kpis: Panel<Kpis>;
    readonly categoryTraffic: Panel<readonly CategoryBar[]>;
    /** High, medium and low always, in that order; "unscored" last, only when some score is missing or invalid. */
    readonly riskBands: Panel<readonly RiskBand[]>;
    /** Per stream, larger first; beside other streams the Global view is left out here (see globalViewStream). */
    readonly streamBytes: Panel<readonly StreamBar[]>;
    /**
     * The Global view stream's traffic, drawn apart in the streams panel as the total of the streams it repeats;
     * null when it is not beside other streams or the streams panel lacks fields.
     */
    readonly globalViewStream: StreamBar | null;
    readonly topApps: Panel<TopApps>;
    readonly note: DataNote;
    readonly distinctCounts: DistinctCountStatus;
}

/** The formatting pane's values that the model and the renderers read. */
export interface DashboardSettings {
    readonly thresholds: RiskThresholds;
    readonly topN: number;
    /** Rows of the top-apps table (1-50). */
    readonly topAppsN: number;
    readonly byteUnits: ByteUnits;
    /** 0 means Power BI's ceiling of 1,048,576 rows. */
    readonly rowCap: number;
    readonly fontSize: number;
    readonly panels: Readonly<Record<PanelId, boolean>>;
    /**
     * Panel mode: the one panel the visual draws, filling it; null or absent for the whole dashboard. In panel mode
     * `panels` is on for that panel alone.
     */
    readonly panelMode?: PanelId | null;
    /**
     * Today as a day (days.ts), from the host's clock in the visual and injected in tests; null when unknown. Rows
     * dated after it are left out of the time panels.
     */
    readonly today: number | null;
    readonly freshness: {
        /** What "days since" counts from: the latest day in the data, or today (falling back to the data's). */
        readonly reference: "data" | "today";
        /** A stream without data for this many days or more is stale (1-365). */
        readonly staleAfterDays: number;
    };
    readonly topUsers: {
        /** Rows of the top-users panel (1-50). */
        readonly count: number;
        /** Upload to high-risk or unsanctioned apps per day, in MB, above which a person is flagged. */
        readonly dailyUploadMb: number;
        /** A person whose upload is at least this many times the median person's is flagged too; 0 is off. */
        readonly medianFactor: number;
    };
    readonly aiApps: {
        /** The app categories that count as AI (panels/ai-apps/categories.ts), never empty. */
        readonly categories: readonly string[];
        /** Rows of the AI apps panel (1-50). */
        readonly count: number;
    };
    readonly timeline: {
        /** How each day's bar is split; a split whose field is not bound falls back to plain traffic. */
        readonly split: "direction" | "riskBand" | "tagClass";
    };
    readonly colors: {
        readonly sanctioned: string;
        readonly unsanctioned: string;
        readonly otherTag: string;
        readonly uploaded: string;
        readonly downloaded: string;
        readonly high: string;
        readonly medium: string;
        readonly low: string;
        readonly unscored: string;
    };
}

/** Display texts are cut to this many characters (values.ts). */
export { MAX_LABEL_LENGTH } from "./values";
export const ROW_WINDOW = 30000;
export const POWER_BI_ROW_CEILING = 1048576;

/**
 * Whether an unsanctioned app still carries traffic (docs/visual.md, "Top apps: status"):
 * - with TimeGenerated bound, its tagging day is the first day a row of it carries the tag Unsanctioned (the day it
 *   was tagged, or the first day of the data when it was tagged before); the traffic of the days after it is "used
 *   after it was tagged unsanctioned", and the blocked share is BlockedEvents / TotalEvents of those days;
 * - without it the days cannot be told apart: an app shown as unsanctioned (app-attributes.ts) with traffic "carries
 *   traffic", and the blocked share is over the whole range.
 * Null when the app does not (never tagged unsanctioned, or no traffic after its tagging day).
 */
export interface UnsanctionedUse {
    /** The tagging day; null without TimeGenerated. */
    readonly since: number | null;
    /** Traffic after the tagging day (the whole range without TimeGenerated). */
    readonly bytes: number;
    /** BlockedEvents / TotalEvents of those days in [0, 1]; null when either is unbound or there were no events. */
    readonly blockedShare: number | null;
}
