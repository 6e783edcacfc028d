import { Testing } from 'cdktf';
import { loadEnvironment } from '../../../../lib/config';
import { decideEnvironment, type EksSizing } from '../../../../lib/decision';
import { cdkContext } from '../../../support/cdk-context';

/** The EKS sizings the decision matrix gives the prod models of cdk.json (fraud-scorer CPU, doc-embedder GPU). */
export function prodEksSizing(modelName: 'fraud-scorer' | 'doc-embedder'): EksSizing {
  const { config } = loadEnvironment(cdkContext().environments, 'prod');
  const model = decideEnvironment(config).models.find((m) => m.modelName === modelName);
  const sizing = model?.decision.options.eks?.sizing;
  if (!sizing || sizing.target !== 'eks') throw new Error(`prod ${modelName} has no EKS option`);
  return sizing;
}

export type TerraformJson = {
  provider: Record<string, Array<Record<string, unknown>>>;
  variable: Record<string, Record<string, unknown>>;
  output?: Record<string, { value: string }>;
  resource: Record<string, Record<string, Record<string, any>>>;
};

export function synthJson(build: (scope: Parameters<Parameters<typeof Testing.synthScope>[0]>[0]) => void): TerraformJson {
  return JSON.parse(Testing.synthScope(build)) as TerraformJson;
}

/** The one resource of a type whose Terraform name starts with `namePrefix` (cdktf joins the construct path with `_`). */
export function resourceOf(json: TerraformJson, type: string, namePrefix = ''): Record<string, any> {
  const matches = Object.entries(json.resource[type] ?? {}).filter(([name]) => name.startsWith(namePrefix));
  if (matches.length !== 1) throw new Error(`expected one ${type} named ${namePrefix}*, found ${matches.length}`);
  return matches[0][1];
}

export function countOf(json: TerraformJson, type: string): number {
  return Object.keys(json.resource[type] ?? {}).length;
}
