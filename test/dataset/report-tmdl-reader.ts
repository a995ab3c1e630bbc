// A small reader of TMDL for the tests: it reads the files `shadowit report` writes back into objects and checks
// them against Microsoft's TMDL object metadata (vendor/schemas/tmdl/TmdlSchema.json). The rules it enforces are the
// ones Microsoft's "TMDL overview" documents: tab indentation, one level per child object, `///` descriptions,
// `name: value` properties, `name =` expressions indented deeper than the object's properties, single-quoted names
// when a name holds anything but letters, digits and underscores, and `true` booleans written as the bare name.
import { readFileSync } from "node:fs";
import path from "node:path";

interface SchemaProperty {
    readonly name: string;
    readonly type: string;
    readonly scalarValueType?: string;
    readonly enumType?: string;
    readonly children?: readonly SchemaProperty[];
}

interface SchemaObjectType {
    readonly requiresName?: boolean;
    readonly isSingleton?: boolean;
    readonly hasDescription?: boolean;
    readonly defaultProperty?: SchemaProperty;
    readonly properties?: readonly SchemaProperty[];
    readonly childObjects?: readonly string[];
}

interface TmdlSchema {
    readonly rootObjects: readonly string[];
    readonly objectTypes: Readonly<Record<string, SchemaObjectType>>;
    readonly enums: Readonly<Record<string, readonly string[]>>;
}

export const TMDL_SCHEMA = JSON.parse(readFileSync(path.join(__dirname, "..", "..", "vendor", "schemas", "tmdl", "TmdlSchema.json"), "utf8")) as TmdlSchema;

export interface TmdlObject {
    readonly type: string;
    readonly name: string | undefined;
    /** The value after `=` on the declaration line (or the lines below it), e.g. a measure's DAX. */
    defaultValue: string | undefined;
    description: string | undefined;
    readonly properties: Map<string, string | true>;
    readonly children: TmdlObject[];
    readonly file: string;
    readonly line: number;
}

/** Object keywords as TMDL writes them: the object type with a lower-case first letter, plus `database` and `ref`. */
function typeOfKeyword(keyword: string): string | undefined {
    if (keyword === "database") return "Database";
    const type = keyword.charAt(0).toUpperCase() + keyword.slice(1);
    return type in TMDL_SCHEMA.objectTypes ? type : undefined;
}

