import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { InvalidPropError, isResolved } from '../shared/prop-validation';

const NAME = 'LakehouseStorage';
const MIN_STANDARD_IA_DAYS = 30;

export interface ResolvedLifecycle {
  readonly bronzeInfrequentAccessAfter: Duration;
  readonly bronzeArchiveAfter: Duration;
  readonly silverInfrequentAccessAfter: Duration;
}

export function validateLifecycle(lifecycle: ResolvedLifecycle): void {
  const { bronzeInfrequentAccessAfter, bronzeArchiveAfter, silverInfrequentAccessAfter } = lifecycle;
  for (const [prop, value] of [
    ['bronzeInfrequentAccessAfter', bronzeInfrequentAccessAfter],
    ['silverInfrequentAccessAfter', silverInfrequentAccessAfter],
  ] as const) {
    if (value.toDays() < MIN_STANDARD_IA_DAYS) {
      throw new InvalidPropError(NAME, prop, `${value.toDays()} days`, `S3 moves objects to Standard-IA after at least ${MIN_STANDARD_IA_DAYS} days`);
    }
  }
  if (bronzeArchiveAfter.toDays() <= bronzeInfrequentAccessAfter.toDays()) {
    throw new InvalidPropError(
      NAME,
      'bronzeArchiveAfter',
      `${bronzeArchiveAfter.toDays()} days`,
      `must be later than bronzeInfrequentAccessAfter (${bronzeInfrequentAccessAfter.toDays()} days)`,
    );
  }
}

export function validateRemoval(removalPolicy: RemovalPolicy, autoDeleteObjects: boolean): void {
  if (autoDeleteObjects && removalPolicy !== RemovalPolicy.DESTROY) {
    throw new InvalidPropError(NAME, 'autoDeleteObjects', true, 'only allowed with removalPolicy DESTROY: retained buckets are never emptied');
  }
}

export function validateQuarantinePrefix(prefix: string): void {
  if (!isResolved(prefix)) return;
  if (!/^[A-Za-z0-9_\-=.]+(\/[A-Za-z0-9_\-=.]+)*\/$/.test(prefix)) {
    throw new InvalidPropError(NAME, 'quarantinePrefix', prefix, "a key prefix of letters, digits, '_-=.' segments ending in '/', e.g. 'quarantine/'");
  }
}

export function validateDatabaseNamePrefix(prefix: string): void {
  if (!isResolved(prefix)) return;
  if (!/^[a-z0-9_]{1,240}$/.test(prefix)) {
    throw new InvalidPropError(NAME, 'databaseNamePrefix', prefix, 'lower-case letters, digits and underscores, 1-240 characters (Glue database names)');
  }
}

export function validateWorkGroupName(name: string): void {
  if (!isResolved(name)) return;
  if (!/^[a-zA-Z0-9._-]{1,128}$/.test(name)) {
    throw new InvalidPropError(NAME, 'workGroupName', name, 'letters, digits, period, underscore and hyphen, 1-128 characters (Athena workgroup names)');
  }
}
