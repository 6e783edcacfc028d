import { GetParameterCommand, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { NO_SERVED_VERSION } from '../../lib/rollout';

/** Reads a model's pin: a version number, or undefined while it is `none`. */
export async function readPin(ssm: SSMClient, parameter: string): Promise<number | undefined> {
  const { Parameter } = await ssm.send(new GetParameterCommand({ Name: parameter }));
  const value = Parameter?.Value;
  return value === undefined || value === NO_SERVED_VERSION ? undefined : Number(value);
}

/** Moves a model's pin; what the next CloudFormation update of the deployment resolves. */
export async function writePin(ssm: SSMClient, parameter: string, version: number | undefined): Promise<void> {
  await ssm.send(new PutParameterCommand({ Name: parameter, Value: version === undefined ? NO_SERVED_VERSION : String(version), Overwrite: true }));
}
