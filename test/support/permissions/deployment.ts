import { createHash } from 'node:crypto';

/**
 * Synthesized CloudFormation templates as they would stand deployed in one account and region:
 * every intrinsic resolved to a concrete value (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select,
 * Fn::Split, Fn::If, Fn::GetStackOutput across the stacks given, Fn::ImportValue, the pseudo
 * parameters), each resource with the physical name CloudFormation would give it (the name it is
 * given, or one made from its stack and logical id, as CloudFormation does) and the ARN its
 * service forms from that. Only the resource types whose Ref or attributes the permission check
 * reads are modelled; reading another's attribute is an error naming it, never a guess.
 */
export interface Template {
  Resources: Record<string, { Type: string; Properties?: Record<string, any> }>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
  Parameters?: Record<string, { Default?: unknown }>;
  Conditions?: Record<string, unknown>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

export interface Environment {
  account: string;
  region: string;
  partition: string;
}

export const fixedEnvironment: Environment = { account: '123456789012', region: 'eu-west-2', partition: 'aws' };

export interface ResourceRef {
  stack: string;
  logicalId: string;
  type: string;
  properties: Record<string, any>;
}

const NO_VALUE = Symbol('AWS::NoValue');

/** Stable stand-ins for what CloudFormation generates: the same resource gets the same one in every run. */
const digest = (...parts: string[]) => createHash('sha256').update(parts.join('/')).digest('hex');
const upperSuffix = (seed: string, length: number) =>
  BigInt(`0x${digest(seed)}`)
    .toString(36)
    .toUpperCase()
    .slice(0, length);
const lowerSuffix = (seed: string, length: number) =>
  BigInt(`0x${digest(seed)}`)
    .toString(36)
    .slice(0, length);

export class Deployment {
  private readonly cache = new Map<string, { ref: string; attributes: Record<string, string> }>();

  constructor(
    readonly stacks: Record<string, Template>,
    readonly env: Environment = fixedEnvironment,
  ) {}

  template(stack: string): Template {
    const template = this.stacks[stack];
    if (!template) throw new Error(`no stack ${stack} among ${Object.keys(this.stacks).join(', ')}`);
    return template;
  }

  /** Every resource (of a type), in every stack. */
  resources(type?: string): ResourceRef[] {
    return Object.entries(this.stacks).flatMap(([stack, template]) =>
      Object.entries(template.Resources)
        .filter(([, r]) => !type || r.Type === type)
        .map(([logicalId, r]) => ({ stack, logicalId, type: r.Type, properties: r.Properties ?? {} })),
    );
  }

  resource(stack: string, logicalId: string): ResourceRef {
    const r = this.template(stack).Resources[logicalId];
    if (!r) throw new Error(`no resource ${logicalId} in ${stack}`);
    return { stack, logicalId, type: r.Type, properties: r.Properties ?? {} };
  }

  /** A value of a template with every intrinsic resolved (AWS::NoValue drops the member it is). */
  resolve(stack: string, value: unknown): any {
    const resolved = this.resolveValue(stack, value);
    return resolved === NO_VALUE ? undefined : resolved;
  }

  resolveString(stack: string, value: unknown): string {
    const resolved = this.resolve(stack, value);
    if (typeof resolved !== 'string') throw new Error(`expected a string in ${stack}, got ${JSON.stringify(resolved)} from ${JSON.stringify(value)}`);
    return resolved;
  }

  ref(stack: string, logicalId: string): string {
    return this.model(stack, logicalId).ref;
  }

  getAtt(stack: string, logicalId: string, attribute: string): string {
    const value = this.model(stack, logicalId).attributes[attribute];
    if (value === undefined) throw new Error(`no model of ${this.resource(stack, logicalId).type}.${attribute} (${stack}/${logicalId})`);
    return value;
  }

  /** `arn:<partition>:<service>:<region>:<account>:<rest>`. */
  arn(service: string, rest: string, { region = true } = {}): string {
    return `arn:${this.env.partition}:${service}:${region ? this.env.region : ''}:${this.env.account}:${rest}`;
  }

