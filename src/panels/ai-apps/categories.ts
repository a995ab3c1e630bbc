/*
 * The app categories that count as AI. Defender for Cloud Apps' cloud app catalogue files generative-AI apps under
 * "Generative AI"; in 2025 it added the categories for AI model providers and MCP servers (Microsoft Tech Community,
 * "Discover risks in AI model providers and MCP servers with Microsoft Defender", 2025). Microsoft Graph's
 * security appCategory enumeration lists them as aiModelProvider and mcpServer (learn.microsoft.com, graph/api/
 * resources/security-appcategory, beta), which the portal and McasShadowItReporting.AppCategory spell as "AI model
 * provider" and "MCP server". A report may add its own (the formatting pane's AI categories, a comma-separated
 * list); names are compared trimmed and without case, as the catalogue's spelling of case has varied.
 */
export const DEFAULT_AI_CATEGORIES: readonly string[] = ["Generative AI", "AI model provider", "MCP server"];

export const AI_CATEGORIES_TEXT_DEFAULT = DEFAULT_AI_CATEGORIES.join(", ");

/** At most this many categories, each at most this long: a pasted text cannot make the list unbounded. */
export const AI_CATEGORIES_MAX = 50;
export const AI_CATEGORY_MAX_LENGTH = 256;

/**
 * The categories of the formatting pane's comma-separated text: each trimmed, empty ones left out, duplicates (in
 * any case) once, the first AI_CATEGORIES_MAX kept; the default list when the text names none (unset, blank, or
 * only commas) or is not text.
 */
export function parseAiCategories(raw: unknown): readonly string[] {
    if (typeof raw !== "string") return DEFAULT_AI_CATEGORIES;
    const seen = new Set<string>();
    const categories: string[] = [];
    for (const part of raw.split(",")) {
        const name = part.trim().slice(0, AI_CATEGORY_MAX_LENGTH).trim();
        const key = aiCategoryKey(name);
        if (name === "" || seen.has(key)) continue;
        seen.add(key);
        categories.push(name);
        if (categories.length === AI_CATEGORIES_MAX) break;
    }
    return categories.length > 0 ? categories : DEFAULT_AI_CATEGORIES;
}

/** How a category name is compared: trimmed, in lower case (locale-independent). */
export function aiCategoryKey(name: string): string {
    return name.trim().toLowerCase();
}
