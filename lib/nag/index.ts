export * from './instance-connect-checks';