  stackId(stack: string): string {
    const id = digest('stack', stack);
    return this.arn('cloudformation', `stack/${stack}/${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`);
  }

  private pseudo(stack: string, name: string): string | typeof NO_VALUE | undefined {
    switch (name) {
      case 'AWS::AccountId':
        return this.env.account;
      case 'AWS::Region':
        return this.env.region;
      case 'AWS::Partition':
        return this.env.partition;
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return stack;
      case 'AWS::StackId':
        return this.stackId(stack);
      case 'AWS::NoValue':
        return NO_VALUE;
      default:
        return undefined;
    }
  }

  private resolveValue(stack: string, value: unknown): any {
    if (Array.isArray(value)) return value.map((v) => this.resolveValue(stack, v)).filter((v) => v !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    const [key, argument] = entries[0] ?? [];
    if (entries.length === 1 && key && (key === 'Ref' || key === 'Condition' || key.startsWith('Fn::'))) return this.intrinsic(stack, key, argument);
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      const resolved = this.resolveValue(stack, v);
      if (resolved !== NO_VALUE) out[k] = resolved;
    }
    return out;
  }

  private intrinsic(stack: string, fn: string, argument: any): any {
    const template = this.template(stack);
    switch (fn) {
      case 'Ref': {
        const pseudo = this.pseudo(stack, argument);
        if (pseudo !== undefined) return pseudo;
        const parameter = template.Parameters?.[argument];
        if (parameter) return this.resolveValue(stack, parameter.Default);
        return this.ref(stack, argument);
      }
      case 'Fn::GetAtt': {
        const [logicalId, ...attribute] = Array.isArray(argument) ? argument : String(argument).split('.');
        return this.getAtt(stack, logicalId, attribute.map((a: unknown) => this.resolveValue(stack, a)).join('.'));
      }
      case 'Fn::Join': {
        const [separator, list] = argument;
        return (this.resolveValue(stack, list) as unknown[]).join(separator);
      }
      case 'Fn::Select': {
        const [index, list] = argument;
        const items = this.resolveValue(stack, list) as unknown[];
        const i = Number(this.resolveValue(stack, index));
        if (!(i in items)) throw new Error(`Fn::Select index ${i} out of ${JSON.stringify(items)}`);
        return items[i];
      }
      case 'Fn::Split': {
        const [separator, source] = argument;
        return String(this.resolveValue(stack, source)).split(separator);
      }
      case 'Fn::Sub': {
        const [text, variables] = typeof argument === 'string' ? [argument, {}] : argument;
        const own = this.resolveValue(stack, variables ?? {}) as Record<string, unknown>;
        return String(text).replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
          if (name in own) return String(own[name]);
          const pseudo = this.pseudo(stack, name);
          if (typeof pseudo === 'string') return pseudo;
          const [logicalId, ...attribute] = name.split('.');
          return attribute.length ? this.getAtt(stack, logicalId as string, attribute.join('.')) : String(this.intrinsic(stack, 'Ref', name));
        });
      }
      case 'Fn::GetStackOutput': {
        const { StackName, OutputName } = this.resolveValue(stack, argument) as { StackName: string; OutputName: string };
        const output = this.template(StackName).Outputs?.[OutputName];
        if (!output) throw new Error(`no output ${OutputName} in ${StackName}`);
        return this.resolveValue(StackName, output.Value);
      }
      case 'Fn::ImportValue': {
        const name = this.resolveValue(stack, argument);
        for (const [other, t] of Object.entries(this.stacks))
          for (const output of Object.values(t.Outputs ?? {}))
            if (output.Export && this.resolveValue(other, output.Export.Name) === name) return this.resolveValue(other, output.Value);
        throw new Error(`no stack exports ${name}`);
      }
      case 'Fn::FindInMap': {
        const [map, first, second] = (argument as unknown[]).map((a) => this.resolveValue(stack, a)) as string[];
        return this.resolveValue(stack, template.Mappings?.[map as string]?.[first as string]?.[second as string]);
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = argument;
        return this.resolveValue(stack, this.condition(stack, condition) ? whenTrue : whenFalse);
      }
      case 'Fn::Base64':
        return Buffer.from(String(this.resolveValue(stack, argument))).toString('base64');
      default:
        throw new Error(`intrinsic ${fn} is not resolved here (${stack})`);
    }
  }

  private condition(stack: string, name: string): boolean {
    const definition = this.template(stack).Conditions?.[name];
    if (definition === undefined) throw new Error(`no condition ${name} in ${stack}`);
    const evaluate = (c: any): boolean => {
      const [[fn, arg]] = Object.entries(c) as [[string, any]];
      switch (fn) {
        case 'Fn::Equals':
          return JSON.stringify(this.resolveValue(stack, arg[0])) === JSON.stringify(this.resolveValue(stack, arg[1]));
        case 'Fn::Not':
          return !evaluate(arg[0]);
        case 'Fn::And':
          return arg.every(evaluate);
        case 'Fn::Or':
          return arg.some(evaluate);
        case 'Condition':
          return this.condition(stack, arg);
        default:
          throw new Error(`condition function ${fn} is not evaluated here`);
      }
    };
    return evaluate(definition);
  }

  /** The name CloudFormation gives a resource that is not named: `<stack>-<logical id>-<suffix>`, within the service's limit. */
  private generatedName(stack: string, logicalId: string, maxLength = 64): string {
    const suffix = upperSuffix(`${stack}/${logicalId}`, 12);
    return `${`${stack}-${logicalId}`.slice(0, maxLength - suffix.length - 1)}-${suffix}`;
  }

  private model(stack: string, logicalId: string): { ref: string; attributes: Record<string, string> } {
    const key = `${stack}/${logicalId}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const { type, properties: p } = this.resource(stack, logicalId);
    const named = (property: string, maxLength?: number): string =>
      p[property] !== undefined ? this.resolveString(stack, p[property]) : this.generatedName(stack, logicalId, maxLength);
    const arn = (service: string, rest: string, options?: { region?: boolean }) => this.arn(service, rest, options);
    let model: { ref: string; attributes: Record<string, string> };
    switch (type) {
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable': {
        const name = named('TableName', 255);
        const tableArn = arn('dynamodb', `table/${name}`);
        model = { ref: name, attributes: { Arn: tableArn, StreamArn: `${tableArn}/stream/2026-01-01T00:00:00.000` } };
        break;
      }
      case 'AWS::S3::Bucket': {
        // S3 generates a lower-case name (at most 63 characters) and its ARN names no region or account.
        const name = named('BucketName', 63).toLowerCase();
        model = { ref: name, attributes: { Arn: `arn:${this.env.partition}:s3:::${name}`, DomainName: `${name}.s3.amazonaws.com` } };
        break;
      }
      case 'AWS::KMS::Key': {
        const id = digest('key', key);
        const keyId = `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`;
        model = { ref: keyId, attributes: { KeyId: keyId, Arn: arn('kms', `key/${keyId}`) } };
        break;
      }
      case 'AWS::SecretsManager::Secret': {
        const secretArn = arn('secretsmanager', `secret:${named('Name', 256 - 7)}-${lowerSuffix(key, 6)}`);
        model = { ref: secretArn, attributes: { Id: secretArn } };
        break;
      }
      case 'AWS::SES::EmailIdentity':
        model = { ref: this.resolveString(stack, p.EmailIdentity), attributes: {} };
        break;
      case 'AWS::SES::ConfigurationSet':
        model = { ref: named('Name'), attributes: {} };
        break;
      case 'AWS::Lambda::Function': {
        const name = named('FunctionName', 64);
        model = { ref: name, attributes: { Arn: arn('lambda', `function:${name}`) } };
        break;
      }
      case 'AWS::Lambda::Alias': {
        const aliasArn = `${this.functionArn(stack, p.FunctionName)}:${this.resolveString(stack, p.Name)}`;
        model = { ref: aliasArn, attributes: { AliasArn: aliasArn } };
        break;
      }
      case 'AWS::Lambda::Version': {
        const versionArn = `${this.functionArn(stack, p.FunctionName)}:1`;
        model = { ref: versionArn, attributes: { FunctionArn: versionArn, Version: '1' } };
        break;
      }
      case 'AWS::IAM::Role': {
        const name = named('RoleName', 64);
        model = {
          ref: name,
          attributes: { Arn: arn('iam', `role${p.Path ?? '/'}${name}`, { region: false }), RoleId: `AROA${upperSuffix(key, 17)}` },
        };
        break;
      }
      case 'AWS::IAM::ManagedPolicy': {
        const policyArn = arn('iam', `policy${p.Path ?? '/'}${named('ManagedPolicyName', 128)}`, { region: false });
        model = { ref: policyArn, attributes: { PolicyArn: policyArn } };
        break;
      }
      case 'AWS::SQS::Queue': {
        const name = named('QueueName', 80);
        model = {
          ref: `https://sqs.${this.env.region}.amazonaws.com/${this.env.account}/${name}`,
          attributes: { Arn: arn('sqs', name), QueueName: name, QueueUrl: `https://sqs.${this.env.region}.amazonaws.com/${this.env.account}/${name}` },
        };
        break;
      }
      case 'AWS::SNS::Topic': {
        const name = named('TopicName', 256);
        const topicArn = arn('sns', name);
        model = { ref: topicArn, attributes: { TopicArn: topicArn, TopicName: name } };
        break;
      }
      case 'AWS::Events::Rule': {
        const name = named('Name', 64);
        const bus = p.EventBusName === undefined ? 'default' : this.resolveString(stack, p.EventBusName);
        model = { ref: name, attributes: { Arn: arn('events', bus === 'default' ? `rule/${name}` : `rule/${bus}/${name}`) } };
        break;
      }
      case 'AWS::Scheduler::ScheduleGroup': {
        const name = named('Name', 64);
        model = { ref: name, attributes: { Arn: arn('scheduler', `schedule-group/${name}`) } };
        break;
      }
      case 'AWS::StepFunctions::StateMachine': {
        const name = named('StateMachineName', 80);
        const stateMachineArn = arn('states', `stateMachine:${name}`);
        model = { ref: stateMachineArn, attributes: { Arn: stateMachineArn, Name: name } };
        break;
      }
      case 'AWS::StepFunctions::StateMachineVersion': {
        const versionArn = `${this.resolveString(stack, p.StateMachineArn)}:1`;
        model = { ref: versionArn, attributes: { Arn: versionArn } };
        break;
      }
      case 'AWS::StepFunctions::StateMachineAlias': {
        const base = this.resolveString(stack, p.DeploymentPreference?.StateMachineVersionArn ?? p.RoutingConfiguration?.[0]?.StateMachineVersionArn);
        const aliasArn = `${base.replace(/:\d+$/, '')}:${this.resolveString(stack, p.Name)}`;
        model = { ref: aliasArn, attributes: { Arn: aliasArn } };
        break;
      }
      case 'AWS::Logs::LogGroup': {
        const name = named('LogGroupName', 512);
        model = { ref: name, attributes: { Arn: arn('logs', `log-group:${name}:*`) } };
        break;
      }
      case 'AWS::ApiGatewayV2::Api': {
        const id = lowerSuffix(key, 10);
        model = { ref: id, attributes: { ApiId: id, ApiEndpoint: `https://${id}.execute-api.${this.env.region}.amazonaws.com` } };
        break;
      }
      case 'AWS::CloudWatch::Alarm': {
        const name = named('AlarmName', 255);
        model = { ref: name, attributes: { Arn: arn('cloudwatch', `alarm:${name}`) } };
        break;
      }
      default:
        model = { ref: this.generatedName(stack, logicalId), attributes: {} };
    }
    this.cache.set(key, model);
    return model;
  }

  /** A function's ARN from what names it: its name, its ARN, or a partial ARN. */
  functionArn(stack: string, value: unknown): string {
    const name = this.resolveString(stack, value);
    return name.startsWith('arn:') ? name : this.arn('lambda', `function:${name}`);
  }
}
