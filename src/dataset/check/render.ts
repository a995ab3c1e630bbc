// The check report as text for people (pure). `--json` prints the report object itself.
import type { CheckReport, Finding, QueryEstimate } from "./assess.ts";

const count = (n: number) => n.toLocaleString("en-US");
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(bytes >= 1e7 ? 0 : 1)} MB`;
const LABEL: Readonly<Record<Finding["level"], string>> = { fail: "FAIL", warn: "WARN", info: "note" };

function estimateLine(e: QueryEstimate): string {
    const verdict = e.withinLimits ? "ok" : "OVER THE LIMIT";
    const queries = e.queries !== null ? `, about ${count(e.queries)} queries for these days` : "";
    const range = e.rangeRows !== null && e.rangeBytes !== null ? `; all days in one query: ${count(e.rangeRows)} rows, ~${mb(e.rangeBytes)}` : "";
    const largest = e.query === "export" ? "largest window" : "busiest day";
    return `  ${verdict.padEnd(14)} ${e.description}\n${" ".repeat(17)}${largest}: ${count(e.largestRows)} rows, ~${mb(e.largestBytes)}${range}${queries}`;
}

export function renderReport(report: CheckReport): string {
    const lines: string[] = [];
    lines.push(`Workspace ${report.workspaceId} at ${report.endpoint}, checked ${report.checkedAt}`);
    lines.push("");
    lines.push("Tables");
    for (const table of report.tables) {
        const role = table.required ? "needed" : "optional";
        if (!table.exists) {
            lines.push(`  ${table.name} (${role}): missing`);
            continue;
        }
        lines.push(`  ${table.name} (${role}): ${table.columns?.length ?? 0} columns, ${count(table.rows)} rows in the last ${table.days.length} days`);
        const diff = table.schema;
        if (diff) {
            if (diff.missing.length === 0 && diff.extra.length === 0 && diff.retyped.length === 0) lines.push("    schema as expected");
            if (diff.missing.length > 0) lines.push(`    missing:   ${diff.missing.map(c => `${c.name} (${c.type})`).join(", ")}`);
            if (diff.retyped.length > 0) lines.push(`    retyped:   ${diff.retyped.map(c => `${c.name} ${c.actual} (expected ${c.expected})`).join(", ")}`);
            if (diff.extra.length > 0) lines.push(`    extra:     ${diff.extra.map(c => `${c.name} (${c.type})`).join(", ")}`);
        }
    }
    const mcas = report.tables.find(t => t.required && t.exists);
    if (mcas) {
        lines.push("");
        lines.push(`Rows per day, ${mcas.name} (UTC; the last day is partial)`);
        const width = Math.max(1, ...mcas.days.map(d => count(d.rows).length));
        for (const day of mcas.days) lines.push(`  ${day.day}  ${count(day.rows).padStart(width)}${day.rows === 0 ? "  (none)" : ""}`);
    }
    if (report.streams) {
        lines.push("");
        lines.push("Streams (last data; rows in the last 90 days)");
        if (report.streams.length === 0) lines.push("  none");
        const width = Math.max(0, ...report.streams.map(s => s.name.length));
        for (const s of report.streams) {
            const since = s.daysSince === null ? "never" : s.daysSince === 0 ? "within a day" : `${s.daysSince} day(s) ago`;
            const mark = s.globalView ? "  (aggregate of the other streams)" : "";
            lines.push(`  ${JSON.stringify(s.name).padEnd(width + 2)}  ${s.lastSeen ?? "-"}  ${since.padEnd(13)} ${count(s.rows)} rows${mark}`);
        }
        lines.push(`  "Global view" stream: ${report.globalView ? "present" : "absent"}`);
    }
    if (report.estimates.length > 0) {
        lines.push("");
        lines.push(`Query limits (${count(report.limits.rows)} rows and about ${mb(report.limits.bytes)} per query; sizes are estimates)`);
        for (const e of report.estimates) lines.push(estimateLine(e));
    }
    lines.push("");
    if (report.findings.length === 0) lines.push("Nothing to report: exports and the M should work.");
    for (const f of report.findings) lines.push(`${LABEL[f.level]}: ${f.message}`);
    const failures = report.findings.filter(f => f.level === "fail").length;
    lines.push(failures === 0 ? "Result: ok" : `Result: ${failures} problem(s) would make an export or the M fail`);
    return `${lines.join("\n")}\n`;
}
