import type { AiApps } from "../panels/ai-apps/model";
import type { Aggregates } from "./aggregates";
import { EXACT_COUNT_ROLES, RoleBinding } from "./input";
import type {
    DashboardSettings, DistinctCount, DistinctCountStatus, ExactCountRole, Kpis, LowerBound, Panel, RiskBand, TopApps,
} from "./types";

/** True when the role is bound and its values are distinct counts (not a column summarized as Count or Sum). */
export function usableDistinctCount(binding: RoleBinding, role: "Users" | "IpAddresses"): boolean {
    return binding.bound.has(role) && !binding.notDistinct.some(entry => entry.role === role);
}

interface ShownPanels {
    readonly kpis: Panel<Kpis>;
    readonly riskBands: Panel<readonly RiskBand[]>;
    readonly topApps: Panel<TopApps>;
    /** The AI apps panel and whether it is laid out (its fields of people or time are bound). */
    readonly aiApps?: { readonly panel: Panel<AiApps>; readonly laidOut: boolean };
}

/**
 * Which distinct counts on screen are lower bounds, which exact-count measures were found inconsistent, and which
 * Users / IP addresses fields are not distinct counts. Only panels that are shown (formatting pane) count. Category
 * and stream counts come from their exact measures alone, so they are never lower bounds.
 */
export function distinctCountStatus(a: Aggregates, settings: DashboardSettings, panels: ShownPanels): DistinctCountStatus {
    const lowerBounds: LowerBound[] = [];
    const isLowerBound = (count: DistinctCount | null): boolean => count !== null && !count.exact;
    const { kpis, riskBands, topApps } = panels;
    if (settings.panels.kpis && kpis.status === "ready") {
        if (isLowerBound(kpis.data.users)) lowerBounds.push({ role: "Users", grain: "total" });
        if (isLowerBound(kpis.data.ipAddresses)) lowerBounds.push({ role: "IpAddresses", grain: "total" });
    }
    // An app's users, in the top apps table, the AI apps panel or the AI apps tile (the largest AI app's).
    const appBound = (settings.panels["top-apps"] && topApps.status === "ready" && topApps.data.apps.some(app => isLowerBound(app.users)))
        || (panels.aiApps !== undefined && panels.aiApps.laidOut && settings.panels["ai-apps"] && panels.aiApps.panel.status === "ready"
            && panels.aiApps.panel.data.apps.some(app => isLowerBound(app.users)))
        || (settings.panels.kpis && kpis.status === "ready" && isLowerBound(kpis.data.aiApps?.users ?? null));
    if (appBound) lowerBounds.push({ role: "Users", grain: "app" });
    if (settings.panels["risk-bands"] && riskBands.status === "ready" && riskBands.data.some(band => isLowerBound(band.users))) {
        lowerBounds.push({ role: "Users", grain: "band" });
    }
    const inconsistent = new Set<ExactCountRole>([...a.inconsistentCounts, ...(a.globalView?.inconsistentCounts ?? [])]);
    return {
        lowerBounds,
        inconsistent: EXACT_COUNT_ROLES.filter(role => inconsistent.has(role) && a.binding.bound.has(role)),
        notDistinct: a.binding.notDistinct,
    };
}
