import type { Aggregates, AppEntry } from "../../model/accumulator";
import { shownVariant } from "../../model/app-attributes";
import { firstDayOf } from "../../model/app-days";
import { normalizeTopN } from "../../model/limits";
import { appUsers, DisplayLabels } from "../../model/snapshot";
import type { DashboardSettings, DistinctCount, ItemLabel, SelectionRef } from "../../model/types";
import { truncateLabel } from "../../model/values";
import { aiCategoryKey } from "./categories";

export interface AiApp {
    readonly label: ItemLabel;
    /** The category the app is shown with (app-attributes.ts): one of the AI categories. */
    readonly category: string;
    readonly totalBytes: number;
    /** Sum of UploadedBytes; null when it is unbound. */
    readonly uploaded: number | null;
    /** Exact from Users per app (or a single row), else a lower bound; null when no users field is bound. */
    readonly users: DistinctCount | null;
    /** The app's first day with a row (days.ts); null without TimeGenerated (or no dated row). */
    readonly firstDay: number | null;
    /** True when the app is shown tagged unsanctioned (AppTags bound). */
    readonly unsanctioned: boolean;
    /** The app's valid AppId (app-id.ts), for its Defender link; null without one. */
    readonly appId: string | null;
    readonly selection: SelectionRef;
}

export interface AiApps {
    /** The categories that count as AI (formatting pane), as typed. */
    readonly categories: readonly string[];
    /** The AI apps with the most traffic, larger first, ties by name. */
    readonly apps: readonly AiApp[];
    /** AI apps in the data, of which `apps` are the first. */
    readonly count: number;
    readonly totalBytes: number;
    /** Upload of all AI apps; null when UploadedBytes is unbound. */
    readonly uploaded: number | null;
    /**
     * Users of any AI app: exact with UserName bound (the distinct users with a row of an AI app), else the largest
     * app's count, a lower bound (the users of several apps overlap); null when neither is known.
     */
    readonly users: DistinctCount | null;
    /** False while TimeGenerated is unbound: the first-seen day cannot be told. */
    readonly withTime: boolean;
}

/**
 * The apps whose shown category (app-attributes.ts: that of their latest day, or of most traffic) is one of the AI
 * categories: each app in one category with all its traffic, as in every panel. Their users, upload and first day.
 */
export function aiAppsOf(a: Aggregates, settings: DashboardSettings, labels: DisplayLabels): AiApps {
    const bound = a.binding.bound;
    const keys = new Set(settings.aiApps.categories.map(aiCategoryKey));
    const ai: { entry: AppEntry; category: string; unsanctioned: boolean }[] = [];
    for (const entry of a.apps.entries()) {
        const variant = shownVariant(entry);
        const category = variant?.category;
        if (!category || category.isBlank || !keys.has(aiCategoryKey(category.text))) continue;
        ai.push({ entry, category: category.text, unsanctioned: bound.has("AppTags") && variant.tagClass === "unsanctioned" });
    }
    ai.sort((x, y) => y.entry.totalBytes - x.entry.totalBytes || compare(x.entry.text, y.entry.text) || compare(x.entry.key, y.entry.key));
    const withUpload = bound.has("UploadedBytes");
    const withTime = bound.has("TimeGenerated");
    let totalBytes = 0, uploaded = 0;
    const apps = ai.map(({ entry, category, unsanctioned }): AiApp => {
        totalBytes += entry.totalBytes;
        uploaded += entry.uploaded;
        return {
            label: { key: entry.key, text: entry.isBlank ? truncateLabel(labels.blank) : entry.text, isBlank: entry.isBlank },
            category,
            totalBytes: entry.totalBytes,
            uploaded: withUpload ? entry.uploaded : null,
            users: appUsers(a, entry),
            firstDay: withTime ? firstDayOf(entry, settings.today) : null,
            unsanctioned,
            appId: entry.appId,
            selection: { role: "AppName", rows: [entry.firstRow] },
        };
    });
    return {
        categories: settings.aiApps.categories,
        apps: apps.slice(0, normalizeTopN(settings.aiApps.count)),
        count: apps.length,
        totalBytes,
        uploaded: withUpload ? uploaded : null,
        users: usersOfAiApps(a, new Set(ai.map(app => app.entry)), apps),
        withTime,
    };
}

function usersOfAiApps(a: Aggregates, entries: ReadonlySet<AppEntry>, apps: readonly AiApp[]): DistinctCount | null {
    if (a.binding.bound.has("UserName")) {
        let count = 0;
        for (const person of a.people.entries()) {
            if (person.isBlank) continue;
            for (const app of person.byApp.keys()) {
                if (app !== null && entries.has(app)) {
                    count++;
                    break;
                }
            }
        }
        return { value: count, exact: true };
    }
    let largest: DistinctCount | null = null;
    for (const app of apps) {
        if (app.users === null) continue;
        if (largest === null || app.users.value > largest.value) largest = app.users;
    }
    if (largest === null) return null;
    return { value: largest.value, exact: apps.length === 1 && largest.exact };
}

function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
