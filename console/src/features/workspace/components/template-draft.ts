/**
 * What choosing a template does to the composer's draft, pure so a unit test can pin it: the body
 * is appended to what the agent wrote, and the template's subject (variables filled as in the body)
 * replaces the subject field unless the agent typed one.
 */
import type { TemplateView } from '../api/types.ts';
import { fillTemplate } from '../model/compose.ts';

/** The part of the composer's draft a template touches. */
export interface TemplateTarget {
  readonly subject: string;
  /** True once the agent typed the subject: a template then leaves it alone. */
  readonly subjectTyped: boolean;
  readonly text: string;
}

/**
 * The draft's new text (the agent's text, a blank line, then the filled body; just the body when
 * nothing was typed) and, when the agent did not type a subject and the template has one, its filled
 * subject. A subject an earlier template filled is replaced: the agent did not type it. Absent
 * `subject` in the result means: leave the field as it is.
 */
export function applyTemplate(
  draft: TemplateTarget,
  template: Pick<TemplateView, 'subject' | 'body'>,
  variables: Readonly<Record<string, string>>,
): { readonly text: string; readonly subject?: string } {
  const body = fillTemplate(template.body, variables);
  const text = draft.text ? `${draft.text}\n\n${body}` : body;
  return !draft.subjectTyped && template.subject ? { text, subject: fillTemplate(template.subject, variables) } : { text };
}
