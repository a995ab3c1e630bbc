// The sample tenant's cloud app catalogue: well-known apps (product names used as plain data) plus a
// generated long tail, across the Defender for Cloud Apps discovery categories.
import { Rng } from "./prng.ts";

export interface CatalogueApp {
    readonly name: string;
    readonly id: number;
    readonly category: string;
    /** 0 (riskiest) to 10 (not risky). */
    readonly score: number;
    readonly tags: readonly string[];
    /** Relative popularity in the tenant (share of discovery records). */
    readonly popularity: number;
    /** Typical upload/download volume scale for the app: file sharing moves more than a news site. */
    readonly volume: number;
}

export const APP_CATEGORIES = [
    "Cloud storage", "Collaboration", "Webmail", "Generative AI", "Social network", "Content management", "CRM",
    "Development tools", "Hosting services", "IT services", "Marketing", "Online meeting", "Productivity",
    "Security", "Transportation and Logistics", "Vendor management system", "Website monitoring",
    "Accounting and finance", "Human resource management", "Operations management", "Cloud computing platform",
    "Code-hosting", "Communications", "Customer support", "Ecommerce", "Education", "Health",
    "News and entertainment", "Sales", "Supply chain and logistics", "Internet of Things", "Advertising",
] as const;

type Tagging = "s" | "u" | "m" | "";

