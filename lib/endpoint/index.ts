export * from './instance-connect-endpoint';
