export * from './instance-connect-endpoint';
export * from './instance-connect-endpoint-props';