// name, category, score, tagging (s = sanctioned, u = unsanctioned, m = custom "Monitored"), popularity
const KNOWN_APPS: readonly (readonly [string, string, number, Tagging, number])[] = [
    ["Microsoft OneDrive for Business", "Cloud storage", 10, "s", 60],
    ["Microsoft SharePoint Online", "Collaboration", 10, "s", 55],
    ["Microsoft Exchange Online", "Webmail", 10, "s", 70],
    ["Microsoft Teams", "Collaboration", 10, "s", 65],
    ["Dropbox", "Cloud storage", 8, "m", 22],
    ["Box", "Cloud storage", 9, "s", 18],
    ["Google Drive", "Cloud storage", 8, "", 20],
    ["WeTransfer", "Cloud storage", 5, "u", 9],
    ["MEGA", "Cloud storage", 3, "u", 3],
    ["pCloud", "Cloud storage", 6, "", 1.5],
    ["Mediafire", "Cloud storage", 3, "u", 1.2],
    ["Sync.com", "Cloud storage", 7, "", 0.6],
    ["Gmail", "Webmail", 8, "", 25],
    ["Yahoo Mail", "Webmail", 6, "", 4],
    ["Outlook.com", "Webmail", 9, "", 6],
    ["ProtonMail", "Webmail", 7, "m", 1.5],
    ["GMX", "Webmail", 5, "", 0.8],
    ["ChatGPT", "Generative AI", 6, "m", 24],
    ["Microsoft Copilot", "Generative AI", 10, "s", 20],
    ["Google Gemini", "Generative AI", 7, "", 9],
    ["Claude", "Generative AI", 7, "", 6],
    ["Perplexity", "Generative AI", 5, "", 4],
    ["DeepSeek", "Generative AI", 2, "u", 2.5],
    ["Midjourney", "Generative AI", 4, "", 1.5],
    ["Character.AI", "Generative AI", 3, "u", 0.7],
    ["Facebook", "Social network", 6, "", 14],
    ["LinkedIn", "Social network", 9, "s", 16],
    ["X (Twitter)", "Social network", 5, "", 8],
    ["Instagram", "Social network", 5, "", 7],
    ["TikTok", "Social network", 2, "u", 5],
    ["Reddit", "Social network", 5, "", 5],
    ["Pinterest", "Social network", 6, "", 2],
    ["WordPress.com", "Content management", 7, "", 3],
    ["Contentful", "Content management", 8, "", 1],
    ["Wix", "Content management", 6, "", 1.4],
    ["Salesforce", "CRM", 10, "s", 19],
    ["HubSpot", "CRM", 8, "", 7],
    ["Zoho CRM", "CRM", 7, "", 2],
    ["Pipedrive", "CRM", 7, "", 1.3],
    ["GitHub", "Code-hosting", 9, "s", 17],
    ["GitLab", "Code-hosting", 8, "", 5],
    ["Bitbucket", "Code-hosting", 8, "", 3],
    ["Pastebin", "Code-hosting", 2, "u", 1.8],
    ["Stack Overflow", "Development tools", 8, "", 9],
    ["npm", "Development tools", 8, "", 6],
    ["Docker Hub", "Development tools", 7, "", 4],
    ["Postman", "Development tools", 8, "", 3],
    ["JFrog Artifactory", "Development tools", 9, "", 1.2],
    ["Heroku", "Hosting services", 7, "", 2],
    ["Netlify", "Hosting services", 7, "", 1.5],
    ["Vercel", "Hosting services", 7, "", 1.6],
    ["DigitalOcean", "Cloud computing platform", 7, "", 1.8],
    ["Amazon Web Services", "Cloud computing platform", 10, "s", 12],
    ["Google Cloud Platform", "Cloud computing platform", 9, "", 5],
    ["Microsoft Azure", "Cloud computing platform", 10, "s", 15],
    ["ServiceNow", "IT services", 10, "s", 8],
    ["TeamViewer", "IT services", 5, "m", 3],
    ["AnyDesk", "IT services", 3, "u", 1.6],
    ["LogMeIn", "IT services", 6, "", 1],
    ["Mailchimp", "Marketing", 7, "", 3],
    ["Marketo", "Marketing", 8, "", 1.7],
    ["Hootsuite", "Marketing", 7, "", 1.2],
    ["Zoom", "Online meeting", 9, "s", 21],
    ["Webex", "Online meeting", 9, "", 6],
    ["Google Meet", "Online meeting", 8, "", 5],
    ["GoTo Meeting", "Online meeting", 7, "", 1.5],
    ["Notion", "Productivity", 7, "", 8],
    ["Trello", "Productivity", 8, "", 7],
    ["Asana", "Productivity", 8, "", 5],
    ["Monday.com", "Productivity", 7, "", 3],
    ["Evernote", "Productivity", 6, "", 2],
    ["Canva", "Productivity", 7, "m", 9],
    ["Miro", "Collaboration", 8, "", 6],
    ["Slack", "Collaboration", 9, "s", 18],
    ["Confluence", "Collaboration", 9, "s", 10],
    ["Jira", "Collaboration", 9, "s", 12],
    ["Airtable", "Collaboration", 7, "", 2],
    ["Okta", "Security", 10, "s", 9],
    ["LastPass", "Security", 4, "u", 2],
    ["1Password", "Security", 9, "", 2.5],
    ["VirusTotal", "Security", 8, "", 1.5],
    ["NordVPN", "Security", 3, "u", 1.7],
    ["DHL", "Transportation and Logistics", 8, "", 2],
    ["FedEx", "Transportation and Logistics", 8, "", 2],
    ["UPS", "Transportation and Logistics", 8, "", 1.5],
    ["SAP Ariba", "Vendor management system", 9, "s", 3],
    ["Coupa", "Vendor management system", 8, "", 1.5],
    ["Pingdom", "Website monitoring", 7, "", 0.8],
    ["Datadog", "Website monitoring", 9, "", 2.5],
    ["New Relic", "Website monitoring", 8, "", 1.2],
    ["QuickBooks Online", "Accounting and finance", 8, "", 2],
    ["Xero", "Accounting and finance", 8, "", 1.4],
    ["Expensify", "Accounting and finance", 7, "", 2.2],
    ["PayPal", "Accounting and finance", 7, "", 3],
    ["Workday", "Human resource management", 10, "s", 7],
    ["BambooHR", "Human resource management", 7, "", 1.2],
    ["Indeed", "Human resource management", 6, "", 1.8],
    ["Smartsheet", "Operations management", 8, "", 2],
    ["Zendesk", "Customer support", 9, "", 4],
    ["Freshdesk", "Customer support", 7, "", 1.3],
    ["Intercom", "Customer support", 8, "", 1.5],
    ["WhatsApp Web", "Communications", 5, "", 8],
    ["Telegram", "Communications", 3, "u", 2.5],
    ["Discord", "Communications", 4, "", 3],
    ["Skype", "Communications", 7, "", 2],
    ["Twilio", "Communications", 8, "", 1],
    ["Amazon", "Ecommerce", 7, "", 9],
    ["eBay", "Ecommerce", 6, "", 3],
    ["AliExpress", "Ecommerce", 3, "", 2],
    ["Shopify", "Ecommerce", 8, "", 1.6],
    ["Coursera", "Education", 7, "", 1.8],
    ["Udemy", "Education", 6, "", 2],
    ["Duolingo", "Education", 6, "", 1.2],
    ["LinkedIn Learning", "Education", 9, "s", 2.5],
    ["WebMD", "Health", 6, "", 1],
    ["MyFitnessPal", "Health", 4, "", 0.7],
    ["YouTube", "News and entertainment", 6, "", 30],
    ["Netflix", "News and entertainment", 5, "", 6],
    ["Spotify", "News and entertainment", 6, "", 11],
    ["BBC News", "News and entertainment", 7, "", 4],
    ["Twitch", "News and entertainment", 4, "", 2],
    ["Gong", "Sales", 8, "", 1.2],
    ["ZoomInfo", "Sales", 7, "", 1.4],
    ["DocuSign", "Sales", 9, "s", 4],
    ["Oracle NetSuite", "Supply chain and logistics", 9, "", 1.3],
    ["Flexport", "Supply chain and logistics", 7, "", 0.5],
    ["Azure IoT Hub", "Internet of Things", 10, "", 0.8],
    ["Particle", "Internet of Things", 6, "", 0.3],
    ["Google Ads", "Advertising", 7, "", 2.5],
    ["Taboola", "Advertising", 3, "", 1.5],
    ["Criteo", "Advertising", 4, "", 1.3],
];

