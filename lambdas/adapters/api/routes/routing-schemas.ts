/**
 * The shapes of the routing configuration bodies (address routes, flows) at the API's edge
 * (STYLE.md habit 5). zod checks types and sizes here; the domain rules (domains, configured
 * addresses, existing queues and flows, patterns) are core's (address-route-rules.ts, flow-validation.ts).
 * Both report one message per field, keyed by JSON path: `routing.priority`, `rules[2].when[0].op`.
 */
import * as z from 'zod/mini';
import type { output } from 'zod/v4/core';
import { ADDRESS_LIMITS } from '../../../core/routing/address-route-rules.ts';
import { ATTRIBUTE_MESSAGES } from '../../../core/routing/attributes.ts';
import {
  CONDITION_FIELDS,
  CONDITION_OPS,
  FLOW_LIMITS,
  VERDICT_NAMES,
  type FlowDefinition,
} from '../../../core/routing/flow.ts';
import { MAX_ADDRESS_BCC } from '../../../core/routing/model.ts';
import { MAX_PRIORITY, MIN_PRIORITY } from '../../../core/score.ts';
import { fieldPath, typeError } from '../validation.ts';

export { fieldPath };

/** Caps far above the domain limits, so a hostile body is refused before it costs anything. */
const SHAPE_LIMITS = { maxBcc: MAX_ADDRESS_BCC * 4, maxSkills: 100, maxTextChars: 1_000 } as const;

const text = (max: number = SHAPE_LIMITS.maxTextChars) => z.string().check(z.maxLength(max, `at most ${max} characters`));
/** A list of strings: a wrong type says so, each item is checked by `item`, the list by `max`. */
const textList = (item: z.ZodMiniType<string, string>, max: number, maxMessage: string) =>
  z.array(item, typeError('must be an array of strings')).check(z.maxLength(max, maxMessage));
const idText = z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,64}$/, "must be 1-64 letters, digits, '.', '_', ':' or '-'"));
/** An integer in `[min, max]`; one message for a wrong type, a fraction and a value out of range. */
const integerBetween = (min: number, max: number, message = `must be an integer between ${min} and ${max}`) =>
  z.int({ error: message }).check(z.gte(min, message), z.lte(max, message));
/** A priority the score order can hold exactly (core/score.ts bounds); core checks it again (attributes.ts). */
const priority = integerBetween(MIN_PRIORITY, MAX_PRIORITY, ATTRIBUTE_MESSAGES.priority);
const skillList = textList(text(64), SHAPE_LIMITS.maxSkills, `at most ${SHAPE_LIMITS.maxSkills} skills`);

const addressRouting = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('queue'),
      queueId: idText,
      skills: z._default(skillList, []),
      language: z.optional(text(8)),
      priority: z._default(priority, 0),
    }),
    z.strictObject({ kind: z.literal('flow'), flowId: idText }),
    z.strictObject({ kind: z.literal('none') }),
  ],
  { error: "must be { kind: 'queue', queueId, ... }, { kind: 'flow', flowId } or { kind: 'none' }" },
);

const spamRouting = z.discriminatedUnion(
  'kind',
  [z.strictObject({ kind: z.literal('flow'), flowId: idText }), z.strictObject({ kind: z.literal('disconnect') })],
  { error: "must be { kind: 'flow', flowId } or { kind: 'disconnect' }" },
);

/** The body of `PUT /addresses/:address` (the address comes from the path). */
export const addressUpdateBody = z.strictObject({
  fromName: text(ADDRESS_LIMITS.maxFromNameChars),
  /** Defaults to the address itself. */
  fromAddress: z.optional(text(ADDRESS_LIMITS.maxAddressChars)),
  replyTo: z.optional(text(ADDRESS_LIMITS.maxAddressChars)),
  bcc: z._default(textList(text(ADDRESS_LIMITS.maxAddressChars), SHAPE_LIMITS.maxBcc, `at most ${MAX_ADDRESS_BCC} distinct BCC recipients`), []),
  routing: addressRouting,
  spamRouting: z.optional(spamRouting),
});

