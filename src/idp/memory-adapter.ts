import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Entry<T> {
  value: T;
  /** Milliseconds since the epoch; null when the entry never expires. */
  expiresAt: number | null;
}

/**
 * One store shared by every model of one provider. Expired entries are dropped when read and
 * swept when the store grows, so a long-running demo does not accumulate stale sessions.
 */
class ExpiringStore {
  readonly #entries = new Map<string, Entry<unknown>>();
  #writesSinceSweep = 0;

  get(key: string): unknown {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: unknown, expiresInSeconds: number | undefined): void {
    const expiresAt = expiresInSeconds === undefined ? null : Date.now() + expiresInSeconds * 1000;
    this.#entries.set(key, { value, expiresAt });
    this.#writesSinceSweep += 1;
    if (this.#writesSinceSweep >= 500) this.#sweep();
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  #sweep(): void {
    this.#writesSinceSweep = 0;
    const now = Date.now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt !== null && entry.expiresAt <= now) this.#entries.delete(key);
    }
  }
}

/** Models whose records belong to a grant and go when the grant is revoked. */
const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

function isPayload(value: unknown): value is AdapterPayload {
  return typeof value === 'object' && value !== null;
}

function isKeySet(value: unknown): value is Set<string> {
  return value instanceof Set;
}

class MemoryAdapter implements Adapter {
  readonly #model: string;
  readonly #store: ExpiringStore;

  constructor(model: string, store: ExpiringStore) {
    this.#model = model;
    this.#store = store;
  }

  #key(id: string): string {
    return `${this.#model}:${id}`;
  }

  #payload(key: string): AdapterPayload | undefined {
    const value = this.#store.get(key);
    return isPayload(value) ? value : undefined;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const key = this.#key(id);
    if (this.#model === 'Session' && typeof payload.uid === 'string') {
      this.#store.set(`sessionUid:${payload.uid}`, id, expiresIn);
    }
    if (typeof payload.userCode === 'string') {
      this.#store.set(`userCode:${payload.userCode}`, id, expiresIn);
    }
    if (GRANTABLE.has(this.#model) && typeof payload.grantId === 'string') {
      const grantKey = `grant:${payload.grantId}`;
      const existing = this.#store.get(grantKey);
      const members = isKeySet(existing) ? existing : new Set<string>();
      members.add(key);
      this.#store.set(grantKey, members, undefined);
    }
    this.#store.set(key, payload, expiresIn);
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.#payload(this.#key(id));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const id = this.#store.get(`sessionUid:${uid}`);
    return typeof id === 'string' ? this.find(id) : undefined;
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const id = this.#store.get(`userCode:${userCode}`);
    return typeof id === 'string' ? this.find(id) : undefined;
  }

  async consume(id: string): Promise<void> {
    const payload = this.#payload(this.#key(id));
    if (payload !== undefined) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.#store.delete(this.#key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    const grantKey = `grant:${grantId}`;
    const members = this.#store.get(grantKey);
    if (isKeySet(members)) {
      for (const key of members) this.#store.delete(key);
    }
    this.#store.delete(grantKey);
  }
}

/**
 * Builds the adapter factory for one provider. The embedded provider is for the demo only, so
 * its sessions and codes may vanish on restart; keeping our own small store (rather than the
 * package's default) keeps each provider's state separate and the console quiet.
 */
export function createMemoryAdapterFactory(): (model: string) => Adapter {
  const store = new ExpiringStore();
  return (model: string) => new MemoryAdapter(model, store);
}
