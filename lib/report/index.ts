export * from './instance-connect-access-report';