/** `'Name with spaces'` or `Name`, then the rest of the line. */
export function readName(text: string, where: string): { name: string; rest: string } {
    if (text.startsWith("'")) {
        let i = 1;
        let name = "";
        for (;;) {
            if (i >= text.length) throw new Error(`${where}: unterminated quoted name in ${JSON.stringify(text)}`);
            if (text[i] === "'") {
                if (text[i + 1] === "'") { name += "'"; i += 2; continue; }
                break;
            }
            name += text[i];
            i++;
        }
        return { name, rest: text.slice(i + 1).trim() };
    }
    const match = /^([^\s=]+)(.*)$/.exec(text);
    if (!match) throw new Error(`${where}: expected a name in ${JSON.stringify(text)}`);
    const name = match[1] as string;
    // Unquoted names hold no whitespace, dot, colon, equals sign or quote (a GUID is fine).
    if (!/^[^\s.:='"]+$/.test(name)) throw new Error(`${where}: the name ${JSON.stringify(name)} must be quoted with single quotes`);
    return { name, rest: (match[2] as string).trim() };
}

function tabsOf(line: string, where: string, strict = true): number {
    const match = /^(\t*)/.exec(line);
    const tabs = match?.[1]?.length ?? 0;
    if (strict && line[tabs] === " ") throw new Error(`${where}: indentation must be tabs, found a space`);
    return tabs;
}

/** Reads one TMDL file into its top-level objects (and `ref` lines as objects of type "Ref"). */
export function readTmdl(text: string, file: string): TmdlObject[] {
    const lines = text.split("\n");
    const roots: TmdlObject[] = [];
    const stack: { object: TmdlObject; level: number }[] = [];
    let description: string[] = [];
    let i = 0;
    const readExpression = (firstLine: number, minLevel: number): { value: string; next: number } => {
        const body: string[] = [];
        let j = firstLine;
        for (; j < lines.length; j++) {
            const line = lines[j] as string;
            if (line.trim() === "") { body.push(""); continue; }
            // Inside an expression, spaces after the tabs belong to the expression.
            const level = tabsOf(line, `${file}:${j + 1}`, false);
            if (level < minLevel) break;
            body.push(line.slice(minLevel));
        }
        while (body.length > 0 && body[body.length - 1] === "") body.pop();
        if (body.length === 0) throw new Error(`${file}:${firstLine}: an expression must follow "=" on the next lines, indented at least ${minLevel} tabs`);
        return { value: body.join("\n"), next: j };
    };
    while (i < lines.length) {
        const raw = lines[i] as string;
        const where = `${file}:${i + 1}`;
        if (raw.trim() === "") { i++; continue; }
        const level = tabsOf(raw, where);
        const content = raw.slice(level);
        while (stack.length > 0 && (stack[stack.length - 1] as { level: number }).level >= level) stack.pop();
        const parent = stack[stack.length - 1];
        if (content.startsWith("///")) { description.push(content.slice(3).trim()); i++; continue; }
        const keyword = /^([A-Za-z]+)/.exec(content)?.[1] ?? "";
        const objectType = keyword === "ref" ? "Ref" : typeOfKeyword(keyword);
        const isProperty = parent !== undefined && level === parent.level + 1 && (objectType === undefined || /^[A-Za-z]+\s*:/.test(content) || (objectType === "RefreshPolicy" && false));
        if (objectType !== undefined && !isProperty) {
            if (parent !== undefined && level !== parent.level + 1) throw new Error(`${where}: a child object must be indented one tab deeper than its parent`);
            if (parent === undefined && level !== 0) throw new Error(`${where}: a top-level object must not be indented`);
            let rest = content.slice(keyword.length).trim();
            let name: string | undefined;
            if (objectType === "Ref") {
                const sub = /^([A-Za-z]+)\s+(.*)$/.exec(rest);
                if (!sub) throw new Error(`${where}: ref needs an object type and a name`);
                const read = readName(sub[2] as string, where);
                name = `${sub[1]}:${read.name}`;
                rest = read.rest;
            } else if (rest !== "" && !rest.startsWith("=")) {
                const read = readName(rest, where);
                name = read.name;
                rest = read.rest;
            }
            const object: TmdlObject = { type: objectType, name, defaultValue: undefined, description: description.length > 0 ? description.join("\n") : undefined, properties: new Map(), children: [], file, line: i + 1 };
            description = [];
            i++;
            if (rest.startsWith("=")) {
                const value = rest.slice(1).trim();
                if (value !== "") object.defaultValue = value;
                else {
                    const read = readExpression(i, level + 2);
                    object.defaultValue = read.value;
                    i = read.next;
                }
            } else if (rest !== "") throw new Error(`${where}: unexpected ${JSON.stringify(rest)} after the declaration`);
            if (parent) parent.object.children.push(object);
            else roots.push(object);
            stack.push({ object, level });
            continue;
        }
        if (!parent || level !== parent.level + 1) throw new Error(`${where}: a property must be indented one tab deeper than its object (${JSON.stringify(content)})`);
        if (description.length > 0) throw new Error(`${where}: a /// description must precede an object declaration`);
        const property = /^([A-Za-z][A-Za-z0-9_]*)\s*(:|=)?\s*(.*)$/.exec(content);
        if (!property) throw new Error(`${where}: cannot read ${JSON.stringify(content)}`);
        const [, name, separator, value] = property as unknown as [string, string, string | undefined, string];
        i++;
        if (separator === undefined) {
            if (value !== "") throw new Error(`${where}: expected "name: value", "name = expression" or a bare boolean`);
            parent.object.properties.set(name, true);
            // A struct property's members follow, one tab deeper.
            while (i < lines.length && (lines[i] as string).trim() !== "" && tabsOf(lines[i] as string, where) === level + 1) {
                parent.object.properties.set(`${name}.${(lines[i] as string).trim()}`, true);
                i++;
            }
        } else if (separator === ":") {
            parent.object.properties.set(name, value);
        } else if (value !== "") {
            parent.object.properties.set(name, value);
        } else {
            const read = readExpression(i, level + 1);
            parent.object.properties.set(name, read.value);
            i = read.next;
        }
    }
    return roots;
}

/**
 * Enums TmdlSchema.json names but does not list: the values of TOM's PartitionSourceType enumeration
 * (Microsoft.AnalysisServices.Tabular.PartitionSourceType on learn.microsoft.com); `= m` declares an M partition.
 */
const ENUMS_NOT_IN_SCHEMA: Readonly<Record<string, readonly string[]>> = {
    PartitionSourceType: ["Query", "Calculated", "None", "M", "Entity", "PolicyRange", "CalculationGroup", "Inferred", "Parquet"],
};

/** TMDL's names for properties that TOM names differently. */
const PROPERTY_ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
    Partition: { source: "Expression" },
};

function findProperty(type: string, name: string): SchemaProperty | undefined {
    const schema = TMDL_SCHEMA.objectTypes[type];
    const canonical = PROPERTY_ALIASES[type]?.[name] ?? name;
    return schema?.properties?.find(p => p.name.toLowerCase() === canonical.toLowerCase());
}

function checkValue(property: SchemaProperty, value: string | true, where: string): void {
    if (property.type === "Struct") {
        if (value !== true) throw new Error(`${where}: ${property.name} is a struct: its members go on the lines below`);
        return;
    }
    if (property.type !== "Scalar") {
        if (value === true) throw new Error(`${where}: ${property.name} needs a value`);
        return;
    }
    switch (property.scalarValueType) {
        case "Bool":
            if (value !== true && value !== "true" && value !== "false") throw new Error(`${where}: ${property.name} is a boolean, got ${value}`);
            return;
        case "Int": case "Long":
            if (value === true || !/^-?\d+$/.test(value)) throw new Error(`${where}: ${property.name} is an integer, got ${String(value)}`);
            return;
        case "Enum": {
            const values = TMDL_SCHEMA.enums[property.enumType ?? ""] ?? ENUMS_NOT_IN_SCHEMA[property.enumType ?? ""] ?? [];
            if (value === true || !values.some(v => v.toLowerCase() === value.toLowerCase())) {
                throw new Error(`${where}: ${property.name} must be one of ${values.join(", ")}, got ${String(value)}`);
            }
            return;
        }
        default:
            return;
    }
}

/** Checks an object tree against TmdlSchema.json: known types, allowed children, property names and values. */
export function checkAgainstSchema(objects: readonly TmdlObject[], parentType: string | undefined): void {
    for (const object of objects) {
        const where = `${object.file}:${object.line}`;
        if (object.type === "Ref" || object.type === "Database") {
            if (parentType !== undefined) throw new Error(`${where}: ${object.type} must be at the top level`);
            if (object.type === "Database") {
                // TmdlSchema.json does not describe the database object: TMDL's database.tmdl holds its compatibility level.
                for (const [name, value] of object.properties) {
                    if (name !== "compatibilityLevel" || value === true || !/^\d+$/.test(value)) throw new Error(`${where}: unexpected database property ${name}`);
                }
            }
            continue;
        }
        const schema = TMDL_SCHEMA.objectTypes[object.type];
        if (!schema) throw new Error(`${where}: unknown object type ${object.type}`);
        const allowed = parentType === undefined ? [...TMDL_SCHEMA.rootObjects] : TMDL_SCHEMA.objectTypes[parentType]?.childObjects ?? [];
        if (!allowed.includes(object.type)) throw new Error(`${where}: ${object.type} cannot be a child of ${parentType ?? "the top level"}`);
        if (schema.requiresName && object.name === undefined) throw new Error(`${where}: ${object.type} needs a name`);
        if (schema.isSingleton && object.name !== undefined) throw new Error(`${where}: ${object.type} takes no name`);
        if (object.description !== undefined && !schema.hasDescription) throw new Error(`${where}: ${object.type} has no description`);
        if (object.defaultValue !== undefined) {
            if (!schema.defaultProperty) throw new Error(`${where}: ${object.type} takes no "= value"`);
            if (schema.defaultProperty.type === "Scalar") checkValue(schema.defaultProperty, object.defaultValue, where);
        }
        for (const [name, value] of object.properties) {
            const [head, member] = name.split(".");
            const property = findProperty(object.type, head as string);
            if (!property) throw new Error(`${where}: ${object.type} has no property ${head}`);
            if (member !== undefined) {
                const child = property.children?.find(c => c.name.toLowerCase() === member.toLowerCase());
                if (!child) throw new Error(`${where}: ${property.name} has no member ${member}`);
                checkValue(child, value, where);
            } else checkValue(property, value, where);
        }
        checkAgainstSchema(object.children, object.type);
    }
}
