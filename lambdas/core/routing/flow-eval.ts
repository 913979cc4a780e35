/**
 * The flow evaluator: rules in order, all conditions of a rule must match, its actions apply in
 * order, `stop` (or a disconnect) ends the flow. Pure and synchronous: a flow is compiled once
 * (patterns included) and then evaluated per message with no I/O, and every step it takes is
 * written to an explanation trail that the interaction keeps.
 */
import type { TrailEntry } from '../interaction.ts';
import { cutText } from '../item-bounds.ts';
import { ITEM_LIMITS } from '../limits.ts';
import type { MailAddress, Verdicts } from '../message.ts';
import { clampPriority } from './attributes.ts';
import type { AutoAcknowledgeAction, FlowAction, FlowCondition, FlowDefinition } from './flow.ts';
import { compilePattern, matchInput } from './flow-pattern.ts';

/** The facts of a message a flow looks at; an `InboundMessage` plus its detected language fits. */
export interface FlowInput {
  readonly recipients: readonly string[];
  readonly mailFrom: string;
  readonly from?: MailAddress;
  readonly subject: string;
  readonly text: string;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly verdicts: Verdicts;
  readonly language?: string;
}

/** Where the message would go without the flow (the address's queue target, or defaults). */
export interface FlowStart {
  readonly queueId?: string;
  readonly skills: readonly string[];
  readonly language?: string;
  readonly priority: number;
}

/** One step of the explanation: which rule matched and what one of its actions did. */
export interface FlowStep {
  /** 0-based index of the rule in the flow. */
  readonly rule: number;
  readonly ruleName?: string;
  readonly action: FlowAction['type'] | 'matched' | 'skipped';
  readonly detail: string;
}

/** What the flow decided; fields not touched by any rule keep the {@link FlowStart} values. */
export interface FlowDecision {
  readonly queueId?: string;
  readonly skills: readonly string[];
  readonly language?: string;
  readonly priority: number;
  readonly tags: readonly string[];
  readonly autoAcknowledge?: Omit<AutoAcknowledgeAction, 'type'>;
  readonly disconnect?: { readonly reason: string };
  /** Indexes of the rules that matched, in order. */
  readonly matched: readonly number[];
  readonly trail: readonly FlowStep[];
}

type Predicate = (facts: Facts) => boolean;

interface CompiledRule {
  readonly index: number;
  readonly name?: string;
  readonly when: readonly Predicate[];
  readonly then: readonly FlowAction[];
  readonly stop: boolean;
  /** Why the rule can never match: a stored pattern the linear-time engine refuses. */
  readonly broken?: string;
}

/** A flow ready to evaluate: its patterns compiled once. */
export interface CompiledFlow {
  readonly id: string;
  readonly version: number;
  readonly rules: readonly CompiledRule[];
}

/**
 * Compiles a validated flow. Why compile apart from evaluation: a regular expression compiled per
 * message would cost more than matching it; the routing Lambda keeps compiled flows per version.
 */
export function compileFlow(id: string, version: number, definition: FlowDefinition): CompiledFlow {
  return {
    id,
    version,
    rules: definition.rules.map((rule, index) => {
      const base = { index, ...(rule.name !== undefined && { name: rule.name }), then: rule.then, stop: rule.stop === true };
      try {
        return { ...base, when: rule.when.map(compileCondition) };
      } catch (err) {
        // A version stored before patterns ran on RE2 may hold one RE2 refuses: the rule is skipped
        // (and says so in the trail) instead of failing every message routed through the flow.
        return { ...base, when: [], broken: `pattern refused by the linear-time engine: ${(err as Error).message}` };
      }
    }),
  };
}

/** Evaluates `flow` on one message, starting from `start` (default: no queue, no skills, priority 0). */
export function evaluateFlow(flow: CompiledFlow, input: FlowInput, start: FlowStart = { skills: [], priority: 0 }): FlowDecision {
  const facts = new Facts(input);
  const state: Mutable = { ...start, skills: [...start.skills], tags: [], matched: [], trail: [] };
  for (const rule of flow.rules) {
    if (rule.broken) {
      state.trail.push({ rule: rule.index, ...(rule.name !== undefined && { ruleName: rule.name }), action: 'skipped', detail: rule.broken });
      continue;
    }
    if (!rule.when.every((p) => p(facts))) continue;
    state.matched.push(rule.index);
    const step = (action: FlowStep['action'], detail: string) =>
      state.trail.push({ rule: rule.index, ...(rule.name !== undefined && { ruleName: rule.name }), action, detail });
    step('matched', rule.when.length ? `all ${rule.when.length} condition(s) matched` : 'no conditions: always');
    for (const action of rule.then) {
      step(action.type, apply(state, action));
      if (state.disconnect) break;
    }
    if (rule.stop || state.disconnect) break;
  }
  return state;
}

/**
 * The interaction trail entries of a decision under step `flow`: one line per matched rule, naming
 * what each of its actions did. Why a line per rule and not per action: "why is this mail in
 * billing with priority 30?" must be answerable from the trail alone, yet a valid 100-rule flow
 * with 20 actions per rule would otherwise write 2,100 entries and overflow the item (decision 12).
 * Past {@link MAX_FLOW_TRAIL_RULES} matched rules one line says how many more matched.
 */
