// Deterministic, realistic McasShadowItReporting rows aggregated the way Power BI hands them to the visual:
// one row per distinct combination of the bound groupings, with measures summed.
import { seededRandom } from "../../../src/random";

export interface DiscoveryRow {
    category: string | null;
    app: string | null;
    stream: string | null;
    score: number | null;
    tags: string | null;
    uploaded: number;
    downloaded: number;
    total: number;
    events: number;
    blocked: number;
    users: number;
    ips: number;
    /** TimeGenerated as Power BI hands a date column (a local-midnight Date); absent unless a test sets it. */
    time?: Date | string | number | null;
    /** UserName and IpAddress as grouping values; absent unless a test sets them. */
    user?: string | null;
    ip?: string | null;
    /** AppId as a grouping value (an integer, or text as the Azure Monitor schema types it); absent unless set. */
    appId?: number | string | null;
}

export const CATEGORIES = [
    "Cloud storage", "Collaboration", "Webmail", "Generative AI", "Social network", "Content sharing",
    "Development tools", "CRM", "Accounting and finance", "Human resource management", "Online meeting",
    "Code-hosting", "Marketing", "Productivity", "IT services", "Security", "News and entertainment",
    "Transportation and travel", "Vendor management systems", "Website monitoring",
];

export const STREAMS = [
    "Marketing Department", "Finance Department", "Palo Alto Firewall", "Engineering", "Sales EMEA",
    "Zscaler Proxy", "Human Resources", "Legal",
];

const APP_STEMS = [
    "Box", "Dropbox", "Slack", "Notion", "Trello", "Asana", "Miro", "Zoom", "Webex", "ChatGPT", "Claude", "Gemini",
    "Copilot", "Mistral", "Perplexity", "Gmail", "Outlook", "Yahoo Mail", "Proton Mail", "LinkedIn", "Facebook",
    "Instagram", "Reddit", "Pinterest", "WeTransfer", "Mega", "pCloud", "GitHub", "GitLab", "Bitbucket", "Jira",
    "Salesforce", "HubSpot", "Zoho", "Xero", "QuickBooks", "Workday", "BambooHR", "Canva", "Figma",
];

const TAG_CHOICES = ['["sanctioned"]', '["unsanctioned"]', "[]", '["Approved by legal"]'];

interface App {
    name: string;
    category: string;
    score: number | null;
    tags: string;
}

function pick<T>(random: () => number, items: readonly T[]): T {
    return items[Math.floor(random() * items.length)];
}

function skewedBytes(random: () => number, scale: number): number {
    // Heavy-tailed like real traffic: most sessions small, a few very large.
    return Math.round(scale * Math.pow(random(), 3) * 1e8 + random() * 1e5);
}

export function generateApps(random: () => number, count = 200): App[] {
    const apps: App[] = [];
    for (let i = 0; i < count; i++) {
        const stem = APP_STEMS[i % APP_STEMS.length];
        const r = random();
        apps.push({
            name: i < APP_STEMS.length ? stem : `${stem} ${Math.floor(i / APP_STEMS.length) + 1}`,
            category: CATEGORIES[Math.floor(Math.pow(random(), 1.6) * CATEGORIES.length)],
            score: r < 0.05 ? null : Math.floor(random() * 11),
            tags: TAG_CHOICES[Math.floor(Math.pow(random(), 0.8) * TAG_CHOICES.length)],
        });
    }
    return apps;
}

/** About `rows` discovery rows over ~200 apps and 8 streams; the firewall stream uploads more than it downloads. */
export function generateDiscoveryRows(seed = 20240611, rows = 600): DiscoveryRow[] {
    const random = seededRandom(seed);
    const apps = generateApps(random);
    const seen = new Set<string>();
    const result: DiscoveryRow[] = [];
    while (result.length < rows) {
        const app = pick(random, apps);
        const stream = pick(random, STREAMS);
        // Rows are distinct (app, stream) pairs while there are enough of them; larger sets repeat pairs, as a
        // DataView grouped by further columns (user, IP) would.
        const key = `${app.name}|${stream}`;
        if (seen.has(key) && seen.size < apps.length * STREAMS.length * 0.8) continue;
        seen.add(key);
        const uploadHeavy = stream === "Palo Alto Firewall";
        const uploaded = skewedBytes(random, uploadHeavy ? 6 : 0.6);
        const downloaded = skewedBytes(random, uploadHeavy ? 0.5 : 2);
        const events = 1 + Math.floor(random() * 5000);
        result.push({
            category: app.category,
            app: app.name,
            stream,
            score: app.score,
            tags: app.tags,
            uploaded,
            downloaded,
            total: uploaded + downloaded,
            events,
            blocked: Math.floor(events * random() * 0.2),
            users: 1 + Math.floor(random() * 60),
            ips: 1 + Math.floor(random() * 40),
        });
    }
    return result;
}
