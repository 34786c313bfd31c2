export * from './instance-connect-endpoint';
export * from './open-tunnel-options';