export function flowTrailEntries(flow: Pick<CompiledFlow, 'id' | 'version'>, decision: FlowDecision, at: Date): TrailEntry[] {
  const iso = at.toISOString();
  const head = `flow ${flow.id} v${flow.version}`;
  if (decision.trail.length === 0) return [{ at: iso, step: 'flow', detail: `${head}: no rule matched` }];
  const lines: string[] = [];
  let last: number | undefined;
  for (const s of decision.trail) {
    const what = s.action === 'matched' ? s.detail : `${s.action} ${s.detail}`;
    if (s.rule === last) lines[lines.length - 1] += `; ${what}`;
    else lines.push(`${head} rule ${s.rule + 1}${s.ruleName ? ` "${s.ruleName}"` : ''}: ${what}`);
    last = s.rule;
  }
  const kept = lines.length > MAX_FLOW_TRAIL_RULES ? [...lines.slice(0, MAX_FLOW_TRAIL_RULES - 1), `${head}: ${lines.length - MAX_FLOW_TRAIL_RULES + 1} more rules matched (trail cut; the flow version shows them)`] : lines;
  return kept.map((detail) => ({ at: iso, step: 'flow', detail: cutText(detail, ITEM_LIMITS.maxTrailDetailChars) }));
}

/** Matched rules written to the trail one line each; the trail keeps at most 100 entries in all. */
export const MAX_FLOW_TRAIL_RULES = 40;

interface Mutable {
  queueId?: string;
  skills: string[];
  language?: string;
  priority: number;
  tags: string[];
  autoAcknowledge?: Omit<AutoAcknowledgeAction, 'type'>;
  disconnect?: { reason: string };
  matched: number[];
  trail: FlowStep[];
}

/** Applies one action and says what it did. */
function apply(s: Mutable, a: FlowAction): string {
  switch (a.type) {
    case 'setQueue':
      s.queueId = a.queueId;
      return `queue ${a.queueId}`;
    case 'setSkills':
      s.skills = [...new Set(a.skills)];
      return `skills [${s.skills.join(', ')}]`;
    case 'addSkills':
      s.skills = [...new Set([...s.skills, ...a.skills])];
      return `skills [${s.skills.join(', ')}]`;
    case 'setLanguage':
      s.language = a.language;
      return `language ${a.language}`;
    case 'setPriority':
      s.priority = clampPriority(a.priority);
      return `priority ${s.priority}`;
    case 'adjustPriority': {
      const before = s.priority;
      s.priority = clampPriority(before + a.delta);
      return `priority ${before} ${a.delta < 0 ? '-' : '+'} ${Math.abs(a.delta)} = ${s.priority}`;
    }
    case 'autoAcknowledge': {
      if (s.autoAcknowledge) return 'skipped: an acknowledgement is already requested';
      const { type: _type, ...request } = a;
      s.autoAcknowledge = request;
      return a.templateId !== undefined ? `template ${a.templateId}` : 'inline template';
    }
    case 'tag':
      s.tags = [...new Set([...s.tags, ...a.tags])];
      return `tags [${a.tags.join(', ')}]`;
    case 'disconnect':
      s.disconnect = { reason: a.reason };
      return `reason: ${a.reason}`;
  }
}

/** The message's values per field, cut and lower-cased once per evaluation, on first use. */
class Facts {
  private readonly cache = new Map<string, readonly string[]>();
  constructor(private readonly input: FlowInput) {}

  values(c: FlowCondition): readonly string[] {
    const key = `${c.field}:${c.header ?? c.verdict ?? ''}`;
    let values = this.cache.get(key);
    if (!values) {
      values = this.raw(c).filter((v) => v !== '').map((v) => matchInput(v).toLowerCase());
      this.cache.set(key, values);
    }
    return values;
  }

  private raw(c: FlowCondition): readonly string[] {
    const i = this.input;
    switch (c.field) {
      case 'recipient':
        return i.recipients;
      case 'sender':
        return [i.from?.address ?? '', i.mailFrom];
      case 'subject':
        return [i.subject];
      case 'body':
        return [i.text];
      case 'header':
        return [i.headers[(c.header ?? '').toLowerCase()] ?? ''];
      case 'language':
        return [i.language ?? ''];
      case 'verdict':
        return [c.verdict ? i.verdicts[c.verdict] : ''];
    }
  }
}

/** A condition as a predicate; all comparisons on lower-cased values (patterns use the `i` flag). */
function compileCondition(c: FlowCondition): Predicate {
  const test = compileTest(c);
  const matches: Predicate = (facts) => test(facts.values(c));
  // An undetermined language satisfies no condition on it, negated ones included: "language is not
  // en" must not turn a text too short to tell into a hard requirement for another language.
  if (c.field === 'language') return (facts) => facts.values(c).length > 0 && (c.not ? !matches(facts) : matches(facts));
  return c.not ? (facts) => !matches(facts) : matches;
}

function compileTest(c: FlowCondition): (values: readonly string[]) => boolean {
  const value = (c.value ?? '').toLowerCase();
  switch (c.op) {
    case 'exists':
      return (values) => values.length > 0;
    case 'equals':
      return (values) => values.some((v) => v === value);
    case 'contains':
      return (values) => values.some((v) => v.includes(value));
    case 'in': {
      const set = new Set((c.values ?? []).map((v) => v.toLowerCase()));
      return (values) => values.some((v) => set.has(v));
    }
    case 'matches': {
      const pattern = compilePattern(c.value ?? '');
      return (values) => values.some((v) => pattern.test(v));
    }
  }
}
