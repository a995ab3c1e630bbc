// The real `shadowit` command run as a child process (node bin/shadowit.mjs), for specs that watch its output as
// it runs and stop it with a signal.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
const CLI = path.join(REPO_ROOT, "bin", "shadowit.mjs");

export interface CliRun {
    readonly code: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly stdout: string;
    readonly stderr: string;
}

export interface CliRunOptions {
    readonly env?: NodeJS.ProcessEnv;
    /** Called after each chunk of output with all of it so far; `child` is there to signal. */
    readonly onOutput?: (output: { readonly stdout: string; readonly stderr: string }, child: ChildProcess) => void;
    /** A last resort against a hung child: SIGKILL after this many milliseconds (default: never). */
    readonly killAfterMs?: number;
}

/** Runs `shadowit ARGS` from the repository root and resolves when it has exited, however it ended. */
export function runShadowit(args: readonly string[], options: CliRunOptions = {}): Promise<CliRun> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        const killer = options.killAfterMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), options.killAfterMs);
        child.stdout.setEncoding("utf8");
        child.stderr.setEncoding("utf8");
        child.stdout.on("data", (chunk: string) => {
            stdout += chunk;
            options.onOutput?.({ stdout, stderr }, child);
        });
        child.stderr.on("data", (chunk: string) => {
            stderr += chunk;
            options.onOutput?.({ stdout, stderr }, child);
        });
        child.on("error", reject);
        child.on("close", (code, signal) => {
            if (killer) clearTimeout(killer);
            resolve({ code, signal, stdout, stderr });
        });
    });
}
