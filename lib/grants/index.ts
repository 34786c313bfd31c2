export * from './open-tunnel-options';
export * from './data-plane-options';
export * from './connect-options';
