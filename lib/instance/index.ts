export * from './instance-connect-package';
