export * from './identity-center-principal';
export * from './instance-connect-permission-set-props';
export * from './instance-connect-permission-set';
export * from './instance-connect-guardrails-props';
export * from './instance-connect-guardrails';
