// Renders the semantic model as a TMDL folder (Microsoft's "Tabular Model Definition Language"): tab indentation,
// `///` descriptions above declarations, `name: value` properties, `name =` followed by an expression indented one
// level deeper than the object's properties, and names quoted with single quotes when they hold anything but
// letters, digits and underscores.
import { createHash } from "node:crypto";
import type { ColumnDef, MeasureDef, ParameterDef, RelationshipDef, SemanticModelDef, TableDef } from "./model.ts";

export const COMPATIBILITY_LEVEL = 1600;
const TAB = "\t";

/** A TMDL object name: bare when it is a plain identifier, otherwise in single quotes with quotes doubled. */
export function tmdlName(name: string): string {
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

/** A stable lineage tag: the same object in the same project always gets the same GUID-shaped tag. */
export function lineageTag(...path: string[]): string {
    const hex = createHash("sha256").update(path.join("\u0000")).digest("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function indent(level: number): string {
    return TAB.repeat(level);
}

function descriptionLines(text: string | undefined, level: number): string[] {
    if (!text) return [];
    return text.split("\n").map(line => `${indent(level)}/// ${line}`);
}

/** `keyword name =` then the expression's lines one level deeper than `propertyLevel`. */
function expressionBlock(lines: string[], head: string, expression: string, propertyLevel: number): void {
    const body = expression.split("\n");
    if (body.length === 1) {
        lines.push(`${head} ${body[0]}`);
        return;
    }
    lines.push(head);
    for (const line of body) lines.push(line.length === 0 ? "" : `${indent(propertyLevel + 1)}${line}`);
}

/** A property whose value is text: quoted when it would be ambiguous (leading/trailing space, a colon or quote). */
function textValue(value: string): string {
    return /^\s|\s$|^"|[\r\n]/.test(value) ? `"${value.replace(/"/g, "\"\"")}"` : value;
}

function column(lines: string[], table: string, c: ColumnDef): void {
    lines.push(...descriptionLines(c.description, 1));
    lines.push(`${indent(1)}column ${tmdlName(c.name)}`);
    lines.push(`${indent(2)}dataType: ${c.dataType}`);
    if (c.isKey) lines.push(`${indent(2)}isKey`);
    if (c.isHidden) lines.push(`${indent(2)}isHidden`);
    if (c.formatString) lines.push(`${indent(2)}formatString: ${textValue(c.formatString)}`);
    lines.push(`${indent(2)}lineageTag: ${lineageTag("column", table, c.name)}`);
    lines.push(`${indent(2)}summarizeBy: ${c.summarizeBy}`);
    lines.push(`${indent(2)}sourceColumn: ${textValue(c.name)}`);
    lines.push("");
    lines.push(`${indent(2)}annotation SummarizationSetBy = Automatic`);
    lines.push("");
}

function measure(lines: string[], table: string, m: MeasureDef): void {
    lines.push(...descriptionLines(m.description, 1));
    expressionBlock(lines, `${indent(1)}measure ${tmdlName(m.name)} =`, m.expression, 2);
    lines.push(`${indent(2)}formatString: ${textValue(m.formatString)}`);
    if (m.displayFolder) lines.push(`${indent(2)}displayFolder: ${textValue(m.displayFolder)}`);
    lines.push(`${indent(2)}lineageTag: ${lineageTag("measure", table, m.name)}`);
    lines.push("");
}

function refreshPolicy(lines: string[], t: TableDef): void {
    const policy = t.refreshPolicy;
    if (!policy) return;
    lines.push(`${indent(1)}refreshPolicy`);
    lines.push(`${indent(2)}policyType: basic`);
    lines.push(`${indent(2)}rollingWindowGranularity: day`);
    lines.push(`${indent(2)}rollingWindowPeriods: ${policy.rollingWindowDays}`);
    lines.push(`${indent(2)}incrementalGranularity: day`);
    lines.push(`${indent(2)}incrementalPeriods: ${policy.incrementalDays}`);
    expressionBlock(lines, `${indent(2)}sourceExpression =`, t.source, 2);
    lines.push("");
}

export function tableTmdl(t: TableDef): string {
    const lines: string[] = [];
    lines.push(...descriptionLines(t.description, 0));
    lines.push(`table ${tmdlName(t.name)}`);
    if (t.dataCategory) lines.push(`${indent(1)}dataCategory: ${t.dataCategory}`);
    if (t.isHidden) lines.push(`${indent(1)}isHidden`);
    lines.push(`${indent(1)}lineageTag: ${lineageTag("table", t.name)}`);
    lines.push("");
    for (const m of t.measures) measure(lines, t.name, m);
    for (const c of t.columns) column(lines, t.name, c);
    refreshPolicy(lines, t);
    lines.push(`${indent(1)}partition ${tmdlName(t.name)} = m`);
    lines.push(`${indent(2)}mode: import`);
    expressionBlock(lines, `${indent(2)}source =`, t.source, 2);
    lines.push("");
    lines.push(`${indent(1)}annotation PBI_ResultType = Table`);
    lines.push("");
    return lines.join("\n");
}

function parameter(lines: string[], p: ParameterDef): void {
    lines.push(...descriptionLines(p.description, 0));
    expressionBlock(lines, `expression ${tmdlName(p.name)} =`, p.expression, 0);
    lines.push(`${indent(1)}lineageTag: ${lineageTag("expression", p.name)}`);
    lines.push("");
    lines.push(`${indent(1)}annotation PBI_ResultType = ${p.resultType}`);
    lines.push("");
}

export function expressionsTmdl(parameters: readonly ParameterDef[]): string {
    const lines: string[] = [];
    for (const p of parameters) parameter(lines, p);
    return lines.join("\n");
}

function qualifiedColumn(table: string, column: string): string {
    return `${tmdlName(table)}.${tmdlName(column)}`;
}

export function relationshipsTmdl(relationships: readonly RelationshipDef[]): string {
    const lines: string[] = [];
    for (const r of relationships) {
        lines.push(`relationship ${r.id}`);
        lines.push(`${indent(1)}fromColumn: ${qualifiedColumn(r.fromTable, r.fromColumn)}`);
        lines.push(`${indent(1)}toColumn: ${qualifiedColumn(r.toTable, r.toColumn)}`);
        lines.push("");
    }
    return lines.join("\n");
}

export function databaseTmdl(): string {
    return `database\n${indent(1)}compatibilityLevel: ${COMPATIBILITY_LEVEL}\n\n`;
}

export function modelTmdl(model: SemanticModelDef): string {
    const order = [...model.parameters.map(p => p.name), ...model.tables.map(t => t.name)];
    const lines = [
        "model Model",
        `${indent(1)}culture: en-US`,
        `${indent(1)}defaultPowerBIDataSourceVersion: powerBI_V3`,
        `${indent(1)}discourageImplicitMeasures`,
        `${indent(1)}sourceQueryCulture: en-US`,
        `${indent(1)}dataAccessOptions`,
        `${indent(2)}legacyRedirects`,
        `${indent(2)}returnErrorValuesAsNull`,
        "",
        `${indent(1)}annotation PBI_QueryOrder = ${JSON.stringify(order)}`,
        "",
        ...model.tables.map(t => `ref table ${tmdlName(t.name)}`),
        "",
    ];
    return lines.join("\n");
}

/** The files of the semantic model's `definition/` folder, by path relative to it. */
export function semanticModelDefinitionFiles(model: SemanticModelDef): Map<string, string> {
    const files = new Map<string, string>();
    files.set("database.tmdl", databaseTmdl());
    files.set("model.tmdl", modelTmdl(model));
    files.set("expressions.tmdl", expressionsTmdl(model.parameters));
    files.set("relationships.tmdl", relationshipsTmdl(model.relationships));
    for (const t of model.tables) files.set(`tables/${t.name}.tmdl`, tableTmdl(t));
    return files;
}
