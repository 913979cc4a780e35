/**
 * The rules a flow definition must keep before it is stored: limits, well-formed conditions,
 * patterns that cannot backtrack without bound, actions that name existing queues and valid ACD
 * attributes. Errors are keyed by JSON path (`rules[2].when[0].value`) so an admin sees exactly
 * which rule and which field to fix.
 */
import { FIELD_ERROR_CODES } from '../error-codes.ts';
import { ValidationError } from '../errors.ts';
import { ATTRIBUTE_MESSAGES, isLanguage, isPriority, skillsError } from './attributes.ts';
import { MAX_PRIORITY, MIN_PRIORITY } from '../score.ts';
import { FLOW_LIMITS, FLOW_MAX_DEFINITION_BYTES, VERDICT_STATUSES, type FlowAction, type FlowCondition, type FlowDefinition } from './flow.ts';
import { MAX_FLOW_PROGRAM_SIZE, compilePattern, patternError } from './flow-pattern.ts';
import { unknownPlaceholders } from './template.ts';

/** What flow validation needs to know about the rest of the configuration. */
export interface FlowContext {
  readonly queues: ReadonlySet<string>;
  /** The stored templates' ids; when given, a `templateId` must name one. */
  readonly templates?: ReadonlySet<string>;
}

/** Header names are RFC 5322 field names: printable ASCII without colon or space. */
const HEADER_NAME = /^[!-9;-~]+$/;
/** Tags are slugs too, so they filter and display cleanly. */
const TAG = /^[a-z0-9](?:[a-z0-9:_-]{0,62}[a-z0-9])?$/;
const KNOWN_STATUSES: ReadonlySet<string> = new Set(VERDICT_STATUSES.map((s) => s.toLowerCase()));

/** The UTF-8 size of `flow` as JSON, which {@link FLOW_MAX_DEFINITION_BYTES} bounds. */
export function flowDefinitionBytes(flow: FlowDefinition): number {
  return new TextEncoder().encode(JSON.stringify(flow)).byteLength;
}

/** The field error of a flow too large to store (keyed `body`: the whole definition), or undefined. */
function sizeError(flow: FlowDefinition): string | undefined {
  const bytes = flowDefinitionBytes(flow);
  if (bytes <= FLOW_MAX_DEFINITION_BYTES) return undefined;
  return `must be at most ${FLOW_MAX_DEFINITION_BYTES} bytes as JSON (this flow is ${bytes}): a flow version is stored as one DynamoDB item`;
}

/** Every field error of `flow` (empty when valid); a flow too large to store reports only that. */
export function flowErrors(flow: FlowDefinition, ctx: FlowContext): Record<string, string> {
  const fields: Record<string, string> = {};
  const tooLarge = sizeError(flow);
  if (tooLarge) return { body: tooLarge };
  if (flow.name.trim() === '' || flow.name.length > FLOW_LIMITS.maxNameChars) {
    fields.name = `must be 1-${FLOW_LIMITS.maxNameChars} characters`;
  }
  if ((flow.description?.length ?? 0) > FLOW_LIMITS.maxDescriptionChars) {
    fields.description = `at most ${FLOW_LIMITS.maxDescriptionChars} characters`;
  }
  if (flow.rules.length > FLOW_LIMITS.maxRules) {
    fields.rules = `at most ${FLOW_LIMITS.maxRules} rules`;
    return fields;
  }
  flow.rules.forEach((rule, r) => {
    const at = `rules[${r}]`;
    if ((rule.name?.length ?? 0) > FLOW_LIMITS.maxNameChars) fields[`${at}.name`] = `at most ${FLOW_LIMITS.maxNameChars} characters`;
    if (rule.when.length > FLOW_LIMITS.maxConditionsPerRule) {
      fields[`${at}.when`] = `at most ${FLOW_LIMITS.maxConditionsPerRule} conditions`;
    } else {
      rule.when.forEach((c, n) => Object.assign(fields, conditionErrors(c, `${at}.when[${n}]`)));
    }
    if (rule.then.length === 0 || rule.then.length > FLOW_LIMITS.maxActionsPerRule) {
      fields[`${at}.then`] = `must list 1-${FLOW_LIMITS.maxActionsPerRule} actions`;
    } else {
      rule.then.forEach((a, n) => Object.assign(fields, actionErrors(a, `${at}.then[${n}]`, ctx)));
    }
  });
  if (Object.keys(fields).length === 0) {
    const steps = flowProgramSize(flow);
    if (steps > MAX_FLOW_PROGRAM_SIZE) {
      fields.rules = `the flow's patterns compile to ${steps} steps together, at most ${MAX_FLOW_PROGRAM_SIZE}: simplify or merge them`;
    }
  }
  return fields;
}

/** The RE2 instructions of all `matches` patterns of a flow whose patterns are all valid. */
function flowProgramSize(flow: FlowDefinition): number {
  let steps = 0;
  for (const rule of flow.rules) for (const c of rule.when) if (c.op === 'matches' && c.value !== undefined) steps += compilePattern(c.value).programSize;
  return steps;
}

/**
 * {@link flowErrors} as a guard.
 * @throws ValidationError with every field message when the flow breaks a rule
 */
export function assertValidFlow(flow: FlowDefinition, ctx: FlowContext): void {
  const fields = flowErrors(flow, ctx);
  if (Object.keys(fields).length > 0) throw new ValidationError(fields, fields.body ? { body: FIELD_ERROR_CODES.tooBig } : {});
}

