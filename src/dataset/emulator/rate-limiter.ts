// The service's request rate limit: N requests per sliding window, per caller (here: per bearer token).

export interface RateLimit {
    readonly requests: number;
    readonly perSeconds: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { requests: 200, perSeconds: 30 };

export class RateLimiter {
    private readonly history = new Map<string, number[]>();

    constructor(private readonly limit: RateLimit) {
        if (!Number.isInteger(limit.requests) || limit.requests < 1) throw new RangeError(`rate limit requests must be a positive integer, got ${limit.requests}`);
        if (!(limit.perSeconds > 0)) throw new RangeError(`rate limit window must be positive seconds, got ${limit.perSeconds}`);
    }

    /** Records a request and returns 0, or the whole seconds to wait when the client is over the limit. */
    admit(client: string, nowMs = Date.now()): number {
        const windowMs = this.limit.perSeconds * 1000;
        const times = (this.history.get(client) ?? []).filter(t => t > nowMs - windowMs);
        if (times.length >= this.limit.requests) {
            this.history.set(client, times);
            return Math.max(1, Math.ceil((times[0] + windowMs - nowMs) / 1000));
        }
        times.push(nowMs);
        this.history.set(client, times);
        return 0;
    }

    describe(): string {
        return `${this.limit.requests} requests per ${this.limit.perSeconds} seconds`;
    }
}