const TAIL_PREFIXES = [
    "Cloud", "Data", "Sync", "File", "Quick", "Smart", "Zen", "Blue", "Nova", "Bright", "Apex", "Hyper", "Open",
    "Swift", "Pixel", "Metric", "Vault", "Flow", "Bolt", "Orbit", "Peak", "Prime", "Echo", "Lumen",
];
const TAIL_SUFFIXES = [
    "ly", "hub", "box", "desk", "base", "stack", "works", "loop", "share", "drop", "cast", "spark", "ify", "board",
    "sense", "path", "grid", "note", "mail", "flow",
];
/*
 * AI apps the tenant adopts during the range: Defender for Cloud Apps' catalogue added the categories "AI model
 * provider" and "MCP server" beside "Generative AI" in 2025 (Microsoft Tech Community, "Discover risks in AI model
 * providers and MCP servers with Microsoft Defender"; Microsoft Graph's security appCategory lists aiModelProvider and
 * mcpServer). Each starts `daysBeforeEnd` days before the data ends, taking `share` of the records of the app people
 * used before it (mcas.ts), so that each is first seen on its own day. They come after the long tail in the catalogue,
 * with no popularity of their own, so that every other app and every other draw of the tenant stays as it was.
 */
export const AI_NEWCOMERS = [
    { name: "OpenAI API", category: "AI model provider", score: 7, replaces: "ChatGPT", share: 0.4, daysBeforeEnd: 24 },
    { name: "Hugging Face", category: "AI model provider", score: 6, replaces: "GitHub", share: 0.25, daysBeforeEnd: 15 },
    { name: "GitHub MCP Server", category: "MCP server", score: 7, replaces: "GitHub", share: 0.25, daysBeforeEnd: 6 },
] as const;

// Long-tail apps skew risky: many small vendors lack certifications and security headers.
const TAIL_SCORE_WEIGHTS = [2, 3, 4, 6, 8, 9, 9, 8, 6, 3, 1];

/** Rough per-category upload/download volume (relative to a typical web app). */
function volumeOf(category: string): number {
    switch (category) {
        case "Cloud storage": return 6;
        case "Code-hosting": case "Development tools": case "Cloud computing platform": return 3;
        case "Online meeting": case "News and entertainment": return 4;
        case "Collaboration": case "Webmail": return 2;
        case "Generative AI": case "AI model provider": return 1.5;
        default: return 1;
    }
}

function tagsOf(tagging: Tagging): readonly string[] {
    switch (tagging) {
        case "s": return ["sanctioned"];
        case "u": return ["unsanctioned"];
        case "m": return ["Monitored"];
        default: return [];
    }
}

function pickScore(rng: Rng): number {
    const total = TAIL_SCORE_WEIGHTS.reduce((a, b) => a + b, 0);
    let target = rng.next() * total;
    for (let score = 0; score < TAIL_SCORE_WEIGHTS.length; score++) {
        target -= TAIL_SCORE_WEIGHTS[score] as number;
        if (target < 0) return score;
    }
    return TAIL_SCORE_WEIGHTS.length - 1;
}

/** The tenant's catalogue: the same for a given seed, independent of row counts and dates. */
export function buildCatalogue(seed: number, tailSize = 220): CatalogueApp[] {
    const rng = new Rng(seed, "catalogue");
    const apps: CatalogueApp[] = [];
    const names = new Set<string>();
    let nextId = 10_000 + rng.int(0, 999);
    const newId = () => (nextId += rng.int(3, 400));
    for (const [name, category, score, tagging, popularity] of KNOWN_APPS) {
        names.add(name);
        apps.push({ name, id: newId(), category, score, tags: tagsOf(tagging), popularity, volume: volumeOf(category) });
    }
    while (apps.length < KNOWN_APPS.length + tailSize) {
        const name = `${rng.pick(TAIL_PREFIXES)}${rng.pick(TAIL_SUFFIXES)}${rng.chance(0.3) ? ` ${rng.pick(["Pro", "Cloud", "Online", "for Teams", "AI", "Share"])}` : ""}`;
        if (names.has(name)) continue;
        names.add(name);
        const category = rng.pick(APP_CATEGORIES);
        const score = pickScore(rng);
        const roll = rng.next();
        const tagging: Tagging = score <= 2 && roll < 0.5 ? "u" : roll < 0.04 ? "m" : roll < 0.07 ? "s" : "";
        const tags = tagging === "m" && rng.chance(0.3) ? ["Monitored", "Review"] : tagsOf(tagging);
        apps.push({
            name, id: newId(), category, score, tags,
            // Zipf-like tail: most of these are seen a handful of times.
            popularity: 0.9 / Math.pow(apps.length - KNOWN_APPS.length + 1, 0.6),
            volume: volumeOf(category),
        });
    }
    for (const { name, category, score } of AI_NEWCOMERS) {
        apps.push({ name, id: newId(), category, score, tags: [], popularity: 0, volume: volumeOf(category) });
    }
    return apps;
}
