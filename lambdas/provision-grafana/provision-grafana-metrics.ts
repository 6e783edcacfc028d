/** The Powertools `service` of the provision-grafana function (its logs and traces). */
export const PROVISION_GRAFANA_SERVICE = 'provision-grafana';
