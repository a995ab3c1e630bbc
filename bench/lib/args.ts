export const SECTIONS = ["render", "scale", "package", "export", "pushdown", "grain"] as const;
export type SectionId = typeof SECTIONS[number];

export interface BenchOptions {
    readonly quick: boolean;
    readonly only: readonly SectionId[];
    /** Where the report goes (BENCHMARKS.md at the repository root unless --out is given). */
    readonly out: string | null;
    /** A .pbiviz of an earlier version, drawn beside the current one in the render section (before/after). */
    readonly baseline: string | null;
}

export function parseArgs(argv: readonly string[]): BenchOptions {
    let quick = false;
    let only: SectionId[] = [...SECTIONS];
    let out: string | null = null;
    let baseline: string | null = null;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--quick") {
            quick = true;
        } else if (arg === "--only" || arg.startsWith("--only=")) {
            const value = arg === "--only" ? argv[++i] : arg.slice("--only=".length);
            if (!value) throw new Error("--only needs a comma-separated list, e.g. --only render,package");
            only = value.split(",").map(v => v.trim()).filter(Boolean).map(v => {
                if (!(SECTIONS as readonly string[]).includes(v)) {
                    throw new Error(`unknown section "${v}" in --only: use any of ${SECTIONS.join(", ")}`);
                }
                return v as SectionId;
            });
        } else if (arg === "--out" || arg.startsWith("--out=")) {
            out = arg === "--out" ? argv[++i] ?? null : arg.slice("--out=".length);
            if (!out) throw new Error("--out needs a file name");
        } else if (arg === "--baseline" || arg.startsWith("--baseline=")) {
            baseline = arg === "--baseline" ? argv[++i] ?? null : arg.slice("--baseline=".length);
            if (!baseline || !baseline.endsWith(".pbiviz")) throw new Error("--baseline needs a .pbiviz file of an earlier version");
        } else if (arg === "--help" || arg === "-h") {
            throw new HelpRequested();
        } else {
            throw new Error(`unknown option "${arg}": use --quick, --only ${SECTIONS.join(",")}, --out FILE or --baseline FILE.pbiviz`);
        }
    }
    return { quick, only, out, baseline };
}

export class HelpRequested extends Error {
    constructor() {
        super([
            "npm run bench [-- [--quick] [--only render,scale,package,export,pushdown,grain] [--out FILE] [--baseline FILE.pbiviz]]",
            "  --quick  small sizes and few runs: a smoke check, not figures to publish",
            "  --only   run only these sections (the report keeps the others' previous text out)",
            "  --out    write the report here instead of BENCHMARKS.md",
            "  --baseline  an earlier version's .pbiviz: the render section draws it too, in the same runs (before/after)",
        ].join("\n"));
    }
}
