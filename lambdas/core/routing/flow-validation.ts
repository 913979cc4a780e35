/**
 * The rules a flow definition must keep before it is stored: limits, well-formed conditions,
 * patterns that cannot backtrack without bound, actions that name existing queues and valid ACD
 * attributes. Errors are keyed by JSON path (`rules[2].when[0].value`) so an admin sees exactly
 * which rule and which field to fix.
 */
import { FIELD_ERROR_CODES } from '../error-codes.ts';
import { ERROR_REASONS as R } from '../error-reasons.ts';
import { headerTextProblem } from '../outbound/header-text.ts';
import { assertNoProblems, fieldMessages, problem, type FieldProblem, type FieldProblems } from '../field-problems.ts';
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
function sizeProblem(flow: FlowDefinition): FieldProblem | undefined {
  const bytes = flowDefinitionBytes(flow);
  if (bytes <= FLOW_MAX_DEFINITION_BYTES) return undefined;
  return problem(R.flowTooLarge, `must be at most ${FLOW_MAX_DEFINITION_BYTES} bytes as JSON (this flow is ${bytes}): a flow version is stored as one DynamoDB item`);
}

/** Every field error of `flow` (empty when valid); a flow too large to store reports only that. */
export function flowErrors(flow: FlowDefinition, ctx: FlowContext): Record<string, string> {
  return fieldMessages(flowProblems(flow, ctx));
}

