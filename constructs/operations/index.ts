export * from './metrics-workspace';
export * from './metrics-workspace-props';
export * from './operations-alerts';
export * from './operations-alerts-props';
export * from './serving-scrape-config';
export * from './serving-scraper';
export * from './serving-scraper-props';
