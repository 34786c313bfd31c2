import { Construct } from 'constructs';
import { InstanceConnectAuditTrail, InstanceConnectAuditTrailProps } from '../../audit/instance-connect-audit-trail';
import { validationError } from '../../private/errors';

/** The audit props both access constructs take. */
export interface AccessAuditProps {
  readonly auditTrail?: boolean;
  readonly auditTrailProps?: InstanceConnectAuditTrailProps;
}

/** The access construct's own audit trail (`AuditTrail`), unless `auditTrail` is false. */
export function defineAccessAudit(scope: Construct, props: AccessAuditProps): InstanceConnectAuditTrail | undefined {
  if (props.auditTrail === false && props.auditTrailProps) {
    throw validationError(scope, 'auditTrailProps configure the audit trail; they cannot be set with auditTrail: false');
  }
  return (props.auditTrail ?? true) ? new InstanceConnectAuditTrail(scope, 'AuditTrail', props.auditTrailProps) : undefined;
}