/** The body of `POST /addresses`. */
export const addressCreateBody = z.extend(addressUpdateBody, { address: text(ADDRESS_LIMITS.maxAddressChars) });

const condition = z.strictObject({
  field: z.enum(CONDITION_FIELDS, `must be one of ${CONDITION_FIELDS.join(', ')}`),
  op: z.enum(CONDITION_OPS, `must be one of ${CONDITION_OPS.join(', ')}`),
  header: z.optional(text(FLOW_LIMITS.maxHeaderNameChars)),
  verdict: z.optional(z.enum(VERDICT_NAMES, `must be one of ${VERDICT_NAMES.join(', ')}`)),
  value: z.optional(text(FLOW_LIMITS.maxValueChars)),
  values: z.optional(textList(text(FLOW_LIMITS.maxValueChars), FLOW_LIMITS.maxValues, `at most ${FLOW_LIMITS.maxValues} values`)),
  not: z.optional(z.boolean()),
});

/** `adjustPriority` moves a priority by at most the width of the priority range (core checks it again). */
const delta = integerBetween(MIN_PRIORITY - MAX_PRIORITY, MAX_PRIORITY - MIN_PRIORITY);

const action = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('setQueue'), queueId: idText }),
    z.strictObject({ type: z.literal('setSkills'), skills: skillList }),
    z.strictObject({ type: z.literal('addSkills'), skills: skillList }),
    z.strictObject({ type: z.literal('setLanguage'), language: text(8) }),
    z.strictObject({ type: z.literal('setPriority'), priority }),
    z.strictObject({ type: z.literal('adjustPriority'), delta }),
    z.strictObject({
      type: z.literal('autoAcknowledge'),
      templateId: z.optional(idText),
      subject: z.optional(text(FLOW_LIMITS.maxAckSubjectChars)),
      body: z.optional(text(FLOW_LIMITS.maxAckBodyChars)),
    }),
    z.strictObject({ type: z.literal('tag'), tags: textList(text(FLOW_LIMITS.maxTagChars), FLOW_LIMITS.maxTags, `at most ${FLOW_LIMITS.maxTags} tags`) }),
    z.strictObject({ type: z.literal('disconnect'), reason: text(FLOW_LIMITS.maxReasonChars) }),
  ],
  { error: 'must be an action: setQueue, setSkills, addSkills, setLanguage, setPriority, adjustPriority, autoAcknowledge, tag or disconnect' },
);

const rule = z.strictObject({
  name: z.optional(text(FLOW_LIMITS.maxNameChars)),
  when: z._default(
    z.array(condition, typeError('must be an array of conditions')).check(
      z.maxLength(FLOW_LIMITS.maxConditionsPerRule, `at most ${FLOW_LIMITS.maxConditionsPerRule} conditions`),
    ),
    [],
  ),
  then: z
    .array(action, typeError('must be an array of actions'))
    .check(z.maxLength(FLOW_LIMITS.maxActionsPerRule, `must list 1-${FLOW_LIMITS.maxActionsPerRule} actions`)),
  stop: z.optional(z.boolean()),
});

/** The body of `PUT /flows/:id`: a flow definition (core/routing/flow.ts documents the format). */
export const flowBody = z.strictObject({
  name: text(FLOW_LIMITS.maxNameChars),
  description: z.optional(text(FLOW_LIMITS.maxDescriptionChars)),
  rules: z.array(rule, typeError('must be an array of rules')).check(z.maxLength(FLOW_LIMITS.maxRules, `at most ${FLOW_LIMITS.maxRules} rules`)),
});

/** The body of `PUT /templates/:id`; one-line subject and placeholders are core's rules (ack-template.ts). */
export const templateBody = z.strictObject({
  name: text(FLOW_LIMITS.maxNameChars),
  subject: text(FLOW_LIMITS.maxAckSubjectChars),
  body: text(FLOW_LIMITS.maxAckBodyChars),
});

/** Compile-time proof that what {@link flowBody} accepts is a {@link FlowDefinition}. */
export const asFlowDefinition = (body: output<typeof flowBody>): FlowDefinition => body;
