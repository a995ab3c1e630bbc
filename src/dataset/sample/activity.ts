// How the sample tenant's people use cloud apps: each user has a small personal set of apps (a few core apps
// used nearly every working day, a Zipf-like handful of occasional ones), and each UTC day has a plan of who
// used what and how much. Both derive from the seed alone (a user's set from the seed and the user's index, a
// day's plan from the seed and the day), so the rows of a day do not depend on how many rows are asked for.
import type { CatalogueApp } from "./catalogue.ts";
import { Rng, WeightedPicker } from "./prng.ts";

const DAY_MS = 86_400_000;

/** An app in a user's personal set. */
export interface PersonalApp {
    /** Index into the catalogue. */
    readonly app: number;
    /** Probability that the user uses the app on a working day. */
    readonly dailyChance: number;
    /** Relative number of discovery records on a day the app is used (sessions, devices, addresses). */
    readonly intensity: number;
}

export interface UserHabits {
    readonly apps: readonly PersonalApp[];
    /** Probability that the user is active on a Saturday or Sunday (on call, catching up, or never). */
    readonly weekendChance: number;
}

/** The suite nearly everyone works in all day: [name, share of users, intensity]. */
const SUITE: readonly (readonly [string, number, number])[] = [
    ["Microsoft Exchange Online", 0.97, 1.6],
    ["Microsoft Teams", 0.95, 1.5],
    ["Microsoft OneDrive for Business", 0.9, 1.0],
    ["Microsoft SharePoint Online", 0.8, 0.7],
];

/** Line-of-business apps a department works in; a user has one to three of them. */
const DEPARTMENT_APPS: Readonly<Record<string, readonly string[]>> = {
    "Marketing": ["Canva", "HubSpot", "LinkedIn", "Mailchimp", "Hootsuite", "Marketo", "WordPress.com"],
    "Finance": ["SAP Ariba", "Expensify", "QuickBooks Online", "Oracle NetSuite", "Coupa", "Smartsheet"],
    "Engineering": ["GitHub", "Jira", "Confluence", "Stack Overflow", "Microsoft Azure", "npm", "Docker Hub", "Slack"],
    "Sales": ["Salesforce", "LinkedIn", "Zoom", "DocuSign", "ZoomInfo", "Gong"],
    "Human Resources": ["Workday", "LinkedIn", "BambooHR", "DocuSign", "Indeed"],
    "Operations": ["Smartsheet", "ServiceNow", "Monday.com", "Trello", "DHL", "FedEx"],
    "Customer Support": ["Zendesk", "ServiceNow", "Freshdesk", "Intercom", "Zoom"],
    "Legal": ["DocuSign", "Box", "Microsoft Copilot"],
    "IT": ["ServiceNow", "Microsoft Azure", "Okta", "GitHub", "Amazon Web Services", "TeamViewer", "Datadog"],
};

function indexByName(apps: readonly CatalogueApp[]): Map<string, number> {
    return new Map(apps.map((app, index) => [app.name, index]));
}

/**
 * The habits of the user at `userIndex`: the suite, one to three department apps, and occasional apps drawn
 * by catalogue popularity (most users a handful, a few curious users many), the k-th used with a chance
 * falling like 1/k. Unsanctioned apps are drawn like any other: blocking them does not stop people trying.
 */
