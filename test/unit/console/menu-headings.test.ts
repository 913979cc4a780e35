/**
 * Every menu entry says the same words as the heading of the page it opens, in every language: an
 * admin who clicks "Domains" and lands on "E-mail domains" wonders whether it is the same page.
 * The table names, per navigable route, the dictionary and key of its page's <h1>; a route in the
 * menu without a row here fails too, so a new page cannot skip the rule.
 */
import { describe, expect, it } from 'vitest';
import { addressTexts } from '../../../console/src/features/admin-addresses/i18n/index.ts';
import { agentTexts } from '../../../console/src/features/admin-agents/i18n/index.ts';
import { domainTexts } from '../../../console/src/features/admin-domains/i18n/index.ts';
import { flowTexts } from '../../../console/src/features/admin-flows/i18n/index.ts';
import { outboundTexts } from '../../../console/src/features/admin-outbound/i18n/index.ts';
import { queueTexts } from '../../../console/src/features/admin-queues/i18n/index.ts';
import { serverTexts } from '../../../console/src/features/admin-servers/i18n/index.ts';
import { supervisorTexts } from '../../../console/src/features/supervisor/i18n/index.ts';
import { workspaceText } from '../../../console/src/features/workspace/i18n/index.ts';
import { common } from '../../../console/src/lib/i18n/common/index.ts';
import { LOCALES } from '../../../console/src/lib/i18n/types.ts';

type Texts = Readonly<Record<(typeof LOCALES)[number], Readonly<Record<string, string>>>>;

/** Menu key -> the texts and key of the heading its page shows (the page's PageHeader title). */
const HEADINGS: Readonly<Record<string, readonly [Texts, string]>> = {
  'nav.workspace': [workspaceText, 'workspace.title'],
  'nav.supervisor.queues': [supervisorTexts, 'tabs.queues'],
  'nav.supervisor.search': [supervisorTexts, 'tabs.search'],
  'nav.supervisor.quarantine': [supervisorTexts, 'tabs.quarantine'],
  'nav.supervisor.disposed': [supervisorTexts, 'tabs.disposed'],
  'nav.supervisor.deadLetters': [supervisorTexts, 'tabs.deadLetters'],
  'nav.admin.domains': [domainTexts, 'list.title'],
  'nav.admin.addresses': [addressTexts, 'title'],
  'nav.admin.queues': [queueTexts, 'title'],
  'nav.admin.agents': [agentTexts, 'agents.title'],
  'nav.admin.users': [agentTexts, 'users.title'],
  'nav.admin.flows': [flowTexts, 'list.title'],
  'nav.admin.templates': [flowTexts, 'templates.title'],
  'nav.admin.servers': [serverTexts, 'list.title'],
  'nav.admin.smtp': [outboundTexts, 'smtp.title'],
  'nav.admin.suppressions': [outboundTexts, 'suppressions.title'],
};

describe('menu entries and page headings', () => {
  it('covers every page entry of the menu', () => {
    const entries = Object.keys(common.en).filter((k) => /^nav\.(workspace$|supervisor\.|admin\.)/.test(k));
    expect(entries.sort()).toEqual(Object.keys(HEADINGS).sort());
  });

  it.each(LOCALES)('%s: each menu entry is its page heading, word for word', (locale) => {
    const differ = Object.entries(HEADINGS)
      .map(([nav, [texts, key]]) => [nav, (common[locale] as Readonly<Record<string, string>>)[nav], texts[locale][key]] as const)
      .filter(([, menu, heading]) => menu !== heading)
      .map(([nav, menu, heading]) => `${nav}: menu "${menu}", heading "${heading}"`);
    expect(differ).toEqual([]);
  });
});
