import { z } from 'zod';

/** The Grafana version the workspace runs: the build of @grafana/grafana-foundation-sdk the dashboards are made with. */
export const GRAFANA_VERSION = '10.4';

/** Who will use the workspace: only for the monthly cost estimate (Grafana bills each active user per month). */
const expectedUsersSchema = z.strictObject({
  /** Users who edit dashboards or administer the workspace in a month. */
  editors: z.number().int().min(0).max(10_000),
  /** Users who only view dashboards in a month. */
  viewers: z.number().int().min(0).max(10_000),
});

const common = {
  /** Active users a month, for the cost estimate (README, audit report). @default - 1 editor, 0 viewers */
  expectedUsers: expectedUsersSchema.default({ editors: 1, viewers: 0 }),
};

const groupName = z.string().min(1).max(256);

/**
 * An Amazon Managed Grafana workspace for the environment, with the generated dashboards. How people sign in: IAM
 * Identity Center (users and groups assigned to the workspace after deploy) or a SAML 2.0 identity provider.
 */
export const grafanaConfigSchema = z.discriminatedUnion('authentication', [
  z.strictObject({
    /** IAM Identity Center users and groups; assign them to the workspace (Admin/Editor/Viewer) after deploy. */
    authentication: z.literal('AWS_SSO'),
    ...common,
  }),
  z.strictObject({
    /** A SAML 2.0 identity provider (Okta, Entra ID, ...). */
    authentication: z.literal('SAML'),
    /** URL of the identity provider's SAML metadata document. */
    samlMetadataUrl: z.url({ protocol: /^https$/, error: 'an https:// URL of the identity provider SAML metadata' }),
    /** Assertion attribute holding the user's groups. */
    groupsAttribute: z.string().min(1).max(256).default('groups'),
    /** Groups (values of `groupsAttribute`) that are Grafana admins. */
    adminGroups: z.array(groupName).min(1),
    /** Groups that are Grafana editors; everyone else who signs in is a viewer. @default - none */
    editorGroups: z.array(groupName).default([]),
    /** Minutes a SAML sign-in stays valid (Amazon Managed Grafana allows up to 30 days). @default 1440 (a day) */
    loginValidityMinutes: z.number().int().min(5).max(43_200).default(1440),
    ...common,
  }),
]);
export type GrafanaConfig = z.infer<typeof grafanaConfigSchema>;
