/**
 * Renders a CloudFormation value as a flat string the way cdk-nag renders the resources and actions of its findings
 * (`{"Fn::GetAtt": ["Bucket", "Arn"]}` → `<Bucket.Arn>`, `${AWS::Region}` → `<AWS::Region>`, joins concatenated,
 * imports by their export name), so a wildcard in a template can be joined to the acknowledgment made for it.
 */
export function renderCfnValue(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (value !== null && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    const join = node['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, items] = join as [string, unknown[]];
      return items.map(renderCfnValue).join(delimiter);
    }
    if (node['Fn::Sub']) return renderCfnValue(node['Fn::Sub']);
    const getAtt = node['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${renderCfnValue(getAtt[0])}.${renderCfnValue(getAtt[1])}>`;
    if (node['Fn::ImportValue']) return renderCfnValue(node['Fn::ImportValue']);
    if (node.Ref) return `<${renderCfnValue(node.Ref)}>`;
  }
  return JSON.stringify(value);
}
