/**
 * A resolved CloudFormation value as one string, the way cdk-nag writes resources into finding IDs
 * (`AwsSolutions-IAM5[Resource::<Bucket.Arn>/*]`), so that acknowledgements match its findings exactly.
 *
 * cdk-nag keeps its own function private (it is not in its public API, so a patch release may move it); this is
 * the same rendering, and a test compares the two.
 */
export function flattenReference(value: unknown): string {
  if (value === undefined) {
    return '';
  }
  if (typeof value === 'string') {
    // Fn::Sub's ${…} becomes <…>, as for references.
    return value.replace(/\${/g, '<').replace(/}/g, '>');
  }
  const node = value as Record<string, any>;
  if (node !== null && typeof node === 'object') {
    if (node['Fn::Join']) {
      const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
      return items.map(flattenReference).join(delimiter);
    }
    if (node['Fn::Sub']) {
      return flattenReference(node['Fn::Sub']);
    }
    if (node['Fn::GetAtt']) {
      const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
    }
    if (node['Fn::ImportValue']) {
      return flattenReference(node['Fn::ImportValue']);
    }
    if (node.Ref) {
      return `<${flattenReference(node.Ref)}>`;
    }
  }
  return JSON.stringify(value);
}
