import { existsSync, readFileSync } from "node:fs";
import { SectionId } from "./args";
import { Machine } from "./machine";

export type Verdict = "met" | "missed" | "not measured" | "no target";

export interface Figure {
    readonly name: string;
    readonly value: string;
    readonly target: string;
    readonly verdict: Verdict;
    /** Why a target is missed or a figure is not measured; how it was measured when that matters. */
    readonly note?: string;
}

export interface SectionResult {
    readonly id: SectionId;
    readonly title: string;
    readonly command: string;
    readonly date: string;
    readonly figures: readonly Figure[];
    /** Further markdown: tables of runs, what exactly was timed. */
    readonly details: readonly string[];
}

const VERDICT_TEXT: Record<Verdict, string> = {
    "met": "**met**",
    "missed": "**MISSED**",
    "not measured": "**not measured**",
    "no target": "–",
};

export function machineLine(m: Machine): string {
    return `${m.cpus} CPUs (nproc; ${m.cpuModel}), ${m.memoryGB} GiB memory, ${m.platform}, Node ${m.node}, `
        + `${m.chromium ?? "Chromium not used"}`;
}

export function renderSection(s: SectionResult, machine: Machine): string {
    const lines = [
        `<!-- section:${s.id} -->`,
        `## ${s.title}`,
        "",
        `- Date: ${s.date}`,
        `- Machine: ${machineLine(machine)}`,
        `- Reproduce: \`${s.command}\``,
        "",
        "| Figure | Value | Target | Verdict |",
        "| --- | --- | --- | --- |",
        ...s.figures.map(f => `| ${cell(f.name)} | ${cell(f.value)} | ${cell(f.target)} | ${VERDICT_TEXT[f.verdict]} |`),
        "",
    ];
    const notes = s.figures.filter(f => f.note);
    if (notes.length > 0) {
        for (const f of notes) lines.push(`- **${f.name}** (${f.verdict}): ${f.note}`);
        lines.push("");
    }
    if (s.details.length > 0) lines.push(...s.details, "");
    lines.push(`<!-- /section:${s.id} -->`);
    return lines.join("\n");
}

function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** Sections of an existing report, by id, so that `--only` replaces just the sections it ran. */
export function previousSections(file: string): Map<string, string> {
    const sections = new Map<string, string>();
    if (!existsSync(file)) return sections;
    const text = readFileSync(file, "utf8");
    const pattern = /<!-- section:([a-z]+) -->[\s\S]*?<!-- \/section:\1 -->/g;
    for (const match of text.matchAll(pattern)) sections.set(match[1], match[0]);
    return sections;
}

export function renderReport(order: readonly SectionId[], sections: Map<string, string>, summary: string[], quick = false): string {
    return [
        "# Benchmarks",
        "",
        "Written by `npm run bench` (scripts/bench.mjs → bench/). Every figure below was measured on the machine and",
        "date given with it; ratios compare runs made side by side in one browser or one process, alternating, because",
        "the machine is shared and absolute times drift. `npm run bench -- --only <section>` reruns one section and",
        "keeps the others; `--quick` is a smoke check and writes to .tmp/BENCHMARKS.quick.md instead.",
        ...(quick ? ["", "**This is a quick run**: fewer rows and runs than the targets are stated for, so no target is judged."] : []),
        "",
        ...summary,
        "",
        ...order.filter(id => sections.has(id)).map(id => `${sections.get(id)}\n`),
    ].join("\n");
}

/** One line per figure with a target, read back from the sections' tables (so merged sections count too). */
export function summaryOf(order: readonly SectionId[], sections: Map<string, string>): string[] {
    const rows: string[] = [];
    for (const id of order) {
        const text = sections.get(id);
        if (!text) continue;
        const title = /^## (.*)$/m.exec(text)?.[1] ?? id;
        for (const line of text.split("\n")) {
            const cells = line.split(/(?<!\\)\|/).slice(1, -1).map(c => c.trim());
            if (cells.length !== 4 || cells[0] === "Figure" || cells[0] === "---" || cells[3] === "–") continue;
            rows.push(`| ${title} | ${cells[0]} | ${cells[1]} | ${cells[2]} | ${cells[3]} |`);
        }
    }
    if (rows.length === 0) return [];
    return ["## Targets at a glance", "", "| Section | Figure | Value | Target | Verdict |", "| --- | --- | --- | --- | --- |",
        ...rows];
}
