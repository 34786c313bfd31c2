export * from './grants';
export * from './endpoint';
export * from './access';
export * from './instance';
export * from './audit';
export * from './nag';
export * from './organization';
export * from './report';
