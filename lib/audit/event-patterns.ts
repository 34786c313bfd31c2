import * as events from 'aws-cdk-lib/aws-events';
import {
  CONNECT_EVENT_NAMES,
  EC2_EVENT_SOURCE,
  ENDPOINT_CHANGE_EVENT_NAMES,
  EVENT_SOURCE,
  KEY_TAMPERING_EVENT_NAMES,
  OPEN_TUNNEL,
  SEND_SERIAL_CONSOLE_SSH_PUBLIC_KEY,
  SEND_SSH_PUBLIC_KEY,
  TRAIL_TAMPERING_EVENT_NAMES,
  eventName,
} from '../private/vocabulary';

/**
 * How EC2 Instance Connect activity appears in CloudTrail: the data plane (tunnels, key pushes, serial-console key
 * pushes) as management events of `ec2-instance-connect.amazonaws.com`, endpoint changes as EC2 management events.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/log-ec2-instance-connect-endpoint-using-cloudtrail.html
 */

/** An EventBridge pattern of CloudTrail records. */
export interface CloudTrailEventPattern {
  readonly source: string[];
  readonly detailType: string[];
  readonly detail: Record<string, unknown>;
}

/**
 * Only AWS services send events whose source begins with `aws.` (PutEvents refuses it to everyone else), so an
 * account that may put events on a bus, the default one or the organisation's central one, cannot forge a record.
 */
const FROM_AWS = events.Match.prefix('aws.');

const record = (detail: Record<string, unknown>): CloudTrailEventPattern => ({ source: FROM_AWS, detailType: ['AWS API Call via CloudTrail'], detail });

/**
 * The patterns the alarms count (EventBridge's per-rule MatchedEvents metric, free of charge): tunnels opened, keys
 * pushed (SSH and serial console), and either refused by IAM or the service, whatever the outcome otherwise.
 */
export const ALARM_EVENT_PATTERNS: Record<'TunnelsOpened' | 'KeysPushed' | 'AccessDenied', CloudTrailEventPattern> = {
  TunnelsOpened: record({ eventSource: [EVENT_SOURCE], eventName: [eventName(OPEN_TUNNEL)] }),
  KeysPushed: record({ eventSource: [EVENT_SOURCE], eventName: [SEND_SSH_PUBLIC_KEY, SEND_SERIAL_CONSOLE_SSH_PUBLIC_KEY].map(eventName) }),
  AccessDenied: record({
    eventSource: [EVENT_SOURCE],
    eventName: CONNECT_EVENT_NAMES,
    errorCode: [{ prefix: 'AccessDenied' }, { suffix: 'UnauthorizedOperation' }],
  }),
};

/**
 * The EventBridge pattern of every tunnel and key push. CloudTrail delivers management events to the default bus
 * as "AWS API Call via CloudTrail"; the match is on `detail`, which is CloudTrail's record.
 */
export const CONNECT_EVENT_PATTERN: CloudTrailEventPattern = record({ eventSource: [EVENT_SOURCE], eventName: CONNECT_EVENT_NAMES });

/**
 * The EventBridge patterns of attacks on the access model and on its audit, each rare in normal operation:
 * endpoint changes (the control plane makes them seldom; an attacker would to open or hide a path), trails
 * stopped, deleted or narrowed, and the audit keys disabled or scheduled for deletion (KMS records name the key in
 * `resources`).
 *
 * @param keyArns the ARNs of the keys that protect the audit
 */
export function tamperingEventPatterns(keyArns: string[]): Record<string, CloudTrailEventPattern> {
  return {
    EndpointChanges: record({ eventSource: [EC2_EVENT_SOURCE], eventName: ENDPOINT_CHANGE_EVENT_NAMES }),
    TrailTampering: record({ eventSource: ['cloudtrail.amazonaws.com'], eventName: TRAIL_TAMPERING_EVENT_NAMES }),
    ...(keyArns.length > 0
      ? { AuditKeyTampering: record({ eventSource: ['kms.amazonaws.com'], eventName: KEY_TAMPERING_EVENT_NAMES, resources: { ARN: keyArns } }) }
      : {}),
  };
}

/**
 * What each account forwards to the organisation's central event bus (`InstanceConnectCentralAlerts`): every tunnel
 * and key push (refusals included) and every endpoint change and trail tampering. Event names are distinct across
 * these sources, so one pattern over both lists matches exactly those events.
 */
export const FORWARDED_EVENT_PATTERN: CloudTrailEventPattern = record({
  eventSource: [EVENT_SOURCE, EC2_EVENT_SOURCE, 'cloudtrail.amazonaws.com'],
  eventName: [...CONNECT_EVENT_NAMES, ...ENDPOINT_CHANGE_EVENT_NAMES, ...TRAIL_TAMPERING_EVENT_NAMES],
});

/**
 * What an account's own audit also keeps in its event log when investigations are enabled (the dashboard or the saved
 * queries read it): the events of `tamperingEventPatterns`, which otherwise only reach the topic. One rule, so `$or`
 * inside `detail`.
 *
 * @param keyArns the ARNs of the keys that protect the audit
 */
export function changeEventPattern(keyArns: string[]): CloudTrailEventPattern {
  const alternatives = Object.values(tamperingEventPatterns(keyArns)).map(p => p.detail);
  return record({ $or: alternatives });
}
