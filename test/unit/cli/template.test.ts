import { describe, expect, it } from 'vitest';
import { formatTemplate, formatTemplateList } from '../../../lambdas/cli/commands/template.ts';

const ack = { id: 'ack-en', name: 'English', subject: 'Got it: {{subject}}', body: 'Hello {{from.name}}', createdAt: '2026-11-23T09:00:00.000Z', updatedAt: '2026-11-23T09:05:00.000Z' };

describe('template command output', () => {
  it('lists templates as a table, and says so when there are none', () => {
    expect(formatTemplateList([])).toBe('No templates.');
    expect(formatTemplateList([ack]).split('\n').map((l) => l.split(/\s{2,}/))).toEqual([
      ['ID', 'NAME', 'SUBJECT', 'UPDATED'],
      ['ack-en', 'English', 'Got it: {{subject}}', '2026-11-23T09:05:00.000Z'],
    ]);
  });

  it('shows the subject and body unrendered, placeholders and all', () => {
    expect(formatTemplate(ack)).toBe('Template ack-en: English\n  Updated: 2026-11-23T09:05:00.000Z\n  Subject: Got it: {{subject}}\n\nHello {{from.name}}');
  });
});
