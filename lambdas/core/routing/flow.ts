/**
 * Flows: a declarative, versioned rule set an address routes its mail to (ADR-2, ADR-3). A flow is
 * data, never code: rules are evaluated in order by a small typed evaluator (flow-eval.ts), so an
 * admin's flow cannot run JavaScript, reach the network or loop.
 *
 * ```json
 * { "name": "Support triage",
 *   "rules": [
 *     { "name": "refunds", "when": [{ "field": "subject", "op": "contains", "value": "refund" }],
 *       "then": [{ "type": "setQueue", "queueId": "billing" }, { "type": "adjustPriority", "delta": 10 }],
 *       "stop": true } ] }
 * ```
 */
import type { VerdictStatus } from '../message.ts';

/** What a condition looks at. `recipient` is any envelope recipient; `sender` the From or envelope sender. */
export type ConditionField = 'recipient' | 'sender' | 'subject' | 'body' | 'header' | 'language' | 'verdict';
export const CONDITION_FIELDS: readonly ConditionField[] = ['recipient', 'sender', 'subject', 'body', 'header', 'language', 'verdict'];

/** How a condition compares; all comparisons ignore case. `exists`: the value is present and not empty. */
export type ConditionOp = 'equals' | 'contains' | 'matches' | 'in' | 'exists';
export const CONDITION_OPS: readonly ConditionOp[] = ['equals', 'contains', 'matches', 'in', 'exists'];

export type VerdictName = 'spam' | 'virus' | 'spf' | 'dkim' | 'dmarc';
export const VERDICT_NAMES: readonly VerdictName[] = ['spam', 'virus', 'spf', 'dkim', 'dmarc'];
export const VERDICT_STATUSES: readonly VerdictStatus[] = ['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED'];

/**
 * One test on the message. `header` names the header for field `header`, `verdict` the verdict for
 * field `verdict`. `value` is used by equals/contains/matches, `values` by `in`; `not` inverts.
 */
export interface FlowCondition {
  readonly field: ConditionField;
  readonly op: ConditionOp;
  readonly header?: string;
  readonly verdict?: VerdictName;
  readonly value?: string;
  readonly values?: readonly string[];
  readonly not?: boolean;
}

/** The auto-acknowledgement a rule asks for: a stored template, or an inline subject and body. */
export interface AutoAcknowledgeAction {
  readonly type: 'autoAcknowledge';
  readonly templateId?: string;
  readonly subject?: string;
  readonly body?: string;
}

export type FlowAction =
  | { readonly type: 'setQueue'; readonly queueId: string }
  | { readonly type: 'setSkills'; readonly skills: readonly string[] }
  | { readonly type: 'addSkills'; readonly skills: readonly string[] }
  | { readonly type: 'setLanguage'; readonly language: string }
  | { readonly type: 'setPriority'; readonly priority: number }
  | { readonly type: 'adjustPriority'; readonly delta: number }
  | AutoAcknowledgeAction
  | { readonly type: 'tag'; readonly tags: readonly string[] }
  | { readonly type: 'disconnect'; readonly reason: string };

export type FlowActionType = FlowAction['type'];
export const FLOW_ACTION_TYPES: readonly FlowActionType[] = [
  'setQueue',
  'setSkills',
  'addSkills',
  'setLanguage',
  'setPriority',
  'adjustPriority',
  'autoAcknowledge',
  'tag',
  'disconnect',
];

/** All of `when` must match (none: always); then `then` runs in order; `stop` ends the flow. */
export interface FlowRule {
  readonly name?: string;
  readonly when: readonly FlowCondition[];
  readonly then: readonly FlowAction[];
  readonly stop?: boolean;
}

/** A flow's definition as admins write it (the body of `PUT /flows/:id`). */
export interface FlowDefinition {
  readonly name: string;
  readonly description?: string;
  readonly rules: readonly FlowRule[];
}

/** One immutable version of a flow. */
export interface FlowVersion {
  readonly id: string;
  readonly version: number;
  readonly definition: FlowDefinition;
  readonly createdAt: string;
}

/** A flow's current state: its name and which version is live. */
export interface FlowSummary {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * Limits that keep a flow cheap to evaluate on every message: rules and conditions bound the work
 * per message; the pattern and input caps bound what one regular expression can cost.
 */
export const FLOW_LIMITS = {
  maxRules: 100,
  maxConditionsPerRule: 20,
  maxActionsPerRule: 20,
  /** Values of `in` per condition. */
  maxValues: 200,
  maxValueChars: 1_000,
  /** Longer patterns are not needed to route mail and are costlier to backtrack through. */
  maxPatternChars: 200,
  /** Inputs (subject, body, headers) are cut to this many characters before they are matched. */
  maxMatchInputChars: 8_192,
  maxNameChars: 200,
  maxDescriptionChars: 1_000,
  maxTags: 20,
  maxTagChars: 64,
  maxReasonChars: 500,
  maxAckSubjectChars: 200,
  maxAckBodyChars: 20_000,
  maxHeaderNameChars: 76,
  /** Flow ids share the API's id shape; the cap keeps `FLOWV#<id>#<version>` keys short. */
  maxIdChars: 64,
  /**
   * The whole definition as UTF-8 JSON. Why: each limit above alone allows a flow of hundreds of
   * megabytes (100 rules x 20 conditions x 200 values x 1,000 characters), and a flow version is
   * one DynamoDB item (400 KB at most, attribute names and type overhead included). A definition
   * within this cap always fits its item, so what validates can always be stored.
   */
  maxDefinitionBytes: 256 * 1024,
} as const;

/**
 * The largest flow definition, serialized as JSON (UTF-8 bytes): {@link FLOW_LIMITS}'s
 * `maxDefinitionBytes` (256 KiB). Why: a version is stored as one DynamoDB item (400 KB at most,
 * names and values); a flow's JSON is never smaller than its item's share of that size, and the
 * room left covers the key, id, version, timestamps and the reference set, so what validates always
 * fits the item. A larger flow is answered 400 on field `body` with code `too-big`.
 */
export const FLOW_MAX_DEFINITION_BYTES = FLOW_LIMITS.maxDefinitionBytes;
