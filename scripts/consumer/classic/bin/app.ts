#!/usr/bin/env node
import 'source-map-support/register';
import * as cdk from 'aws-cdk-lib';
import { InstanceConnectChecks } from 'cdk-instance-connect-access';
import { ConsumerStack } from '../lib/consumer-stack';

const app = new cdk.App();
new ConsumerStack(app, 'ConsumerStack');
cdk.Validations.of(app).addPlugins(new InstanceConnectChecks(app));
