/**
 * The OAuth2 settings of a server (SRV-5): provider, flow, client, tenant or endpoints, scopes, the
 * client secret's expiry, "re-authenticate on save" (seed step 7), and the client secret or
 * private key, which go to the secret store only and are never shown again.
 */
import { Field } from '../../../components/ui/index.ts';
import { fieldError } from '../../../components/forms/field-errors.ts';
import { useT } from '../../../lib/i18n/index.tsx';
import { serverTexts } from '../i18n/index.ts';
import type { FieldsProps, ServerDraft } from './server-draft.ts';
import { CheckField, TextField } from './text-field.tsx';

/** The OAuth2 group of the form. */
export function OAuth2Fields({ draft: d, set, error }: FieldsProps) {
  const t = useT(serverTexts);
  const err = (path: string) => fieldError(error, `oauth2.${path}`);
  return (
    <fieldset>
      <legend>OAuth2</legend>
      <Field label={t('oauth2.provider')} error={err('provider')}>
        {(c) => (
          <select {...c} value={d.oauth2Provider} onChange={(e) => set({ oauth2Provider: e.target.value as ServerDraft['oauth2Provider'] })}>
            <option value="microsoft">Microsoft 365</option>
            <option value="google">Google Workspace</option>
            <option value="custom">{t('oauth2.custom')}</option>
          </select>
        )}
      </Field>
      <Field label={t('oauth2.flow')} error={err('flow')}>
        {(c) => (
          <select {...c} value={d.oauth2Flow} onChange={(e) => set({ oauth2Flow: e.target.value as ServerDraft['oauth2Flow'] })}>
            <option value="authorization-code">{t('oauth2.flow.authorization-code')}</option>
            <option value="client-credentials">{t('oauth2.flow.client-credentials')}</option>
            <option value="service-account">{t('oauth2.flow.service-account')}</option>
          </select>
        )}
      </Field>
      <TextField label={t('oauth2.clientId')} value={d.oauth2ClientId} onChange={(oauth2ClientId) => set({ oauth2ClientId })} error={err('clientId')} required />
      {d.oauth2Provider === 'microsoft' && <TextField label={t('oauth2.tenant')} value={d.oauth2Tenant} onChange={(oauth2Tenant) => set({ oauth2Tenant })} error={err('tenant')} />}
      {d.oauth2Provider === 'custom' && (
        <>
          <TextField label={t('oauth2.authorizeUrl')} value={d.oauth2AuthorizeUrl} onChange={(oauth2AuthorizeUrl) => set({ oauth2AuthorizeUrl })} error={err('authorizeUrl')} type="url" />
          <TextField label={t('oauth2.tokenUrl')} value={d.oauth2TokenUrl} onChange={(oauth2TokenUrl) => set({ oauth2TokenUrl })} error={err('tokenUrl')} type="url" />
        </>
      )}
      <TextField label={t('oauth2.scopes')} value={d.oauth2Scopes} onChange={(oauth2Scopes) => set({ oauth2Scopes })} error={err('scopes')} hint={t('oauth2.scopesHint')} />
      <TextField label={t('oauth2.secretExpires')} value={d.clientSecretExpiresAt} onChange={(clientSecretExpiresAt) => set({ clientSecretExpiresAt })} error={err('clientSecretExpiresAt')} type="date" />
      {d.oauth2Flow === 'service-account' ? (
        <TextField label={t('oauth2.privateKey')} value={d.privateKey} onChange={(privateKey) => set({ privateKey })} error={fieldError(error, 'privateKey')} hint={t('oauth2.secretHint')} multiline />
      ) : (
        <TextField label={t('oauth2.clientSecret')} value={d.clientSecret} onChange={(clientSecret) => set({ clientSecret })} error={fieldError(error, 'clientSecret')} type="password" autoComplete="new-password" hint={t('oauth2.secretHint')} />
      )}
      {d.oauth2Flow === 'authorization-code' && (
        <CheckField label={t('oauth2.reauthenticate')} checked={d.reauthenticateOnSave} onChange={(reauthenticateOnSave) => set({ reauthenticateOnSave })} error={err('reauthenticateOnSave')} hint={t('oauth2.reauthenticateHint')} />
      )}
    </fieldset>
  );
}
