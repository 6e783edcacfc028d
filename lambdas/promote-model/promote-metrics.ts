/** Powertools service name of the promote-model function: the `service` dimension of its metrics. */
export const PROMOTE_SERVICE = 'promote-model';

/** Metric names the promote-model function emits (namespace MlopsBlueprint, service promote-model; no other dimension). */
export const PROMOTE_METRICS = {
  packagesPromoted: 'ModelPackagesPromoted',
  /** Approved packages that will not be served (failed checks, or an artifact conflicting with a promoted version). */
  packagesRejected: 'ModelPackagesRejected',
  promotionsSkipped: 'ModelPromotionsSkipped',
} as const;
