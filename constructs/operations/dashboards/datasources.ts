/** The data sources every generated dashboard names, with the explicit uids the provisioning creates them under. */
export const PROMETHEUS_DATASOURCE = { type: 'grafana-amazonprometheus-datasource', uid: 'mlops-amp' } as const;
export const CLOUDWATCH_DATASOURCE = { type: 'cloudwatch', uid: 'mlops-cloudwatch' } as const;

/** Grafana's built-in interval variable: at least 4 scrape intervals, so a rate() always spans two samples. */
export const RATE_INTERVAL = '$__rate_interval';
/** Name of the serving dashboard's model variable (`$model` in queries). */
export const MODEL_VARIABLE = 'model';
