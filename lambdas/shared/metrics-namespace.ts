/**
 * Metric namespace shared by every platform function; dimensions tell them apart. Its own module without imports, so
 * the constructs (alarms, dashboards) read it without loading Powertools.
 */
export const METRICS_NAMESPACE = 'MlopsBlueprint';
