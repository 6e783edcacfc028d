export * from './types';
export * from './report-schema';
export { buildAuditReport } from './build-audit-report';
export { renderAuditMarkdown, renderAuditSummary } from './render-markdown';
export { renderCfnValue } from './render-cfn-value';
export { SERVING_DECISION_METADATA_KEY } from './decisions-section';
export { TemplateIndex, stackPartOf } from './template-index';
