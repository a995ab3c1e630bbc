// What the commands that query a workspace (export, check) share about reaching it: the workspace ID they are
// given, and where the token, endpoint and CA file come from (the option, else the environment).
import { isGuid } from "../../schema.ts";
import { UserError } from "../errors.ts";

export interface ConnectionOptions {
    readonly tenant?: string;
    readonly deviceCode?: boolean;
    /** A fixed bearer token (the emulator's), else env SHADOWIT_TOKEN, else Azure credentials. */
    readonly token?: string;
    /** Query API base URL including /v1 (else env SHADOWIT_LOGS_ENDPOINT, else the public cloud). */
    readonly endpoint?: string;
    /** PEM file of a CA to trust (else env SHADOWIT_CA_FILE). */
    readonly ca?: string;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** The --workspace value as a lower-case workspace ID; a UserError that says where to find the ID otherwise. */
export function workspaceIdOf(value: unknown): string {
    const workspace = String(value ?? "").trim();
    if (!isGuid(workspace)) {
        throw new UserError(
            `--workspace ${JSON.stringify(workspace.slice(0, 80))} is not a workspace ID: use the Workspace ID GUID from the ` +
            "Log Analytics workspace's Overview page (like 0b5f6d4c-1a2b-4c3d-8e9f-001122334455), not its name or resource ID",
        );
    }
    return workspace.toLowerCase();
}

/** The token, endpoint and CA file to use: each option as given, else its environment variable (empty: unset). */
export function connectionSettings(options: ConnectionOptions, env: Environment): { token?: string; endpoint?: string; caFile?: string } {
    const token = options.token ?? env.SHADOWIT_TOKEN;
    return {
        token: token !== undefined && token !== "" ? token : undefined,
        endpoint: options.endpoint ?? (env.SHADOWIT_LOGS_ENDPOINT || undefined),
        caFile: options.ca ?? (env.SHADOWIT_CA_FILE || undefined),
    };
}
