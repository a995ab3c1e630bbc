// Finds the workspace of an export folder when --workspace is not given: the one GUID-named subfolder.
import { readdirSync } from "node:fs";
import { isGuid } from "../../schema.ts";
import { UserError } from "../errors.ts";

export function workspaceOfExportFolder(folder: string): string {
    let entries: string[];
    try {
        entries = readdirSync(folder, { withFileTypes: true }).filter(e => e.isDirectory()).map(e => e.name);
    } catch (error) {
        const reason = error instanceof Error && "code" in error ? String((error as NodeJS.ErrnoException).code) : String(error);
        throw new UserError(`cannot read the export folder ${folder} (${reason}); give --workspace <GUID> or the folder that \`shadowit export --out\` wrote to`);
    }
    const workspaces = entries.filter(isGuid);
    if (workspaces.length === 1) return workspaces[0] as string;
    if (workspaces.length === 0) {
        throw new UserError(`the folder ${folder} holds no <workspaceId> subfolder of an export; give --workspace <GUID> or the folder that \`shadowit export --out\` wrote to`);
    }
    throw new UserError(`the folder ${folder} holds exports of ${workspaces.length} workspaces (${workspaces.join(", ")}); choose one with --workspace <GUID>`);
}
