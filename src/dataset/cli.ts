import { Command, CommanderError } from "commander";
import { UserError } from "./errors.ts";
import { registerM } from "./commands/m.ts";
import { registerSample } from "./commands/sample.ts";
import { registerEmulator } from "./commands/emulator.ts";
import { registerExport } from "./commands/export.ts";
import { registerReport } from "./commands/report.ts";

export function buildProgram(): Command {
    const program = new Command("shadowit")
        .description("Shadow IT Discovery dataset companion: Power Query M, Power BI projects, exports and a sample tenant for Log Analytics")
        .exitOverride()
        .showHelpAfterError();
    registerM(program);
    registerExport(program);
    registerReport(program);
    registerSample(program);
    registerEmulator(program);
    return program;
}

/** Runs the CLI and resolves to the process exit code; long-running commands resolve when they stop. */
export async function main(argv: string[]): Promise<number> {
    try {
        await buildProgram().parseAsync(argv);
        return 0;
    } catch (error) {
        if (error instanceof CommanderError) return error.exitCode;
        if (error instanceof UserError) {
            process.stderr.write(`shadowit: ${error.message}\n`);
            return error.exitCode;
        }
        process.stderr.write(`shadowit: unexpected error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
        return 1;
    }
}
