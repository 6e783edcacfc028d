import { z } from 'zod';
import { isModelPackageGroupName, MODEL_PACKAGE_GROUP_NAME_RULE } from '../../lib/registry';

const modelPackageGroupsSchema = z.record(z.string(), z.string().min(1, 'a model name')).superRefine((groups, ctx) => {
  if (Object.keys(groups).length === 0) ctx.addIssue({ code: 'custom', message: 'at least one group' });
  for (const group of Object.keys(groups)) {
    if (!isModelPackageGroupName(group)) {
      ctx.addIssue({ code: 'custom', path: [group], message: `a SageMaker model package group name: ${MODEL_PACKAGE_GROUP_NAME_RULE}` });
    }
  }
});

/**
 * MODEL_PACKAGE_GROUPS: JSON `{"<model package group>": "<model name>"}`. The group is what SageMaker events name;
 * the model name is the folder of the serving repository layout. Throws at init, naming the variable, when malformed.
 */
export function parseModelPackageGroups(text: string): ReadonlyMap<string, string> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`MODEL_PACKAGE_GROUPS is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = modelPackageGroupsSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `MODEL_PACKAGE_GROUPS must be a JSON object {"<model package group>": "<model name>"}: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`,
    );
  }
  return new Map(Object.entries(parsed.data));
}
