import { spawnSync } from "node:child_process";
import os from "node:os";

export interface Machine {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryGB: number;
    readonly platform: string;
    readonly node: string;
    /** Filled in by the first section that launches Chromium. */
    chromium: string | null;
}

export function describeMachine(): Machine {
    const cpus = os.cpus();
    return {
        cpus: cpus.length,
        cpuModel: cpus[0]?.model.trim() ?? "unknown",
        memoryGB: Math.round(os.totalmem() / 2 ** 30 * 10) / 10,
        platform: `${os.type()} ${os.release()} ${os.arch()}`,
        node: process.version,
        chromium: null,
    };
}

/** `chromium --version`, when the binary answers it; null otherwise (the browser's own version() is used then). */
export function chromiumVersionFromBinary(executable: string): string | null {
    const result = spawnSync(executable, ["--version"], { encoding: "utf8", timeout: 15000 });
    if (result.status !== 0 || !result.stdout) return null;
    return result.stdout.trim().split("\n")[0];
}
