import { APP_SCORE_MAX, TagClass } from "../schema";
import type { AppEntry, AppVariant } from "./aggregates";

/*
 * Defender for Cloud Apps revises an app's risk score, category and tags over time (its catalogue is reviewed
 * every 30 to 90 days, and an admin can tag an app at any moment), so one app's rows can carry several of them.
 * Every panel shows an app with ONE combination:
 * - with TimeGenerated bound, the one of its latest day (AppVariant.lastDay: the latest day of the rows carrying it);
 *   when several were seen on that day, the one of most traffic among them, as below;
 * - without it "the latest" cannot be known: the one its traffic mostly carries (the traffic of the app's rows with
 *   that category, score and tags, summed).
 * Ties, whatever the order the rows came in: the riskier score first (lower; unscored last), then the category by
 * its text, then unsanctioned before sanctioned before other tags. The app is then in exactly one risk band, one
 * category and one tag class, with all its traffic.
 */

const TAG_ORDER: Readonly<Record<TagClass, number>> = { unsanctioned: 0, sanctioned: 1, other: 2 };

function scoreRank(variant: AppVariant): number {
    const score = variant.score?.score;
    return score === null || score === undefined ? APP_SCORE_MAX + 1 : score;
}

function compareText(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** Negative when `a` is the variant to show rather than `b`. */
function compareVariants(a: AppVariant, b: AppVariant): number {
    return b.lastDay - a.lastDay
        || b.bytes - a.bytes
        || scoreRank(a) - scoreRank(b)
        || compareText(a.score?.key ?? "", b.score?.key ?? "")
        || compareText(a.category?.text ?? "", b.category?.text ?? "")
        || compareText(a.category?.key ?? "", b.category?.key ?? "")
        || TAG_ORDER[a.tagClass] - TAG_ORDER[b.tagClass];
}

/** The attributes an app is shown with; null for an app with no row folded (never in practice). */
export function shownVariant(app: AppEntry): AppVariant | null {
    const variants = app.variants;
    if (variants.length <= 1) return variants[0] ?? null;
    let best = variants[0];
    for (let i = 1; i < variants.length; i++) if (compareVariants(variants[i], best) < 0) best = variants[i];
    return best;
}

/** True when the app's rows carry more than one combination of category, score and tags. */
export function hasChangingAttributes(app: AppEntry): boolean {
    return app.variants.length > 1;
}

/** True when the app's variants are dated (TimeGenerated bound), so it is shown with those of its latest day. */
export function isDatedApp(app: AppEntry): boolean {
    return app.variants.some(variant => variant.lastDay >= 0);
}
