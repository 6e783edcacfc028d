import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { SERVED_MODEL_VERSION_VARIABLE, type EcsRolloutTarget } from '../../lib/rollout';
import { UnknownServedVersionError } from './errors';
import type { RolloutResult } from './rollout-result';

/** The task definition the service runs and the model version its serving container is pinned to. */
export async function ecsServedVersion(
  ecs: ECSClient,
  target: EcsRolloutTarget,
): Promise<{ taskDefinition: TaskDefinition; modelVersion: number | undefined }> {
  const { services } = await ecs.send(new DescribeServicesCommand({ cluster: target.cluster, services: [target.service] }));
  const service = services?.[0];
  if (service?.taskDefinition === undefined) throw new Error(`ECS service ${target.service} not found in cluster ${target.cluster}`);
  const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service.taskDefinition }));
  const container = taskDefinition?.containerDefinitions?.find((c) => c.name === target.containerName);
  const pinned = container?.environment?.find((variable) => variable.name === SERVED_MODEL_VERSION_VARIABLE)?.value;
  if (taskDefinition === undefined || pinned === undefined)
    throw new UnknownServedVersionError(`${target.service} (container ${target.containerName}, ${service.taskDefinition})`);
  return { taskDefinition, modelVersion: /^[0-9]+$/.test(pinned) ? Number(pinned) : undefined };
}

/**
 * Moves the service to `modelVersion`: registers a revision of its task definition that differs only in the serving
 * container's pin, and updates the service to it. ECS replaces the tasks by its rolling deployment, new tasks serve
 * only once ready, and the circuit breaker and the deployment alarms roll back to the previous revision.
 */
export async function rolloutEcs(ecs: ECSClient, target: EcsRolloutTarget, modelVersion: number): Promise<RolloutResult> {
  const served = await ecsServedVersion(ecs, target);
  if (served.modelVersion === modelVersion) return { kind: 'unchanged', servedVersion: modelVersion };
  const registered = await ecs.send(new RegisterTaskDefinitionCommand(withPin(served.taskDefinition, target.containerName, modelVersion)));
  const revision = registered.taskDefinition!.taskDefinitionArn!;
  const updated = await ecs.send(new UpdateServiceCommand({ cluster: target.cluster, service: target.service, taskDefinition: revision }));
  const deployment = updated.service?.deployments?.find((d) => d.status === 'PRIMARY');
  return { kind: 'started', from: served.modelVersion, to: modelVersion, deploymentId: deployment?.id ?? 'unknown', detail: revision };
}

/** The registrable fields of a described task definition, with the serving container's pin replaced. */
function withPin(current: TaskDefinition, containerName: string, modelVersion: number): RegisterTaskDefinitionCommandInput {
  const containerDefinitions = current.containerDefinitions!.map((container) => {
    if (container.name !== containerName) return container;
    const environment = (container.environment ?? []).filter((variable) => variable.name !== SERVED_MODEL_VERSION_VARIABLE);
    return { ...container, environment: [...environment, { name: SERVED_MODEL_VERSION_VARIABLE, value: String(modelVersion) }] };
  });
  return {
    family: current.family,
    taskRoleArn: current.taskRoleArn,
    executionRoleArn: current.executionRoleArn,
    networkMode: current.networkMode,
    containerDefinitions,
    volumes: current.volumes,
    placementConstraints: current.placementConstraints,
    requiresCompatibilities: current.requiresCompatibilities,
    cpu: current.cpu,
    memory: current.memory,
    runtimePlatform: current.runtimePlatform,
    ephemeralStorage: current.ephemeralStorage,
    pidMode: current.pidMode,
    ipcMode: current.ipcMode,
    proxyConfiguration: current.proxyConfiguration,
  };
}
