export * from './instance-connect-access';
export * from './operator-role-props';
export * from './instance-connect-access-props';
export * from './instance-connect-classic-access';
