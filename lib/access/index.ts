export * from './instance-connect-access';
export * from './instance-connect-access-props';
export * from './instance-connect-classic-access';
export * from './operator-role-options';
export * from './connect-command-options';
