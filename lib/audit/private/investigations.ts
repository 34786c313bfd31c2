import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  EC2_EVENT_SOURCE, OPEN_TUNNEL, SEND_SERIAL_CONSOLE_SSH_PUBLIC_KEY, SEND_SSH_PUBLIC_KEY, eventName,
} from '../../private/vocabulary';

/*
 * Logs Insights over the event log. Each log event is an EventBridge event ("AWS API Call via CloudTrail") whose
 * `detail` is the CloudTrail record, so every field is read under `detail.`: Logs Insights discovers the JSON fields
 * and names nested ones with dots (`detail.userIdentity.arn`). Filters that ask for a value (a private IP, a principal,
 * a source range) are saved with a value that matches everything: the query runs as saved, and the investigator
 * narrows it.
 */

const quoted = (values: string[]) => `[${values.map(v => JSON.stringify(v)).join(', ')}]`;

/** A refusal, as the AccessDenied alarm counts it (IAM's and EC2's spellings of a denied request). */
const REFUSED = 'detail.errorCode like /AccessDenied|UnauthorizedOperation/';
/** The endpoint an event names, wherever in the record (request or response) it appears. */
const ENDPOINT_ID = '@message /(?<endpointId>eice-[0-9a-f]+)/';
const KEY_PUSHES = quoted([SEND_SSH_PUBLIC_KEY, SEND_SERIAL_CONSOLE_SSH_PUBLIC_KEY].map(eventName));

/** A saved Logs Insights query (`AWS::Logs::QueryDefinition`): what it answers, and the query. */
export interface InvestigationQuery {
  readonly id: string;
  readonly name: string;
  readonly query: logs.QueryStringProps;
}

/** The questions of an investigation, each a saved query. */
export const INVESTIGATION_QUERIES: InvestigationQuery[] = [
  {
    id: 'TunnelsToPrivateIpQuery',
    name: 'Who opened tunnels to a private IP, and when (replace 0.0.0.0/0 with the IP)',
    query: {
      filterStatements: [
        `detail.eventName = ${JSON.stringify(eventName(OPEN_TUNNEL))}`,
        'isIpv4InSubnet(detail.requestParameters.privateIpAddress, "0.0.0.0/0")',
      ],
      sort: '@timestamp desc',
      display: '@timestamp, detail.userIdentity.arn, detail.sourceIPAddress, detail.requestParameters.privateIpAddress, ' +
        'detail.requestParameters.remotePort, detail.requestParameters.instanceConnectEndpointId, detail.recipientAccountId, detail.errorCode',
    },
  },
  {
    id: 'PrincipalActivityQuery',
    name: 'Everything a principal did through EC2 Instance Connect (replace .* with part of its ARN)',
    query: {
      filterStatements: ['detail.userIdentity.arn like /.*/'],
      sort: '@timestamp asc',
      display: '@timestamp, detail.userIdentity.arn, detail.eventName, detail.sourceIPAddress, detail.requestParameters.privateIpAddress, ' +
        'detail.requestParameters.remotePort, detail.requestParameters.instanceId, detail.requestParameters.instanceOSUser, ' +
        'detail.recipientAccountId, detail.errorCode',
    },
  },
  {
    id: 'RefusalsFromSourceRangeQuery',
    name: 'All refusals from a source range (replace 0.0.0.0/0 with the IPv4 range)',
    query: {
      filterStatements: [REFUSED, 'isIpv4InSubnet(detail.sourceIPAddress, "0.0.0.0/0")'],
      sort: '@timestamp desc',
      display: '@timestamp, detail.sourceIPAddress, detail.userIdentity.arn, detail.eventName, detail.errorCode, detail.errorMessage, ' +
        'detail.requestParameters.privateIpAddress, detail.requestParameters.instanceId, detail.recipientAccountId',
    },
  },
  {
    id: 'EndpointChangesQuery',
    name: 'Which endpoint changed, and who changed it',
    query: {
      parseStatements: [ENDPOINT_ID],
      filterStatements: [`detail.eventSource = ${JSON.stringify(EC2_EVENT_SOURCE)}`],
      sort: '@timestamp desc',
      display: '@timestamp, endpointId, detail.eventName, detail.userIdentity.arn, detail.sourceIPAddress, detail.recipientAccountId, ' +
        'detail.awsRegion, detail.errorCode',
    },
  },
];

/** A Logs Insights widget of the dashboard: its title says what it shows. */
export interface InvestigationWidget {
  readonly title: string;
  readonly view: cloudwatch.LogQueryVisualizationType;
  readonly query: logs.QueryStringProps;
}

/** The dashboard's widgets, each one Logs Insights query over the event log. */
export const DASHBOARD_WIDGETS: InvestigationWidget[] = [
  {
    title: 'Tunnels opened per hour, by principal',
    view: cloudwatch.LogQueryVisualizationType.LINE,
    query: {
      filterStatements: [`detail.eventName = ${JSON.stringify(eventName(OPEN_TUNNEL))}`, 'not ispresent(detail.errorCode)'],
      stats: 'count(*) as tunnels by bin(1h), detail.userIdentity.arn',
    },
  },
  {
    title: 'Keys pushed, by instance and OS user',
    view: cloudwatch.LogQueryVisualizationType.TABLE,
    query: {
      filterStatements: [`detail.eventName in ${KEY_PUSHES}`, 'not ispresent(detail.errorCode)'],
      stats: 'count(*) as pushes by detail.requestParameters.instanceId, detail.requestParameters.instanceOSUser, detail.userIdentity.arn',
      sort: 'pushes desc',
    },
  },
  {
    title: 'Refused tunnels and key pushes (AccessDenied), by principal and source IP',
    view: cloudwatch.LogQueryVisualizationType.TABLE,
    query: {
      filterStatements: [REFUSED],
      stats: 'count(*) as refusals by detail.userIdentity.arn, detail.sourceIPAddress, detail.eventName, detail.errorCode',
      sort: 'refusals desc',
    },
  },
  {
    title: 'Endpoint changes and tampering with trails or the audit key',
    view: cloudwatch.LogQueryVisualizationType.TABLE,
    query: {
      parseStatements: [ENDPOINT_ID],
      filterStatements: [`detail.eventSource in ${quoted([EC2_EVENT_SOURCE, 'cloudtrail.amazonaws.com', 'kms.amazonaws.com'])}`],
      sort: '@timestamp desc',
      display: '@timestamp, detail.eventName, detail.userIdentity.arn, detail.sourceIPAddress, endpointId, detail.recipientAccountId, detail.errorCode',
    },
  },
];

/** The query text of `props`, as aws-cdk-lib renders it for a QueryDefinition, so widgets and saved queries agree. */
export const queryText = (props: logs.QueryStringProps): string => new logs.QueryString(props).toString();
