/**
 * Agents on DynamoDB's config table: one `AGENT#<id>` item each (schema.ts). Every write is one
 * conditional put or delete (decision 7); agents number in the tens to hundreds, so the list is a
 * filtered, paginated scan of a small table.
 */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AgentStore } from '../../core/agents/ports.ts';
import type { Item } from './item-codec.ts';
import { conditionalCall, dynamoCall, isConditionalCheckFailed } from './dynamo-call.ts';
import { scanPrefix } from './config-store.ts';
import { agentPk } from './schema.ts';
import type { Agent } from '../../core/agents/model.ts';

const AGENT_PREFIX = agentPk('');

/** {@link AgentStore} on the config table. Why the config table: agents are configuration, read per `next`. */
export class DynamoAgentStore implements AgentStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Conditional put; `exists` leaves the registered agent as it is. */
  async create(agent: Agent): Promise<'created' | 'exists'> {
    try {
      await dynamoCall('PutItem', () =>
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...agentToItem(agent), pk: agentPk(agent.id) },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      return 'created';
    } catch (err) {
      if (isConditionalCheckFailed(err)) return 'exists';
      throw err;
    }
  }

  /** One consistent read: `next` must see an agent's skills as last saved. */
  async get(id: string): Promise<Agent | undefined> {
    const out = await dynamoCall('GetItem', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: agentPk(id) }, ConsistentRead: true })),
    );
    return out.Item ? itemToAgent(out.Item) : undefined;
  }

  /** All agents sorted by id; a filtered scan of the small config table, every page followed. */
  async list(): Promise<readonly Agent[]> {
    const agents = (await scanPrefix(this.doc, this.tableName, AGENT_PREFIX)).map(itemToAgent);
    return agents.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Conditional put over the registered agent, keeping its createdAt; `false` when there is none. */
  async update(agent: Agent): Promise<boolean> {
    const current = await this.get(agent.id);
    if (!current) return false;
    return conditionalCall('PutItem', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...agentToItem({ ...agent, createdAt: current.createdAt }), pk: agentPk(agent.id) },
          ConditionExpression: 'attribute_exists(pk)',
        }),
      ),
    );
  }

  /** Conditional delete; `false` when no such agent was registered. */
  async remove(id: string): Promise<boolean> {
    return conditionalCall('DeleteItem', () =>
      this.doc.send(
        new DeleteCommand({ TableName: this.tableName, Key: { pk: agentPk(id) }, ConditionExpression: 'attribute_exists(pk)' }),
      ),
    );
  }
}

function agentToItem(a: Agent): Item {
  return { id: a.id, name: a.name, skills: [...a.skills], languages: [...a.languages], queues: [...a.queues], createdAt: a.createdAt };
}

/** An agent read back; unknown attributes are dropped so later additions do not leak into the API. */
function itemToAgent(item: Item): Agent {
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
  return {
    id: String(item.id),
    name: String(item.name),
    skills: strings(item.skills),
    languages: strings(item.languages),
    queues: strings(item.queues),
    createdAt: String(item.createdAt),
  };
}
