// The sample tenant's people, streams and network: derived from the seed alone.
import { Rng } from "./prng.ts";

export const SAMPLE_DOMAIN = "contoso.example";

export interface SampleUser {
    readonly userPrincipalName: string;
    readonly displayName: string;
    readonly userId: string;
    readonly department: string;
    /** The department's discovery stream. */
    readonly stream: string;
    /** The firewall, proxy or endpoint stream that also sees this user's traffic, if any. */
    readonly networkStream: string | undefined;
    /** Addresses of the user's devices on the office network (one or two). */
    readonly officeIps: readonly string[];
    /** The address the VPN gateway assigns the user. */
    readonly vpnIp: string;
    /** The home-network address of the user's laptop (seen by the endpoint agent when off the VPN). */
    readonly homeIp: string;
    /** Every address above. */
    readonly ipAddresses: readonly string[];
    /** Public egress address seen by Entra ID sign-ins. */
    readonly publicIp: string;
    readonly country: string;
    readonly city: string;
    /** Relative share of traffic: heavy-tailed across users. */
    readonly activity: number;
}

export interface SampleStream {
    readonly name: string;
    readonly weight: number;
}

export const DEPARTMENT_STREAMS: readonly { department: string; stream: string; share: number }[] = [
    { department: "Marketing", stream: "Marketing Department", share: 12 },
    { department: "Finance", stream: "Finance Department", share: 9 },
    { department: "Engineering", stream: "Engineering", share: 26 },
    { department: "Sales", stream: "Sales Department", share: 16 },
    { department: "Human Resources", stream: "HR Department", share: 5 },
    { department: "Operations", stream: "Operations", share: 10 },
    { department: "Customer Support", stream: "Customer Support", share: 12 },
    { department: "Legal", stream: "Legal Department", share: 3 },
    { department: "IT", stream: "IT Department", share: 7 },
];

/**
 * The built-in data source of the Defender for Endpoint integration, under the name Defender for Cloud Apps gives it
 * (Microsoft/CloudAppSecurityDocs, mde-integration.md: "Win10 Endpoint Users report"). Its records carry the device.
 */
export const ENDPOINT_STREAM = "Win10 Endpoint Users";

/** Firewall and endpoint streams that see traffic from every department. */
export const NETWORK_STREAMS: readonly SampleStream[] = [
    { name: "Zscaler NSS", weight: 14 },
    { name: "Palo Alto PA-3220", weight: 11 },
    { name: ENDPOINT_STREAM, weight: 9 },
    { name: "Check Point R81 Gateway", weight: 4 },
    { name: "Fortinet FortiGate Branch Offices", weight: 3 },
];

const FIRST_NAMES = [
    "Adele", "Alex", "Allan", "Bianca", "Carlos", "Chen", "Christie", "Diego", "Elena", "Emily", "Fatima", "Grady",
    "Hana", "Henrietta", "Isaiah", "Jana", "Johanna", "Joni", "Kenji", "Lee", "Lidia", "Lynne", "Megan", "Miriam",
    "Nestor", "Noah", "Olga", "Patti", "Pradeep", "Priya", "Raul", "Rosa", "Sanjay", "Sara", "Tomás", "Uma",
    "Vasil", "Wei", "Yara", "Zoë", "Amir", "Bjørn", "Chloé", "Dmitri", "Eun-ji", "Farah", "Giorgio", "Ingrid",
];
const LAST_NAMES = [
    "Vance", "Wilber", "Deyoung", "Pino", "Garcia", "Wang", "Cline", "Soto", "Petrova", "Braun", "Haddad", "Archie",
    "Sato", "Mueller", "Henry", "Novak", "Lauer", "Sherman", "Tanaka", "Gu", "Holloway", "Robichaux", "Bowen",
    "Caldwell", "Zakharov", "Okafor", "Ivanova", "Fernandez", "Gupta", "Iyer", "Alvarez", "Marín", "Patel",
    "Johansson", "Ribeiro", "Nair", "Georgiev", "Zhang", "Khalil", "Lindqvist", "O'Brien", "Nguyen", "Kowalski",
];
const OFFICES = [
    { country: "US", city: "Seattle", weight: 30 }, { country: "US", city: "New York", weight: 18 },
    { country: "GB", city: "London", weight: 14 }, { country: "DE", city: "Munich", weight: 10 },
    { country: "FR", city: "Paris", weight: 8 }, { country: "IN", city: "Bengaluru", weight: 12 },
    { country: "JP", city: "Tokyo", weight: 5 }, { country: "BR", city: "São Paulo", weight: 3 },
];

function slug(name: string): string {
    return name.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ø/g, "o").replace(/[^A-Za-z0-9-]/g, "").toLowerCase();
}

function pickWeighted<T extends { weight: number }>(rng: Rng, items: readonly T[]): T {
    const total = items.reduce((a, b) => a + b.weight, 0);
    let target = rng.next() * total;
    for (const item of items) {
        target -= item.weight;
        if (target < 0) return item;
    }
    return items[items.length - 1] as T;
}

/** About 500 users; each has a department, office, VPN and home addresses, an office and a heavy-tailed activity. */
export function buildUsers(seed: number, count = 500): SampleUser[] {
    const rng = new Rng(seed, "users");
    const users: SampleUser[] = [];
    const taken = new Set<string>();
    const departments = DEPARTMENT_STREAMS.map(d => ({ ...d, weight: d.share }));
    const offices = OFFICES.map((o, index) => ({ ...o, index }));
    while (users.length < count) {
        const first = rng.pick(FIRST_NAMES);
        const last = rng.pick(LAST_NAMES);
        let upnLocal = `${slug(first)}.${slug(last)}`;
        for (let n = 2; taken.has(upnLocal); n++) upnLocal = `${slug(first)}.${slug(last)}${n}`;
        taken.add(upnLocal);
        const department = pickWeighted(rng, departments);
        const office = pickWeighted(rng, offices);
        const subnet = 16 + office.index;
        const officeIps: string[] = [];
        const devices = rng.chance(0.35) ? 2 : 1;
        for (let i = 0; i < devices; i++) officeIps.push(`10.${subnet}.${rng.int(0, 63)}.${rng.int(2, 254)}`);
        const vpnIp = `10.250.${rng.int(0, 31)}.${rng.int(2, 254)}`;
        const homeIp = `192.168.${rng.pick([0, 1, 1, 1, 2, 8, 178])}.${rng.int(2, 254)}`;
        // Offices behind a firewall or proxy that uploads its own logs: a little over half of the people.
        const networkStream = rng.chance(0.55) ? pickWeighted(rng, NETWORK_STREAMS).name : undefined;
        users.push({
            userPrincipalName: `${upnLocal}@${SAMPLE_DOMAIN}`,
            displayName: `${first} ${last}`,
            userId: rng.guid(),
            department: department.department,
            stream: department.stream,
            networkStream,
            officeIps,
            vpnIp,
            homeIp,
            ipAddresses: [...officeIps, vpnIp, homeIp],
            publicIp: `203.0.113.${16 + office.index * 8 + rng.int(0, 7)}`,
            country: office.country,
            city: office.city,
            // Pareto, capped: a few heavy users without one user drowning the rest.
            activity: Math.min(rng.pareto(1, 1.4), 60),
        });
    }
    return users;
}
