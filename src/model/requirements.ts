import { panelDefinition } from "../panels/registry";
import { PanelId, RoleName } from "./types";

/*
 * Which fields each panel needs is declared by the panel (its `missing` in src/panels/); docs/visual.md lists them.
 */

export { hasBytes } from "../panels/needs";

/** The fields `panel` lacks under the bound roles, in the order the panel names them; empty when it can be drawn. */
export function missingRoles(panel: PanelId, bound: ReadonlySet<RoleName>): RoleName[] {
    return panelDefinition(panel).missing(bound);
}
