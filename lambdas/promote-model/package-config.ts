/** What the repository gets without a packaged config.json: every key of the serving config schema is optional. */
export const DEFAULT_CONFIG = '{}\n';

/**
 * Why a packaged config.json (beside the .onnx object, or beside the .onnx inside an archive) cannot be served as is,
 * or undefined when it is a JSON object. It is copied verbatim; the serving container validates its keys.
 */
export function configJsonProblem(text: string, where: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return `${where} is not valid JSON: ${(error as Error).message}`;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return `${where} must hold a JSON object`;
  return undefined;
}
