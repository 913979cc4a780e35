/**
 * The mail server form's fields in the seed's order (steps 1-11): type, name and description, host,
 * port, TLS, authentication, user and password, the IMAP options, the routing of an inbound server,
 * the sender addresses and role of an SMTP server, enabled. Fields that do not apply to the chosen
 * type or authentication are not shown (and not sent).
 */
import { Field } from '../../../components/ui/index.ts';
import { fieldError } from '../../../components/forms/field-errors.ts';
import { useT } from '../../../lib/i18n/index.tsx';
import { SERVER_FORM_LIMITS as L } from '../api/limits.ts';
import { serverTexts, type ServerKey } from '../i18n/index.ts';
import { OAuth2Fields } from './oauth2-fields.tsx';
import type { FieldsProps, ServerDraft } from './server-draft.ts';
import { CheckField, TextField } from './text-field.tsx';

/** The paths of `error.fields` these fields show; the rest go to the form's summary. */
export const SERVER_FIELD_PATHS = [
  'type', 'name', 'description', 'host', 'port', 'tls', 'requireStartTls', 'authType', 'user', 'password', 'imapFolder',
  'sniServerName', 'disableCompression', 'routing', 'additionalSenders', 'role', 'enabled', 'backfillDays', 'oauth2',
] as const;

/** Default ports by type and TLS (seed step 4; core DEFAULT_MAIL_SERVER_PORTS). */
const DEFAULT_PORTS = { imap: [993, 143], pop3: [995, 110], smtp: [465, 587] } as const;

/** Every field of the form. */
export function ServerFields(p: FieldsProps) {
  const t = useT(serverTexts);
  const { draft: d, set } = p;
  const err = (path: string) => fieldError(p.error, path);
  const inbound = d.type !== 'smtp';
  const defaultPort = DEFAULT_PORTS[d.type][d.tls ? 0 : 1];
  return (
    <>
      <Field label={t('field.type')} error={err('type')} hint={t(`hint.type.${d.type}` as ServerKey)}>
        {(c) => (
          <select {...c} value={d.type} onChange={(e) => set({ type: e.target.value as ServerDraft['type'] })}>
            <option value="imap">IMAP</option>
            <option value="pop3">POP3</option>
            <option value="smtp">SMTP</option>
          </select>
        )}
      </Field>
      <TextField label={t('field.name')} value={d.name} onChange={(name) => set({ name })} error={err('name')} max={L.maxNameChars} required />
      <TextField label={t('field.description')} value={d.description} onChange={(description) => set({ description })} error={err('description')} max={L.maxDescriptionChars} multiline />
      <TextField label={t('field.host')} value={d.host} onChange={(host) => set({ host })} error={err('host')} max={L.maxHostChars} hint={t('hint.host')} required />
      <TextField label={t('field.port')} value={d.port} onChange={(port) => set({ port })} error={err('port')} type="number" hint={t('hint.port', { port: defaultPort })} />
      <CheckField label={t('field.tls')} checked={d.tls} onChange={(tls) => set({ tls })} error={err('tls')} hint={t('hint.tls')} />
      {!d.tls && <CheckField label={t('field.requireStartTls')} checked={d.requireStartTls} onChange={(requireStartTls) => set({ requireStartTls })} error={err('requireStartTls')} />}
      <Field label={t('field.authType')} error={err('authType')} hint={d.type === 'pop3' && d.authType === 'oauth2' ? t('hint.oauth2Pop3') : undefined}>
        {(c) => (
          <select {...c} value={d.authType} onChange={(e) => set({ authType: e.target.value as ServerDraft['authType'] })}>
            <option value="basic">{t('auth.basic')}</option>
            <option value="oauth2">OAuth2</option>
          </select>
        )}
      </Field>
      <TextField label={t('field.user')} value={d.user} onChange={(user) => set({ user })} error={err('user')} max={L.maxUserChars} hint={t(inbound ? 'hint.userInbound' : 'hint.userSmtp')} required />
      {d.authType === 'basic' && (
        <TextField
          label={t('field.password')}
          value={d.password}
          onChange={(password) => set({ password })}
          error={err('password')}
          max={L.maxPasswordChars}
          type="password"
          autoComplete="new-password"
          hint={p.editing ? t('hint.passwordKept') : undefined}
        />
      )}
      {d.authType === 'oauth2' && <OAuth2Fields {...p} />}
      {d.type === 'imap' && (
        <>
          <TextField label={t('field.imapFolder')} value={d.imapFolder} onChange={(imapFolder) => set({ imapFolder })} error={err('imapFolder')} max={L.maxImapFolderChars} hint={t('hint.imapFolder')} />
          <CheckField label={t('field.disableCompression')} checked={d.disableCompression} onChange={(disableCompression) => set({ disableCompression })} error={err('disableCompression')} />
        </>
      )}
      <TextField label={t('field.sniServerName')} value={d.sniServerName} onChange={(sniServerName) => set({ sniServerName })} error={err('sniServerName')} max={L.maxSniServerNameChars} hint={t('hint.sni')} />
      {inbound && <RoutingFields {...p} />}
      {d.type === 'smtp' && (
        <>
          <TextField
            label={t('field.additionalSenders')}
            value={d.additionalSenders}
            onChange={(additionalSenders) => set({ additionalSenders })}
            error={err('additionalSenders')}
            hint={t('hint.additionalSenders', { max: L.maxAdditionalSenders })}
            multiline
          />
          <Field label={t('field.role')} error={err('role')} hint={t('hint.role')}>
            {(c) => (
              <select {...c} value={d.role} onChange={(e) => set({ role: e.target.value as ServerDraft['role'] })}>
                <option value="agent">{t('role.agent')}</option>
                <option value="template">{t('role.template')}</option>
              </select>
            )}
          </Field>
        </>
      )}
      <CheckField label={t('field.enabled')} checked={d.enabled} onChange={(enabled) => set({ enabled })} error={err('enabled')} hint={t('hint.enabled')} />
    </>
  );
}

