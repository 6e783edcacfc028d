/** onnxruntime execution providers the serving image can use: CUDA (the CUDA image on a GPU node) and the CPU. */
export const EXECUTION_PROVIDERS = ['cuda', 'cpu'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

/**
 * Creates the model's sessions with the first provider of `providers` that works, in order (`['cuda', 'cpu']`: the
 * GPU when there is one, else the CPU; `['cuda']`: the GPU or nothing). onnxruntime is asked for one provider at a
 * time, so the provider reported is the one in use, never a silent fallback.
 * @throws Error naming every provider tried and why it failed; for a GPU-only model, that it needs the CUDA image on a GPU node
 */
export async function createWithFirstProvider<T>(
  providers: readonly ExecutionProvider[],
  create: (provider: ExecutionProvider) => Promise<T>,
): Promise<{ provider: ExecutionProvider; value: T }> {
  const failures: string[] = [];
  for (const provider of providers) {
    try {
      return { provider, value: await create(provider) };
    } catch (error) {
      failures.push(`${provider}: ${(error as Error).message}`);
    }
  }
  const needsGpu = !providers.includes('cpu');
  throw new Error(
    needsGpu
      ? `requires the CUDA execution provider, which is not available here (${failures.join('; ')}); run the CUDA serving image on a GPU node, or allow "cpu" in executionProviders`
      : `no execution provider could load the model (${failures.join('; ')})`,
  );
}
