import { ENTRA_TABLE_NAMES, type TableSchema } from "../../schema.ts";
import { UserError } from "../errors.ts";
import { findTable, SUPPORTED_TABLE_NAMES } from "../tables.ts";

export { SUPPORTED_TABLE_NAMES, type SupportedTableName } from "../tables.ts";

/**
 * Resolves a user-given table name to its expected schema (a schema passed in is returned as it is). The name must match exactly (Log Analytics table names are
 * case-sensitive); anything else is a UserError that lists the valid names, so a table name can never carry
 * KQL into a query.
 */
export function resolveTable(name: string | TableSchema): TableSchema {
    // A schema is taken as given (it may be the columns a workspace returned) once its table name is known.
    if (typeof name !== "string") {
        resolveTable(name.name);
        return name;
    }
    const table = findTable(name);
    if (table) return table;
    const valid = SUPPORTED_TABLE_NAMES.join(", ");
    const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
    if ((ENTRA_TABLE_NAMES as readonly string[]).includes(name)) {
        throw new UserError(`table ${shown} is an Entra ID table that is not supported yet; supported tables: ${valid}`);
    }
    const nearMiss = SUPPORTED_TABLE_NAMES.find(n => n.toLowerCase() === name.trim().toLowerCase());
    const hint = nearMiss ? ` (table names are case-sensitive: did you mean ${nearMiss}?)` : "";
    throw new UserError(`unknown table ${shown}${hint}; supported tables: ${valid}`);
}
