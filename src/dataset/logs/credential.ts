// Credentials for the Log Analytics query API: DefaultAzureCredential (az login, environment, managed
// identity, …), the device code flow, or a fixed bearer token (the local emulator, or a token obtained elsewhere).
import { DefaultAzureCredential, DeviceCodeCredential, type AccessToken, type TokenCredential } from "@azure/identity";
import { UserError } from "../errors.ts";

export interface CredentialOptions {
    /** A fixed bearer token (for the emulator: the token it prints). Wins over the other options. */
    readonly token?: string;
    /** Microsoft Entra tenant (directory) ID for DefaultAzureCredential or the device code flow. */
    readonly tenantId?: string;
    /** Sign in with a device code (the prompt is written to `prompt`). */
    readonly deviceCode?: boolean;
    /** Where the device code prompt goes (stderr by default). */
    readonly prompt?: (message: string) => void;
}

/** A credential that always answers with the same token, valid for an hour from each request. */
export function staticTokenCredential(token: string): TokenCredential {
    if (token.trim() === "") throw new UserError("the bearer token is empty: pass --token or set SHADOWIT_TOKEN to the token to send");
    return {
        getToken: async (): Promise<AccessToken> => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }),
    };
}

export function buildCredential(options: CredentialOptions): TokenCredential {
    if (options.token !== undefined) return staticTokenCredential(options.token);
    const tenantId = options.tenantId;
    if (tenantId !== undefined && !/^[0-9A-Za-z.-]{1,100}$/.test(tenantId)) {
        throw new UserError(`--tenant ${JSON.stringify(tenantId.slice(0, 100))} is not a tenant ID or domain: use the Directory (tenant) ID GUID or a domain like contoso.onmicrosoft.com`);
    }
    if (options.deviceCode) {
        const prompt = options.prompt ?? ((message: string) => process.stderr.write(`${message}\n`));
        return new DeviceCodeCredential({ tenantId, userPromptCallback: info => prompt(info.message) });
    }
    return new DefaultAzureCredential(tenantId !== undefined ? { tenantId } : {});
}

/** A credential that gave no token within its deadline. */
export class TokenDeadlineError extends Error {
    constructor(readonly limitMs: number) {
        super(`no access token within ${Number((limitMs / 1000).toFixed(3))} s`);
        this.name = "TokenDeadlineError";
    }
}

/**
 * The credential, with a deadline on each token request: DefaultAzureCredential asks Microsoft Entra ID (or a local
 * tool) over the network, and a stalled proxy would hold it for ever. At the deadline the request is aborted through
 * its signal, so nothing is left running. Not for the device code flow, which waits for the user on purpose.
 */
export function withTokenDeadline(credential: TokenCredential, limitMs: number): TokenCredential {
    return {
        getToken: (scopes, options) => new Promise((resolve, reject) => {
            const controller = new AbortController();
            const outer = options?.abortSignal;
            const forward = () => controller.abort();
            outer?.addEventListener("abort", forward);
            const timer = setTimeout(() => {
                controller.abort();
                reject(new TokenDeadlineError(limitMs));
            }, limitMs);
            const settle = () => {
                clearTimeout(timer);
                outer?.removeEventListener("abort", forward);
            };
            credential.getToken(scopes, { ...options, abortSignal: controller.signal }).then(
                token => {
                    settle();
                    resolve(token);
                },
                (error: unknown) => {
                    settle();
                    reject(error);
                },
            );
        }),
    };
}
