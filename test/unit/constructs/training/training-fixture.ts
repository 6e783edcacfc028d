import { Template } from 'aws-cdk-lib/assertions';
import type { EnvironmentConfig } from '../../../../lib/config';
import { TrainingStack } from '../../../../stacks/training-stack';
import { buildPlatformStacks } from '../../../support/platform-stacks';

export const SERVING_IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/onnx-serving:1';

/** The training stack of one configured environment with the stacks it builds on (no bundling, no schema validation). */
export function buildTrainingStack(environmentName: string, mutate?: (config: EnvironmentConfig) => void) {
  const { app, config, data, network, platform } = buildPlatformStacks(environmentName, { bundle: false, mutate });
  const training = new TrainingStack(app, 'Training', {
    environmentName,
    config,
    lakehouse: data.lakehouse,
    vpc: network.network.vpc,
    modelRegistry: platform.modelRegistry,
    servingImageUri: SERVING_IMAGE,
  });
  return { app, config, data, training, template: Template.fromStack(training) };
}

/**
 * The synthesized DefinitionString (an Fn::Join of literal parts and references) as the definition object, with each
 * reference replaced by a placeholder naming it: what Step Functions receives, minus the deploy-time values.
 */
export function synthesizedDefinition(template: Template): Record<string, any> {
  const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  if (machines.length !== 1) throw new Error(`expected one state machine, found ${machines.length}`);
  const definition = machines[0].Properties.DefinitionString;
  const text = typeof definition === 'string' ? definition : (definition['Fn::Join'][1] as unknown[]).map(placeholder).join('');
  return JSON.parse(text);
}

function placeholder(part: unknown): string {
  if (typeof part === 'string') return part;
  const ref = part as Record<string, unknown>;
  if ('Ref' in ref) return `REF_${String(ref.Ref).replace(/[^A-Za-z0-9]/g, '')}`;
  if ('Fn::GetAtt' in ref) return `GETATT_${(ref['Fn::GetAtt'] as string[]).join('_').replace(/[^A-Za-z0-9_]/g, '')}`;
  if ('Fn::ImportValue' in ref)
    return `IMPORT_${JSON.stringify(ref['Fn::ImportValue'])
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 40)}`;
  return 'TOKEN';
}
