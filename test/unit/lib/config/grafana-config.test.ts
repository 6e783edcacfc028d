import { ConfigError, grafanaConfigSchema, loadEnvironment } from '../../../../lib/config';
import { cdkContext } from '../../../support/cdk-context';

function messageOf(grafana: unknown): string {
  const envs = structuredClone(cdkContext().environments) as Record<string, Record<string, any>>;
  envs.dev.monitoring = { ...(envs.dev.monitoring ?? {}), grafana };
  try {
    loadEnvironment(envs, 'dev');
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('grafana config', () => {
  test('IAM Identity Center: one editor and no viewer assumed for the cost estimate', () => {
    expect(grafanaConfigSchema.parse({ authentication: 'AWS_SSO' })).toEqual({ authentication: 'AWS_SSO', expectedUsers: { editors: 1, viewers: 0 } });
  });

  test('SAML defaults: groups attribute "groups", no editor group, a day per sign-in', () => {
    expect(grafanaConfigSchema.parse({ authentication: 'SAML', samlMetadataUrl: 'https://idp.example.com/metadata', adminGroups: ['admins'] })).toEqual({
      authentication: 'SAML',
      samlMetadataUrl: 'https://idp.example.com/metadata',
      groupsAttribute: 'groups',
      adminGroups: ['admins'],
      editorGroups: [],
      loginValidityMinutes: 1440,
      expectedUsers: { editors: 1, viewers: 0 },
    });
  });

  test('the sample config turns Grafana on in staging (IAM Identity Center) and prod (SAML), off in dev', () => {
    const environments = cdkContext().environments;
    const grafanaOf = (name: string) => loadEnvironment(environments, name).config.monitoring.grafana;
    expect(grafanaOf('dev')).toBeUndefined();
    expect(grafanaOf('staging')?.authentication).toBe('AWS_SSO');
    expect(grafanaOf('prod')?.authentication).toBe('SAML');
  });

  test.each([
    [{ authentication: 'LDAP' }, /monitoring\.grafana\.authentication: got "LDAP"/],
    [
      { authentication: 'SAML', samlMetadataUrl: 'http://idp.example.com/metadata', adminGroups: ['admins'] },
      /monitoring\.grafana\.samlMetadataUrl: got "http:\/\/idp\.example\.com\/metadata"; an https:\/\/ URL/,
    ],
    [{ authentication: 'SAML', samlMetadataUrl: 'https://idp.example.com/metadata', adminGroups: [] }, /monitoring\.grafana\.adminGroups/],
    [
      { authentication: 'SAML', samlMetadataUrl: 'https://idp.example.com/metadata', adminGroups: ['a'], loginValidityMinutes: 1 },
      /monitoring\.grafana\.loginValidityMinutes: got 1/,
    ],
    [{ authentication: 'AWS_SSO', expectedUsers: { editors: -1, viewers: 0 } }, /monitoring\.grafana\.expectedUsers\.editors: got -1/],
    [{ authentication: 'AWS_SSO', adminGroups: ['admins'] }, /monitoring\.grafana\.adminGroups: got \["admins"\]; unknown key/],
  ])('%j fails with one line naming the key and the value', (grafana, expected) => {
    const message = messageOf(grafana);
    expect(message).toMatch(expected);
    expect(message.split('\n').filter((line) => line.includes('monitoring.grafana'))).toHaveLength(1);
  });
});
