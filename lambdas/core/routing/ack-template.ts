/**
 * Stored auto-acknowledgement templates: a flow's `autoAcknowledge` action names one by id
 * (`templateId`) instead of carrying its own subject and body, so one wording is kept in one place
 * and every flow that acknowledges in that language shares it. Placeholders are template.ts's.
 */
import { ERROR_REASONS as R } from '../error-reasons.ts';
import { assertNoProblems, fieldMessages, problem, type FieldProblem, type FieldProblems } from '../field-problems.ts';
import { headerTextProblem } from '../outbound/header-text.ts';
import { FLOW_LIMITS, type FlowAction } from './flow.ts';
import { unknownPlaceholders, type AckTemplate } from './template.ts';

/** A stored template: an {@link AckTemplate} with its id, an admin's name for it, and timestamps. */
export interface StoredAckTemplate extends AckTemplate {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What an admin writes (the body of `PUT /templates/:id`). */
export interface AckTemplateInput {
  readonly name: string;
  readonly subject: string;
  readonly body: string;
}

/**
 * Stored templates, one per id, on the config table (adapters/dynamodb/template-store.ts).
 * Templates are few (one per language or tone), so listing reads them all.
 */
export interface TemplateStore {
  get(id: string): Promise<StoredAckTemplate | undefined>;
  /** All templates, sorted by id. */
  list(): Promise<readonly StoredAckTemplate[]>;
  /** Creates or replaces `template`: `created` when the id was new. */
  put(template: StoredAckTemplate): Promise<'created' | 'replaced'>;
  /** `false` when there was nothing to delete. */
  delete(id: string): Promise<boolean>;
}

// eslint-disable-next-line no-control-regex
const LINE_BREAK = /[\r\n\u0085\u2028\u2029]/;

/**
 * Every field error of `input` (empty when valid). Why the subject must be one line: it becomes a
 * header, and rendering would flatten it anyway; refusing it tells the admin at write time.
 */
export function ackTemplateErrors(input: AckTemplateInput): Record<string, string> {
  return fieldMessages(ackTemplateProblems(input));
}

/** {@link ackTemplateErrors} with each field's reason (core/error-reasons.ts) beside its message. */
export function ackTemplateProblems(input: AckTemplateInput): FieldProblems {
  const fields: FieldProblems = {};
  if (input.name.trim() === '' || input.name.length > FLOW_LIMITS.maxNameChars) {
    fields.name = problem(R.valueOutOfRange, `must be 1-${FLOW_LIMITS.maxNameChars} characters`);
  }
  const subjectHeaderProblem = headerTextProblem(input.subject);
  const subject =
    textProblem(input.subject, FLOW_LIMITS.maxAckSubjectChars) ??
    (LINE_BREAK.test(input.subject) ? problem(R.templateSubjectMultiline, 'must be one line') : undefined) ??
    // The subject becomes a header: one rule for it (core/outbound/header-text.ts), NUL and other controls included.
    (subjectHeaderProblem ? problem(R.templateSubjectMultiline, subjectHeaderProblem) : undefined);
  if (subject) fields.subject = subject;
  const body = textProblem(input.body, FLOW_LIMITS.maxAckBodyChars);
  if (body) fields.body = body;
  return fields;
}

/**
 * {@link ackTemplateErrors} as a guard.
 * @throws ValidationError with every field message and reason when the template breaks a rule
 */
export function assertValidAckTemplate(input: AckTemplateInput): void {
  assertNoProblems(ackTemplateProblems(input));
}

/**
 * The ids of the stored templates a flow's rules name (a definition's or a compiled flow's), for
 * the "in use" check on delete and for routing, which loads them before it decides.
 */
export function referencedTemplates(rules: readonly { readonly then: readonly FlowAction[] }[]): string[] {
  const ids = rules.flatMap((rule) => rule.then.flatMap((a) => (a.type === 'autoAcknowledge' && a.templateId !== undefined ? [a.templateId] : [])));
  return [...new Set(ids)];
}

function textProblem(text: string, max: number): FieldProblem | undefined {
  if (text.trim() === '' || text.length > max) return problem(R.valueOutOfRange, `must be 1-${max} characters`);
  const unknown = unknownPlaceholders(text);
  return unknown.length ? problem(R.templateUnknownPlaceholder, `unknown placeholder ${unknown.map((u) => `{{${u}}}`).join(', ')}`) : undefined;
}