export function userHabits(seed: number, userIndex: number, department: string, apps: readonly CatalogueApp[], pickApp: WeightedPicker<number>): UserHabits {
    const rng = new Rng(seed, `habits:${userIndex}`);
    const byName = indexByName(apps);
    const chosen: PersonalApp[] = [];
    const taken = new Set<number>();
    const add = (app: number | undefined, dailyChance: number, intensity: number) => {
        if (app === undefined || taken.has(app)) return;
        taken.add(app);
        chosen.push({ app, dailyChance, intensity });
    };
    for (const [name, share, intensity] of SUITE) {
        if (rng.chance(share)) add(byName.get(name), 0.9 + 0.08 * rng.next(), intensity * rng.lognormal(0, 0.3));
    }
    const departmentApps = DEPARTMENT_APPS[department] ?? [];
    const lineOfBusiness = departmentApps.length === 0 ? 0 : rng.int(1, Math.min(3, departmentApps.length));
    for (let i = 0; i < lineOfBusiness; i++) {
        add(byName.get(rng.pick(departmentApps)), 0.55 + 0.35 * rng.next(), 0.9 * rng.lognormal(0, 0.35));
    }
    const occasional = Math.min(30, Math.floor(rng.pareto(3, 1.6)));
    for (let rank = 1, tries = 0; rank <= occasional && tries < occasional * 10; tries++) {
        const app = pickApp.pick(rng);
        if (taken.has(app)) continue;
        add(app, Math.min(0.6, 0.6 / Math.pow(rank, 0.8)), 0.6 * rng.lognormal(0, 0.5));
        rank++;
    }
    return { apps: chosen, weekendChance: rng.chance(0.15) ? 0.3 + 0.4 * rng.next() : 0.04 + 0.06 * rng.next() };
}

/** The habits of every user, in user order (memory: users × personal apps). */
export function allHabits(seed: number, departments: readonly string[], apps: readonly CatalogueApp[]): UserHabits[] {
    const pickApp = new WeightedPicker(apps.map((_, i) => i), apps.map(a => a.popularity));
    return departments.map((department, index) => userHabits(seed, index, department, apps, pickApp));
}

/** Who used which app on one UTC day, and in what proportion of the day's records. */
export class DayPlan {
    private constructor(private readonly users: Int32Array, private readonly apps: Int32Array, private readonly picker: WeightedPicker<number>) {}

    /** Builds the plan of the UTC day containing `dayStartMs` (memory: at most users × personal apps). */
    static of(seed: number, dayStartMs: number, activity: readonly number[], habits: readonly UserHabits[]): DayPlan {
        const day = Math.floor(dayStartMs / DAY_MS);
        const weekday = new Date(day * DAY_MS).getUTCDay();
        const weekend = weekday === 0 || weekday === 6;
        const rng = new Rng(seed, `day:${day}`);
        const users: number[] = [];
        const apps: number[] = [];
        const weights: number[] = [];
        habits.forEach((habit, user) => {
            // Leave, sickness and travel on working days; most people are away at weekends.
            const present = rng.chance(weekend ? habit.weekendChance : 0.93);
            const busy = rng.lognormal(0, 0.35);
            for (const personal of habit.apps) {
                // Both draws happen whether or not the user is present, so one user's day never shifts another's.
                const used = rng.chance(weekend ? personal.dailyChance * 0.6 : personal.dailyChance);
                const volume = rng.lognormal(0, 0.5);
                if (!present || !used) continue;
                users.push(user);
                apps.push(personal.app);
                weights.push((activity[user] ?? 1) * busy * personal.intensity * volume);
            }
        });
        if (weights.length === 0) {
            // A day with records must have someone behind them: the most active user's first app.
            let busiest = 0;
            activity.forEach((a, i) => { if (a > (activity[busiest] ?? 0)) busiest = i; });
            users.push(busiest);
            apps.push(habits[busiest]?.apps[0]?.app ?? 0);
            weights.push(1);
        }
        return new DayPlan(Int32Array.from(users), Int32Array.from(apps), new WeightedPicker(weights.map((_, i) => i), weights));
    }

    /** The number of (user, app) pairs active on the day. */
    get size(): number {
        return this.users.length;
    }

    /** A (user index, catalogue app index) pair in proportion to its share of the day's records. */
    pick(rng: Rng): { user: number; app: number } {
        const i = this.picker.pick(rng);
        return { user: this.users[i] as number, app: this.apps[i] as number };
    }
}
