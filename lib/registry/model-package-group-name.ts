/** SageMaker's ModelPackageGroupName rule, as one sentence for error messages. */
export const MODEL_PACKAGE_GROUP_NAME_RULE = 'letters, digits and hyphens, starting and ending with a letter or digit, at most 63 characters';

const PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;

/** Whether `name` is a valid model package group name (the pattern alone does not bound the length when it has hyphens). */
export function isModelPackageGroupName(name: string): boolean {
  return name.length <= 63 && PATTERN.test(name);
}

/** The prefix of an environment's model package groups: environments sharing an account do not collide. */
export function modelPackageGroupPrefix(environmentName: string): string {
  return `${environmentName}-`;
}

/** The model package group of one model of an environment (`dev-churn-classifier`). */
export function modelPackageGroupName(environmentName: string, modelName: string): string {
  return `${modelPackageGroupPrefix(environmentName)}${modelName}`;
}
