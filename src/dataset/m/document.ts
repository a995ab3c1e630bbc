// A generated Power Query document: named queries, printed either as blocks to paste one by one into Power BI
// Desktop's Advanced Editor, or as one `section` document (the form Power BI keeps them in).
import { mCommentText, mIdentifier } from "./literals.ts";

export interface MQuery {
    /** The query's name in Power BI: parameters must keep their names (the main query refers to them). */
    readonly name: string;
    /** One or two lines telling the user what the query is and how to create it. */
    readonly description: string;
    /** The query's M expression, exactly what goes into the Advanced Editor. */
    readonly expression: string;
}

export type MLayout = "blocks" | "section";
export const M_LAYOUTS: readonly MLayout[] = ["blocks", "section"];

function comment(line: string): string {
    return `// ${mCommentText(line)}`;
}

export function renderBlocks(queries: readonly MQuery[], preamble: readonly string[]): string {
    const out: string[] = preamble.map(comment);
    queries.forEach((query, index) => {
        out.push("");
        out.push(comment(`===== Query ${index + 1} of ${queries.length}: ${query.name} =====`));
        for (const line of query.description.split("\n")) out.push(comment(line));
        out.push(query.expression);
    });
    return `${out.join("\n")}\n`;
}

export function renderSection(queries: readonly MQuery[], preamble: readonly string[]): string {
    const out: string[] = preamble.map(comment);
    out.push("section Section1;");
    for (const query of queries) {
        out.push("");
        for (const line of query.description.split("\n")) out.push(comment(line));
        out.push(`shared ${mIdentifier(query.name)} =`);
        out.push(`${query.expression};`);
    }
    return `${out.join("\n")}\n`;
}

export function renderDocument(queries: readonly MQuery[], layout: MLayout, preamble: readonly string[]): string {
    return layout === "section" ? renderSection(queries, preamble) : renderBlocks(queries, preamble);
}
