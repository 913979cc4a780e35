/**
 * The configuration stores core's routing configuration needs (ports, decision 1): address routes
 * and versioned flows. One DynamoDB implementation lives in adapters/dynamodb/config-store.ts.
 */
import type { FlowDefinition, FlowSummary, FlowVersion } from './flow.ts';
import type { EmailAddressRoute } from './model.ts';

/** E-mail address routes, one per address. */
export interface AddressRouteStore {
  get(address: string): Promise<EmailAddressRoute | undefined>;
  /** All routes, sorted by address (an organisation has tens of addresses). */
  list(): Promise<readonly EmailAddressRoute[]>;
  /**
   * Conditional create: `exists` when the address has a route already.
   * @throws ValidationError when a flow it names does not exist or is being deleted
   */
  create(route: EmailAddressRoute): Promise<'created' | 'exists'>;
  /**
   * Conditional replace of the stored route: `missing` when the address has no route (the caller
   * keeps `createdAt`); `conflict` when the route changed since it was read, or its `updatedAt` is
   * not `expectedUpdatedAt` (concurrent updates never overwrite each other silently).
   * @throws ValidationError when a flow it names does not exist or is being deleted
   */
  update(route: EmailAddressRoute, expectedUpdatedAt?: string): Promise<'updated' | 'missing' | 'conflict'>;
  /** `false` when there was nothing to delete. */
  delete(address: string): Promise<boolean>;
}

/**
 * Versioned flows. A write never changes a stored version: it adds version n+1 and moves the
 * flow's pointer to it, so an interaction's trail ("flow triage v3") always names a definition
 * that can still be read.
 */
export interface FlowStore {
  /** Current versions' summaries, sorted by id. */
  list(): Promise<readonly FlowSummary[]>;
  get(id: string): Promise<FlowSummary | undefined>;
  /** The current version, or version `version` when given. */
  getVersion(id: string, version?: number): Promise<FlowVersion | undefined>;
  /** Every version, oldest first; empty for an unknown flow. */
  listVersions(id: string): Promise<readonly FlowVersion[]>;
  /** Stores `definition` as the next version (1 for a new flow) and makes it current. */
  put(id: string, definition: FlowDefinition, at: Date): Promise<FlowVersion>;
  /**
   * Deletes the flow and its history; `false` when it did not exist.
   * @throws ConflictError `flow-in-use` when an address route names it (race-free: the guard is
   *   on the flow's own item, see adapters/dynamodb/config-references.ts)
   */
  delete(id: string): Promise<boolean>;
}