/** {@link flowErrors} with each field's reason (core/error-reasons.ts) beside its message. */
export function flowProblems(flow: FlowDefinition, ctx: FlowContext): FieldProblems {
  const fields: FieldProblems = {};
  const tooLarge = sizeProblem(flow);
  if (tooLarge) return { body: tooLarge };
  if (flow.name.trim() === '' || flow.name.length > FLOW_LIMITS.maxNameChars) {
    fields.name = outOfRange(`must be 1-${FLOW_LIMITS.maxNameChars} characters`);
  }
  if ((flow.description?.length ?? 0) > FLOW_LIMITS.maxDescriptionChars) {
    fields.description = outOfRange(`at most ${FLOW_LIMITS.maxDescriptionChars} characters`);
  }
  if (flow.rules.length > FLOW_LIMITS.maxRules) {
    fields.rules = outOfRange(`at most ${FLOW_LIMITS.maxRules} rules`);
    return fields;
  }
  flow.rules.forEach((rule, r) => {
    const at = `rules[${r}]`;
    if ((rule.name?.length ?? 0) > FLOW_LIMITS.maxNameChars) fields[`${at}.name`] = outOfRange(`at most ${FLOW_LIMITS.maxNameChars} characters`);
    if (rule.when.length > FLOW_LIMITS.maxConditionsPerRule) {
      fields[`${at}.when`] = outOfRange(`at most ${FLOW_LIMITS.maxConditionsPerRule} conditions`);
    } else {
      rule.when.forEach((c, n) => Object.assign(fields, conditionProblems(c, `${at}.when[${n}]`)));
    }
    if (rule.then.length === 0 || rule.then.length > FLOW_LIMITS.maxActionsPerRule) {
      fields[`${at}.then`] = outOfRange(`must list 1-${FLOW_LIMITS.maxActionsPerRule} actions`);
    } else {
      rule.then.forEach((a, n) => Object.assign(fields, actionProblems(a, `${at}.then[${n}]`, ctx)));
    }
  });
  if (Object.keys(fields).length === 0) {
    const steps = flowProgramSize(flow);
    if (steps > MAX_FLOW_PROGRAM_SIZE) {
      fields.rules = problem(R.flowPatternsTooComplex, `the flow's patterns compile to ${steps} steps together, at most ${MAX_FLOW_PROGRAM_SIZE}: simplify or merge them`);
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
 * @throws ValidationError with every field message and reason when the flow breaks a rule
 */
export function assertValidFlow(flow: FlowDefinition, ctx: FlowContext): void {
  const problems = flowProblems(flow, ctx);
  assertNoProblems(problems, problems.body ? { body: FIELD_ERROR_CODES.tooBig } : {});
}

/** A length, count or number outside its range; the message says the range. */
const outOfRange = (message: string) => problem(R.valueOutOfRange, message);

function conditionProblems(c: FlowCondition, at: string): FieldProblems {
  const fields: FieldProblems = {};
  if (c.field === 'header' && (c.header === undefined || !HEADER_NAME.test(c.header) || c.header.length > FLOW_LIMITS.maxHeaderNameChars)) {
    fields[`${at}.header`] = problem(R.flowHeaderNameInvalid, 'must name a header (printable ASCII, no colon or space)');
  }
  if (c.field === 'verdict' && c.verdict === undefined) fields[`${at}.verdict`] = problem(R.flowVerdictMissing, 'must name a verdict: spam, virus, spf, dkim or dmarc');
  if (c.op === 'exists') return fields;
  if (c.op === 'in') {
    const values = c.values ?? [];
    if (values.length === 0 || values.length > FLOW_LIMITS.maxValues) fields[`${at}.values`] = outOfRange(`must list 1-${FLOW_LIMITS.maxValues} values`);
    else if (values.some((v) => v.length > FLOW_LIMITS.maxValueChars)) fields[`${at}.values`] = outOfRange(`values of at most ${FLOW_LIMITS.maxValueChars} characters`);
    else {
      const bad = vocabularyProblem(c, values);
      if (bad) fields[`${at}.values`] = bad;
    }
    return fields;
  }
  if (c.value === undefined || c.value === '' || c.value.length > FLOW_LIMITS.maxValueChars) {
    fields[`${at}.value`] = outOfRange(`must be 1-${FLOW_LIMITS.maxValueChars} characters`);
    return fields;
  }
  const pattern = c.op === 'matches' ? patternError(c.value) : undefined;
  const bad = pattern !== undefined ? problem(R.flowPatternInvalid, pattern) : c.op === 'equals' ? vocabularyProblem(c, [c.value]) : undefined;
  if (bad) fields[`${at}.value`] = bad;
  return fields;
}

/** Verdicts and languages have a closed vocabulary: a typo would silently never match. */
function vocabularyProblem(c: FlowCondition, values: readonly string[]): FieldProblem | undefined {
  if (c.field === 'verdict' && values.some((v) => !KNOWN_STATUSES.has(v.toLowerCase()))) {
    return problem(R.flowValueUnknown, `must be verdict statuses: ${VERDICT_STATUSES.join(', ')}`);
  }
  if (c.field === 'language' && values.some((v) => !isLanguage(v.toLowerCase()))) return problem(R.flowValueUnknown, ATTRIBUTE_MESSAGES.language);
  return undefined;
}

function actionProblems(a: FlowAction, at: string, ctx: FlowContext): FieldProblems {
  const error = actionProblem(a, ctx);
  return error ? { [`${at}.${error[0]}`]: error[1] } : {};
}

/** The one invalid field of an action and its problem. */
function actionProblem(a: FlowAction, ctx: FlowContext): [string, FieldProblem] | undefined {
  switch (a.type) {
    case 'setQueue':
      return ctx.queues.has(a.queueId) ? undefined : ['queueId', problem(R.queueNotFound, `queue ${a.queueId} does not exist`)];
    case 'setSkills':
    case 'addSkills': {
      const bad = skillsError(a.skills);
      return bad ? ['skills', problem(R.skillsInvalid, bad)] : undefined;
    }
    case 'setLanguage':
      return isLanguage(a.language) ? undefined : ['language', problem(R.languageUnknown, ATTRIBUTE_MESSAGES.language)];
    case 'setPriority':
      return isPriority(a.priority) ? undefined : ['priority', problem(R.priorityOutOfRange, ATTRIBUTE_MESSAGES.priority)];
    case 'adjustPriority':
      return Number.isInteger(a.delta) && Math.abs(a.delta) <= MAX_PRIORITY - MIN_PRIORITY
        ? undefined
        : ['delta', outOfRange(`must be an integer between ${MIN_PRIORITY - MAX_PRIORITY} and ${MAX_PRIORITY - MIN_PRIORITY}`)];
    case 'autoAcknowledge':
      return ackProblem(a, ctx);
    case 'tag':
      return a.tags.length > 0 && a.tags.length <= FLOW_LIMITS.maxTags && a.tags.every((t) => TAG.test(t))
        ? undefined
        : ['tags', problem(R.flowTagsInvalid, `must list 1-${FLOW_LIMITS.maxTags} tags (lower-case letters, digits, ':', '_', '-')`)];
    case 'disconnect':
      return a.reason.trim() !== '' && a.reason.length <= FLOW_LIMITS.maxReasonChars
        ? undefined
        : ['reason', outOfRange(`must be 1-${FLOW_LIMITS.maxReasonChars} characters`)];
  }
}

function ackProblem(a: Extract<FlowAction, { type: 'autoAcknowledge' }>, ctx: FlowContext): [string, FieldProblem] | undefined {
  if (a.templateId === undefined && (a.subject === undefined || a.body === undefined)) {
    return ['templateId', problem(R.flowAckTextMissing, 'name a template, or give both subject and body')];
  }
  if (a.templateId !== undefined && ctx.templates && !ctx.templates.has(a.templateId)) {
    return ['templateId', problem(R.templateNotFound, `template ${a.templateId} does not exist`)];
  }
  for (const [field, text, max] of [
    ['subject', a.subject, FLOW_LIMITS.maxAckSubjectChars],
    ['body', a.body, FLOW_LIMITS.maxAckBodyChars],
  ] as const) {
    if (text === undefined) continue;
    if (text.length > max) return [field, outOfRange(`at most ${max} characters`)];
    // The subject becomes a header: one rule for it (core/outbound/header-text.ts).
    const headerProblem = field === 'subject' ? headerTextProblem(text) : undefined;
    if (headerProblem) return [field, problem(R.templateSubjectMultiline, headerProblem)];
    const unknown = unknownPlaceholders(text);
    if (unknown.length) return [field, problem(R.templateUnknownPlaceholder, `unknown placeholder ${unknown.map((u) => `{{${u}}}`).join(', ')}`)];
  }
  return undefined;
}
