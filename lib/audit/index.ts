export * from './instance-connect-audit-trail';
