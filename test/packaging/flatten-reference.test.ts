// cdk-nag's private renderer, imported by path on purpose: if a cdk-nag release changes how finding IDs name
// resources, this test fails and the library's acknowledgements are updated with it.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import { flattenReference } from '../../lib/private/flatten-reference';

describe('flattenReference renders resources exactly as cdk-nag names them in finding IDs', () => {
  const values: unknown[] = [
    '*',
    'arn:aws:ec2:us-east-1:111122223333:instance/*',
    'arn:${AWS::Partition}:s3:::bucket/*',
    { Ref: 'AWS::Partition' },
    { 'Fn::GetAtt': ['Bucket83908E77', 'Arn'] },
    { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':instance/*']] },
    { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket83908E77', 'Arn'] }, '/AWSLogs/*']] },
    { 'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/x:*' },
    { 'Fn::ImportValue': 'Other:ExportsOutputRefVpc' },
    { 'Fn::If': ['Cond', 'a', 'b'] },
    42,
    undefined,
  ];
  test.each(values.map(v => [JSON.stringify(v) ?? 'undefined', v]))('%s', (_name, value) => {
    expect(flattenReference(value)).toEqual(flattenCfnReference(value));
  });
});
