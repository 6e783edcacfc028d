/** The package cannot be served as it is: a deterministic outcome, logged and counted, never retried. */
export class PackageRejectedError extends Error {
  constructor(
    readonly modelPackageArn: string,
    readonly reasons: readonly string[],
  ) {
    super(`model package ${modelPackageArn} rejected: ${reasons.join('; ')}`);
    this.name = 'PackageRejectedError';
  }
}

/** The serving repository already holds this model version with a different artifact; it is never overwritten. */
export class ArtifactConflictError extends Error {
  constructor(
    readonly modelPackageArn: string,
    readonly repositoryKey: string,
    readonly existing: { readonly modelPackageArn?: string; readonly sourceEtag?: string },
  ) {
    super(
      `s3 key ${repositoryKey} already holds an artifact from ${existing.modelPackageArn ?? 'an unknown package'} (source etag ${existing.sourceEtag ?? 'unknown'}); refusing to overwrite it with ${modelPackageArn}`,
    );
    this.name = 'ArtifactConflictError';
  }
}
