/**
 * The routing configuration as the routing Lambda reads it ({@link RoutingConfigSource}): address
 * routes and compiled flows from the config stores, cached per container. Why a cache: every
 * message needs its address route and up to two flows, and a burst of mail must not turn into a
 * burst of config reads. Why a short TTL: an admin's change is in use within
 * {@link CONFIG_CACHE_TTL_MS} without a redeploy. Flow versions are immutable, so a compiled
 * version is kept until evicted; only "which version is current" expires. Stored templates can be
 * replaced in place, so they expire like address routes.
 */
import { compileFlow, type CompiledFlow } from '../../core/routing/flow-eval.ts';
import type { TemplateStore } from '../../core/routing/ack-template.ts';
import type { AddressRouteStore, FlowStore } from '../../core/routing/config-ports.ts';
import type { RoutingConfigSource } from '../../core/routing/routing-ports.ts';
import type { EmailAddressRoute } from '../../core/routing/model.ts';
import type { AckTemplate } from '../../core/routing/template.ts';

/** A changed address route or flow is in use within this long (SRV-6 promises 30 s for servers). */
export const CONFIG_CACHE_TTL_MS = 30_000;

/** Entries kept per cache; past this the oldest are dropped (a container serves a bounded config). */
export const MAX_CACHE_ENTRIES = 1_000;

interface Entry<T> {
  readonly value: T;
  readonly expires: number;
}

/** {@link RoutingConfigSource} over the config stores, with a TTL cache (absent values cached too). */
export class CachedRoutingConfigSource implements RoutingConfigSource {
  private readonly routes = new Map<string, Entry<EmailAddressRoute | undefined>>();
  private readonly currentVersions = new Map<string, Entry<number | undefined>>();
  private readonly compiled = new Map<string, CompiledFlow>();
  private readonly templates = new Map<string, Entry<AckTemplate | undefined>>();

  constructor(
    private readonly addresses: AddressRouteStore,
    private readonly flows: FlowStore,
    private readonly templateStore: TemplateStore,
    private readonly clock: () => number = Date.now,
    private readonly ttlMs = CONFIG_CACHE_TTL_MS,
  ) {}

  async addressRoute(address: string): Promise<EmailAddressRoute | undefined> {
    const key = address.toLowerCase();
    return this.cached(this.routes, key, () => this.addresses.get(key));
  }

  async flow(id: string): Promise<CompiledFlow | undefined> {
    const version = await this.cached(this.currentVersions, id, async () => (await this.flows.get(id))?.version);
    if (version === undefined) return undefined;
    const key = `${id}#${version}`;
    const hit = this.compiled.get(key);
    if (hit) return hit;
    const stored = await this.flows.getVersion(id, version);
    if (!stored) return undefined;
    const flow = compileFlow(id, version, stored.definition);
    remember(this.compiled, key, flow);
    return flow;
  }

  async template(id: string): Promise<AckTemplate | undefined> {
    return this.cached(this.templates, id, async () => {
      const stored = await this.templateStore.get(id);
      return stored && { subject: stored.subject, body: stored.body };
    });
  }

  private async cached<T>(cache: Map<string, Entry<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const now = this.clock();
    const hit = cache.get(key);
    if (hit && hit.expires > now) return hit.value;
    const value = await load();
    remember(cache, key, { value, expires: now + this.ttlMs });
    return value;
  }
}

/** Sets `key`, dropping the oldest entry when the map is full (Maps iterate in insertion order). */
function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  cache.delete(key);
  if (cache.size >= MAX_CACHE_ENTRIES) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(key, value);
}
