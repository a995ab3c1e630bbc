import { APP_COUNT, appAttributes, DiscoveryRow, flat, hash32, heavyTail, streamName, unit } from "./discoveryRows";

/*
 * Deterministic rows at user × day grain, as Power BI hands them to the visual once TimeGenerated and UserName are
 * bound beside the app fields: one row per distinct (day, user, app) with the row's IP address and the app's ID.
 * USERS people of a tenant, each in one department (one of the 48 streams of bench/data/discoveryRows.ts), each
 * using APPS_PER_DAY of eight apps of their own every day of DAYS days; the apps come from the same catalogue of
 * APP_COUNT apps, popular ones more often. Days vary fastest, then the apps of a user, then users: any prefix of
 * 30,000 rows spans every day and 143 users; 1,048,576 rows hold 4,994 users.
 *
 * `split` doubles the rows without adding a distinct value: each row becomes two, one per address of the user (the
 * office and the VPN address), with the traffic shared between them, as a query at user × day × address grain
 * returns it. Without it, a row carries the office address on even days and the VPN address on odd ones, so both
 * runs hold the same users, days, apps, streams, addresses and (user, day, app) combinations.
 */

export const USERS = 5_000;
export const DAYS = 70;
export const APPS_PER_DAY = 3;
const APPS_PER_USER = 8;
/** Apart by more than the catalogue divided by APPS_PER_USER: a user's eight apps are distinct. */
const APP_STRIDE = 613;

/** The last day of the data, 2026-03-01, fixed so that every run sees the same dates. */
export const LAST_DAY = { year: 2026, month: 2, day: 1 };

export interface UserDayRow extends DiscoveryRow {
    readonly TimeGenerated: Date;
    readonly UserName: string;
    readonly IpAddress: string;
    readonly AppId: number;
}

const FIRST = ["Ada", "Ben", "Chloe", "Dmitri", "Elif", "Farah", "Goran", "Hana", "Ivan", "Jana", "Kofi", "Lena",
    "Mateo", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tomoko", "Uma", "Viktor", "Wen", "Ximena", "Yusuf",
    "Zara", "Aiko", "Bruno", "Carmen", "Diego", "Esther", "Felix", "Greta", "Hugo", "Ines", "Jonas", "Kira", "Luca",
    "Mina", "Nils"];
const LAST = ["Andersen", "Baptiste", "Chen", "Dubois", "Eriksson", "Fischer", "García", "Haddad", "Ivanova",
    "Jansen", "Kowalski", "López", "Müller", "Nakamura", "Okafor", "Petrov", "Quispe", "Rossi", "Schmidt", "Tanaka",
    "Uddin", "Varga", "Weber", "Xu", "Yilmaz", "Zhang", "Almeida", "Berg", "Costa", "Dahl", "Eze", "Novak", "Ferreira",
    "Gupta", "Horvat", "Ibrahim", "Jovanović", "Kim", "Lindqvist", "Moreau", "Nowak", "O'Brien", "Park", "Reyes",
    "Santos", "Torres", "Ueda", "Vasquez", "Wójcik", "Young"];

interface Person {
    readonly name: string;
    readonly stream: string;
    readonly addresses: readonly [string, string];
    readonly firstApp: number;
}

const people: Person[] = [];

function person(u: number): Person {
    let p = people[u];
    if (p === undefined) {
        const combos = FIRST.length * LAST.length;
        const suffix = u < combos ? "" : String(Math.floor(u / combos) + 1);
        const name = flat(`${FIRST[u % FIRST.length]}.${LAST[Math.floor(u / FIRST.length) % LAST.length]}${suffix}@contoso.com`
            .toLowerCase());
        const department = u % 8;
        const stream = streamName(department * 6 + hash32(u * 3 + 1) % 6);
        const office = flat(`10.${20 + department}.${(u >>> 8) & 255}.${u & 255}`);
        const vpn = flat(`172.16.${(u >>> 8) & 255}.${u & 255}`);
        // Popular apps far more often: the cube of a uniform draw leans towards the start of the catalogue.
        const firstApp = Math.floor(APP_COUNT * Math.pow(unit(u * 3 + 2), 3));
        p = { name, stream, addresses: [office, vpn], firstApp };
        people[u] = p;
    }
    return p;
}

