import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/** Powertools singletons. Service name and namespace come from POWERTOOLS_* variables. */
export const logger = new Logger({ serviceName: 'second-user-system' });
export const metrics = new Metrics({ namespace: 'SecondUserSystem', serviceName: 'second-user-system' });
export const tracer = new Tracer({ serviceName: 'second-user-system' });