/** Where an inbound server's mail goes (SRV-4) and how far back its first poll reaches. */
function RoutingFields({ draft: d, set, error, options }: FieldsProps) {
  const t = useT(serverTexts);
  return (
    <fieldset>
      <legend>{t('field.routing')}</legend>
      <Field label={t('field.routingKind')} error={fieldError(error, 'routing') && !d.routingKind ? fieldError(error, 'routing') : undefined} hint={t('hint.routing')}>
        {(c) => (
          <select {...c} value={d.routingKind} onChange={(e) => set({ routingKind: e.target.value as ServerDraft['routingKind'] })}>
            <option value="">{t('routing.none')}</option>
            <option value="address">{t('routing.address')}</option>
            <option value="flow">{t('routing.flow')}</option>
          </select>
        )}
      </Field>
      {d.routingKind === 'address' && (
        <Field label={t('routing.address')} error={fieldError(error, 'routing')}>
          {(c) => (
            <select {...c} value={d.routingAddress} onChange={(e) => set({ routingAddress: e.target.value })}>
              <option value="">—</option>
              {(options?.addresses ?? []).map((a) => <option key={a} value={a}>{a}</option>)}
            </select>
          )}
        </Field>
      )}
      {d.routingKind === 'flow' && (
        <Field label={t('routing.flow')} error={fieldError(error, 'routing')}>
          {(c) => (
            <select {...c} value={d.routingFlowId} onChange={(e) => set({ routingFlowId: e.target.value })}>
              <option value="">—</option>
              {(options?.flows ?? []).map((f) => <option key={f} value={f}>{f}</option>)}
            </select>
          )}
        </Field>
      )}
      <TextField label={t('field.backfillDays')} value={d.backfillDays} onChange={(backfillDays) => set({ backfillDays })} error={fieldError(error, 'backfillDays')} type="number" hint={t('hint.backfillDays')} />
    </fieldset>
  );
}
