/**
 * The OAuth2 callback's path, shared by the API route (lambdas/adapters/api/routes/oauth2.ts) and
 * the API Gateway route that serves it without an authorizer (lib/constructs/admin-api.ts): the
 * redirect URI registered with a provider is the API's URL plus this path.
 */
export const OAUTH2_CALLBACK_PATH = '/oauth2/callback';
