import {
  ConflictException,
  CreateWorkspaceServiceAccountCommand,
  CreateWorkspaceServiceAccountTokenCommand,
  DeleteWorkspaceServiceAccountCommand,
  DeleteWorkspaceServiceAccountTokenCommand,
  type GrafanaClient,
  ListWorkspaceServiceAccountsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-grafana';
import { GRAFANA_SERVICE_ACCOUNT, GRAFANA_TOKEN_TTL_SECONDS } from '../../lib/monitoring/grafana-provisioning';

/** What provisioning logs: messages and ids, never a token (there is no field for one). */
export interface ProvisioningLog {
  info(message: string, attributes: Record<string, string | number | boolean | undefined>): void;
  warn(message: string, attributes: Record<string, string | number | boolean | undefined>): void;
}

/**
 * The workspace's provisioning service account (`CreateWorkspaceServiceAccount`, Grafana admin); when it exists
 * already (a retried Create), the existing one by name.
 */
export async function ensureServiceAccount(grafana: GrafanaClient, workspaceId: string): Promise<string> {
  try {
    const created = await grafana.send(new CreateWorkspaceServiceAccountCommand({ workspaceId, ...GRAFANA_SERVICE_ACCOUNT }));
    return created.id!;
  } catch (error) {
    if (!(error instanceof ConflictException)) throw error;
  }
  let nextToken: string | undefined;
  do {
    const page = await grafana.send(new ListWorkspaceServiceAccountsCommand({ workspaceId, nextToken }));
    const found = page.serviceAccounts?.find((account) => account.name === GRAFANA_SERVICE_ACCOUNT.name);
    if (found?.id) return found.id;
    nextToken = page.nextToken;
  } while (nextToken);
  throw new Error(`Service account ${GRAFANA_SERVICE_ACCOUNT.name} of workspace ${workspaceId} conflicts on create but is not listed`);
}

/** Deletes the service account (and with it any token left); an account or workspace already gone counts as done. */
export async function deleteServiceAccount(grafana: GrafanaClient, workspaceId: string, serviceAccountId: string): Promise<void> {
  try {
    await grafana.send(new DeleteWorkspaceServiceAccountCommand({ workspaceId, serviceAccountId }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
}

/**
 * Runs `use` with a fresh token of the service account that lives at most GRAFANA_TOKEN_TTL_SECONDS, and deletes the
 * token in `finally`, whether `use` succeeded or not. An error that quotes the token is rethrown with it redacted.
 */
export async function withServiceAccountToken<T>(
  grafana: GrafanaClient,
  account: { workspaceId: string; serviceAccountId: string },
  log: ProvisioningLog,
  use: (token: string) => Promise<T>,
): Promise<T> {
  const { workspaceId, serviceAccountId } = account;
  const created = await grafana.send(
    new CreateWorkspaceServiceAccountTokenCommand({
      workspaceId,
      serviceAccountId,
      name: `provisioning-${Date.now()}`,
      secondsToLive: GRAFANA_TOKEN_TTL_SECONDS,
    }),
  );
  const tokenId = created.serviceAccountToken?.id;
  const key = created.serviceAccountToken?.key;
  if (!tokenId || !key) throw new Error(`CreateWorkspaceServiceAccountToken returned no token for service account ${serviceAccountId}`);
  log.info('Created a provisioning token', { workspaceId, serviceAccountId, tokenId, secondsToLive: GRAFANA_TOKEN_TTL_SECONDS });
  try {
    return await use(key);
  } catch (error) {
    throw redacted(error, key);
  } finally {
    try {
      await grafana.send(new DeleteWorkspaceServiceAccountTokenCommand({ workspaceId, serviceAccountId, tokenId }));
      log.info('Deleted the provisioning token', { workspaceId, serviceAccountId, tokenId });
    } catch (error) {
      // The token expires by itself within GRAFANA_TOKEN_TTL_SECONDS; the provisioning result stands.
      log.warn('Could not delete the provisioning token; it expires by itself', {
        workspaceId,
        serviceAccountId,
        tokenId,
        error: redacted(error, key).message,
      });
    }
  }
}

function redacted(error: unknown, key: string): Error {
  const original = error instanceof Error ? error : new Error(String(error));
  if (!original.message.includes(key)) return original;
  const copy = new Error(original.message.split(key).join('[redacted]'));
  copy.name = original.name;
  return copy;
}
