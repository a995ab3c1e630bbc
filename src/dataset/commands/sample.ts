import { resolve } from "node:path";
import type { Command } from "commander";
import { UserError } from "../errors.ts";
import { DEFAULT_SAMPLE_DAYS, DEFAULT_SAMPLE_ROWS, DEFAULT_SAMPLE_SEED, SAMPLE_WORKSPACE_ID, writeSample } from "../sample/index.ts";
import { parseDays, parseEnd, parseFormat, parseRows, parseSeed } from "../sample/cli-options.ts";
import { listInWords, REQUIRED_TABLE, SUPPORTED_TABLE_NAMES } from "../tables.ts";
import { sampleFilesInWords } from "./table-help.ts";

interface SampleCommandOptions {
    out?: string;
    rows: string;
    seed: string;
    days: string;
    end?: string;
    format: string;
}

const HELP = `
Writes a file per table to the output folder,
  ${sampleFilesInWords()},
for a fictional tenant (workspace ${SAMPLE_WORKSPACE_ID}) of about 500 users,
a few hundred cloud apps, department, firewall and endpoint streams, and Defender for Cloud Apps' "Global view"
stream: --rows counts the records of the per-source streams, and each UTC hour is followed by its Global view
rows, one per app, user and IP address with the sums of that hour's records. The same --seed, --rows, --days and --end
give the same rows. CSV files have the header of a Log Analytics portal export (datetime columns as "TimeGenerated [UTC]",
ISO 8601 values in UTC, dynamic columns as JSON text). Rows are streamed: --rows 10000000 runs in bounded memory.
Progress goes to stderr, one line at a time.

Examples:
  shadowit sample --out sample-data
  shadowit sample --out big --rows 10000000 --days 90 --format jsonl
  shadowit sample --out fixed --seed 7 --end 2024-05-01`;

function explainFsError(error: unknown, dir: string): never {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const reasons: Record<string, string> = {
        EACCES: "permission denied", EPERM: "operation not permitted", ENOTDIR: "a part of the path is a file, not a folder",
        EEXIST: "a file is in the way", EROFS: "the file system is read-only", ENOSPC: "the disk is full", EISDIR: "a folder is in the way",
    };
    if (code && reasons[code]) {
        throw new UserError(`cannot write the sample to ${dir}: ${reasons[code]} (${code}); choose another --out folder`);
    }
    throw error;
}

export function registerSample(program: Command): void {
    program
        .command("sample")
        .summary("write the embedded sample tenant's tables to files (CSV or JSON lines)")
        .description(`Writes a seeded, deterministic sample tenant's ${listInWords(SUPPORTED_TABLE_NAMES)} rows to files.`)
        .requiredOption("-o, --out <dir>", "output folder (created if missing)")
        .option("--rows <n>", `${REQUIRED_TABLE.name} records of the per-source streams (the Global view adds its own)`, String(DEFAULT_SAMPLE_ROWS))
        .option("--seed <s>", "seed: the same seed gives the same tenant and rows", String(DEFAULT_SAMPLE_SEED))
        .option("--days <d>", "days of data before --end", String(DEFAULT_SAMPLE_DAYS))
        .option("--end <iso>", "exclusive end of the data, ISO 8601 (default: the start of the current UTC hour)")
        .option("--format <format>", "csv or jsonl", "csv")
        .addHelpText("after", HELP)
        .action(async (opts: SampleCommandOptions) => {
            if (!opts.out || opts.out.trim() === "") throw new UserError("--out needs a folder path");
            const dir = resolve(opts.out);
            const options = {
                rows: parseRows(opts.rows),
                seed: parseSeed(opts.seed),
                days: parseDays(opts.days),
                end: opts.end === undefined ? undefined : parseEnd(opts.end),
                format: parseFormat(opts.format),
                progress: (message: string) => process.stderr.write(`sample: ${message}\n`),
            };
            try {
                const files = await writeSample(dir, options);
                const total = files.reduce((sum, f) => sum + f.rows, 0);
                process.stderr.write(`sample: done, ${total.toLocaleString("en-US")} rows in ${files.length} files under ${dir}\n`);
            } catch (error) {
                explainFsError(error, dir);
            }
        });
}