function conditionErrors(c: FlowCondition, at: string): Record<string, string> {
  const fields: Record<string, string> = {};
  if (c.field === 'header' && (c.header === undefined || !HEADER_NAME.test(c.header) || c.header.length > FLOW_LIMITS.maxHeaderNameChars)) {
    fields[`${at}.header`] = 'must name a header (printable ASCII, no colon or space)';
  }
  if (c.field === 'verdict' && c.verdict === undefined) fields[`${at}.verdict`] = 'must name a verdict: spam, virus, spf, dkim or dmarc';
  if (c.op === 'exists') return fields;
  if (c.op === 'in') {
    const values = c.values ?? [];
    if (values.length === 0 || values.length > FLOW_LIMITS.maxValues) fields[`${at}.values`] = `must list 1-${FLOW_LIMITS.maxValues} values`;
    else if (values.some((v) => v.length > FLOW_LIMITS.maxValueChars)) fields[`${at}.values`] = `values of at most ${FLOW_LIMITS.maxValueChars} characters`;
    else {
      const bad = vocabularyError(c, values);
      if (bad) fields[`${at}.values`] = bad;
    }
    return fields;
  }
  if (c.value === undefined || c.value === '' || c.value.length > FLOW_LIMITS.maxValueChars) {
    fields[`${at}.value`] = `must be 1-${FLOW_LIMITS.maxValueChars} characters`;
    return fields;
  }
  const bad = c.op === 'matches' ? patternError(c.value) : c.op === 'equals' ? vocabularyError(c, [c.value]) : undefined;
  if (bad) fields[`${at}.value`] = bad;
  return fields;
}

/** Verdicts and languages have a closed vocabulary: a typo would silently never match. */
function vocabularyError(c: FlowCondition, values: readonly string[]): string | undefined {
  if (c.field === 'verdict' && values.some((v) => !KNOWN_STATUSES.has(v.toLowerCase()))) {
    return `must be verdict statuses: ${VERDICT_STATUSES.join(', ')}`;
  }
  if (c.field === 'language' && values.some((v) => !isLanguage(v.toLowerCase()))) return ATTRIBUTE_MESSAGES.language;
  return undefined;
}

function actionErrors(a: FlowAction, at: string, ctx: FlowContext): Record<string, string> {
  const error = actionError(a, ctx);
  return error ? { [`${at}.${error[0]}`]: error[1] } : {};
}

/** The one invalid field of an action and its message. */
function actionError(a: FlowAction, ctx: FlowContext): [string, string] | undefined {
  switch (a.type) {
    case 'setQueue':
      return ctx.queues.has(a.queueId) ? undefined : ['queueId', `queue ${a.queueId} does not exist`];
    case 'setSkills':
    case 'addSkills': {
      const bad = skillsError(a.skills);
      return bad ? ['skills', bad] : undefined;
    }
    case 'setLanguage':
      return isLanguage(a.language) ? undefined : ['language', ATTRIBUTE_MESSAGES.language];
    case 'setPriority':
      return isPriority(a.priority) ? undefined : ['priority', ATTRIBUTE_MESSAGES.priority];
    case 'adjustPriority':
      return Number.isInteger(a.delta) && Math.abs(a.delta) <= MAX_PRIORITY - MIN_PRIORITY
        ? undefined
        : ['delta', `must be an integer between ${MIN_PRIORITY - MAX_PRIORITY} and ${MAX_PRIORITY - MIN_PRIORITY}`];
    case 'autoAcknowledge':
      return ackError(a, ctx);
    case 'tag':
      return a.tags.length > 0 && a.tags.length <= FLOW_LIMITS.maxTags && a.tags.every((t) => TAG.test(t))
        ? undefined
        : ['tags', `must list 1-${FLOW_LIMITS.maxTags} tags (lower-case letters, digits, ':', '_', '-')`];
    case 'disconnect':
      return a.reason.trim() !== '' && a.reason.length <= FLOW_LIMITS.maxReasonChars
        ? undefined
        : ['reason', `must be 1-${FLOW_LIMITS.maxReasonChars} characters`];
  }
}

function ackError(a: Extract<FlowAction, { type: 'autoAcknowledge' }>, ctx: FlowContext): [string, string] | undefined {
  if (a.templateId === undefined && (a.subject === undefined || a.body === undefined)) {
    return ['templateId', 'name a template, or give both subject and body'];
  }
  if (a.templateId !== undefined && ctx.templates && !ctx.templates.has(a.templateId)) {
    return ['templateId', `template ${a.templateId} does not exist`];
  }
  if (a.subject !== undefined) {
    if (a.subject.length > FLOW_LIMITS.maxAckSubjectChars) return ['subject', `at most ${FLOW_LIMITS.maxAckSubjectChars} characters`];
    const unknown = unknownPlaceholders(a.subject);
    if (unknown.length) return ['subject', `unknown placeholder ${unknown.map((u) => `{{${u}}}`).join(', ')}`];
  }
  if (a.body !== undefined) {
    if (a.body.length > FLOW_LIMITS.maxAckBodyChars) return ['body', `at most ${FLOW_LIMITS.maxAckBodyChars} characters`];
    const unknown = unknownPlaceholders(a.body);
    if (unknown.length) return ['body', `unknown placeholder ${unknown.map((u) => `{{${u}}}`).join(', ')}`];
  }
  return undefined;
}
