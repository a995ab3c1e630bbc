import { Command, CommanderError } from "commander";
import { UserError } from "./errors.ts";
import { registerM } from "./commands/m.ts";
import { registerSample } from "./commands/sample.ts";
import { registerEmulator } from "./commands/emulator.ts";
import { registerExport } from "./commands/export.ts";
import { registerCheck } from "./commands/check.ts";
import { registerReport } from "./commands/report.ts";

/** Commander's own usage errors ("error: unknown option '--x'\n(Did you mean …?)") as one line that points at --help. */
export function usageErrorLine(message: string, command: Command): string {
    const what = message.replace(/^error:\s*/, "").replace(/\s*\n\s*/g, " ").trim();
    const help = command.parent ? `shadowit ${command.name()} --help` : "shadowit --help";
    return `shadowit: ${what} (run "${help}" to see the ${command.parent ? "options" : "commands"})\n`;
}

export function buildProgram(): Command {
    const program = new Command("shadowit")
        .description("Shadow IT Discovery dataset companion: Power Query M, Power BI projects, exports, workspace checks and a sample tenant for Log Analytics")
        .exitOverride();
    registerM(program);
    registerExport(program);
    registerCheck(program);
    registerReport(program);
    registerSample(program);
    registerEmulator(program);
    for (const command of [program, ...program.commands]) {
        command.configureOutput({ outputError: (message, write) => write(usageErrorLine(message, command)) });
    }
    return program;
}

function commandNames(program: Command): string[] {
    return program.commands.map(command => command.name());
}

/** Runs the CLI and resolves to the process exit code; long-running commands resolve when they stop. */
export async function main(argv: string[]): Promise<number> {
    const program = buildProgram();
    const words = argv.slice(2);
    if (!words.some(word => !word.startsWith("-")) && !words.some(word => word === "-h" || word === "--help")) {
        // Commander would print the whole help as an error here.
        process.stderr.write(`shadowit: no command given: use one of ${commandNames(program).join(", ")} (run "shadowit --help" to see what each does)\n`);
        return 2;
    }
    try {
        await program.parseAsync(argv);
        return 0;
    } catch (error) {
        // Help and version exit 0; every other Commander error is a usage error, already printed as one line.
        if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
        if (error instanceof UserError) {
            process.stderr.write(`shadowit: ${error.message}\n`);
            return error.exitCode;
        }
        process.stderr.write(`shadowit: unexpected error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
        return 1;
    }
}
