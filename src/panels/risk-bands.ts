import { normalizeThresholds } from "../model/limits";
import { riskBands } from "../model/snapshot";
import { definePanel } from "./definition";
import { missingFields } from "./needs";

/** Traffic and apps per risk band of the app score, under the formatting pane's thresholds. */
export const riskBandsPanel = definePanel({
    id: "risk-bands",
    titleKey: "Visual_Panel_RiskBands",
    priority: 30,
    placement: "grid",
    toggle: {
        property: "riskBands", displayNameKey: "Format_ShowRiskBands", displayName: "Risk bands",
        description: "Show traffic by risk band.",
    },
    shownWhenBound: [],
    landingKey: "Visual_Landing_Risk",
    missing: bound => missingFields(bound, ["AppScore"], true),
    build: ({ scope, settings }) => riskBands(scope, normalizeThresholds(settings.thresholds)),
    isEmpty: data => data.length === 0,
});
