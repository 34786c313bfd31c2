export * from './endpoint';
export * from './access';