const dates = new Map<number, Date>();

/** Local midnight of the day, as Power BI hands a date column to a visual; one object per day. */
function dateOf(d: number): Date {
    let date = dates.get(d);
    if (date === undefined) {
        date = new Date(LAST_DAY.year, LAST_DAY.month - 1, LAST_DAY.day - (DAYS - 1 - d));
        dates.set(d, date);
    }
    return date;
}

/** Which day (0 = the first), user and app row i of the unsplit rows is about. */
export function userDayKey(i: number): { day: number; user: number; app: number } {
    const day = i % DAYS;
    const rest = Math.floor(i / DAYS);
    const slot = rest % APPS_PER_DAY;
    const user = Math.floor(rest / APPS_PER_DAY);
    const p = person(user % USERS);
    const app = (p.firstApp + ((day + slot) % APPS_PER_USER) * APP_STRIDE) % APP_COUNT;
    return { day, user: user % USERS, app };
}

function baseRow(i: number): UserDayRow {
    const { day, user, app } = userDayKey(i);
    const p = person(user);
    const a = appAttributes(app);
    const uploaded = heavyTail(i * 5 + 21, 2_000);
    const downloaded = heavyTail(i * 5 + 22, 8_000);
    const events = 1 + Math.floor(heavyTail(i * 5 + 23, 1) / 10);
    const blocked = Math.floor(events * a.blockedRate * unit(i * 5 + 24));
    return {
        AppCategory: a.category, AppName: a.name, StreamName: p.stream, AppScore: a.score, AppTags: a.tags,
        UploadedBytes: uploaded, DownloadedBytes: downloaded, TotalBytes: uploaded + downloaded, TotalEvents: events,
        BlockedEvents: blocked, Users: 1, IpAddresses: 1,
        TimeGenerated: dateOf(day), UserName: p.name, IpAddress: p.addresses[day % 2], AppId: 20_000 + app,
    };
}

/** Row j of the rows, split by address or not (see above). */
export function userDayRow(j: number, split = false): UserDayRow {
    if (!split) return baseRow(j);
    const whole = baseRow(Math.floor(j / 2));
    const half = j % 2;
    const share = (n: number) => half === 0 ? Math.ceil(n / 2) : Math.floor(n / 2);
    const uploaded = share(whole.UploadedBytes);
    const downloaded = share(whole.DownloadedBytes);
    return {
        ...whole,
        UploadedBytes: uploaded, DownloadedBytes: downloaded, TotalBytes: uploaded + downloaded,
        TotalEvents: Math.max(1, share(whole.TotalEvents)), BlockedEvents: share(whole.BlockedEvents),
        IpAddress: person(userDayKey(Math.floor(j / 2)).user).addresses[half],
    };
}

export function userDayRows(start: number, count: number, split = false): UserDayRow[] {
    const rows = new Array<UserDayRow>(count);
    for (let k = 0; k < count; k++) rows[k] = userDayRow(start + k, split);
    return rows;
}

/** The distinct values of the first `rows` rows (`split`: of 2 × rows / 2 unsplit rows' worth). */
export function userDayDistinct(rows: number, split = false): { users: number; days: number; apps: number; streams: number; addresses: number } {
    const base = split ? Math.ceil(rows / 2) : rows;
    const users = new Set<number>();
    const apps = new Set<number>();
    const days = new Set<number>();
    const streams = new Set<string>();
    const addresses = new Set<string>();
    for (let i = 0; i < base; i++) {
        const k = userDayKey(i);
        users.add(k.user);
        apps.add(k.app);
        days.add(k.day);
        const p = person(k.user);
        streams.add(p.stream);
        if (split) {
            addresses.add(p.addresses[0]);
            addresses.add(p.addresses[1]);
        } else addresses.add(p.addresses[k.day % 2]);
    }
    return { users: users.size, days: days.size, apps: apps.size, streams: streams.size, addresses: addresses.size };
}
