export * from './types';
export { buildAuditReport } from './build-audit-report';
export { alarmInventory, encryptionInventory, exposureInventory, retentionInventory, wildcardResourceInventory, type InventoryRow } from './inventory';
