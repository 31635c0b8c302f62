import { runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { AwsCall } from '../../../infra/local/aws-calls';
import type { Deployment, ResourceRef } from './deployment';

/**
 * Holds every AWS call the suite recorded (infra/local/aws-calls.ts) against the deployed stacks'
 * policies, evaluated offline by @cloud-copilot/iam-simulate (identity policies of the caller's
 * role, and the resource's own policy: a function's permissions, a queue's or a key's policy);
 * then lists every granted (principal, action, resource) that no allowed call exercised.
 */

/** A catalogue function as deployed: its AWS::Lambda::Function. */
export interface DeployedFunction {
  stack: string;
  logicalId: string;
}

export interface Grant {
  /** Who holds it, as the recorder names principals: `function:<Name>`, `state-machine:<arn>`, `role:<arn>`, `service:<principal>`. */
  holder: string;
  /** The role's ARN, or the service principal. */
  principal: string;
  action: string;
  resource: string;
  /** For a service's grant on a resource policy: the sources (aws:SourceArn) it is limited to. */
  sourceArns?: string[];
  /** Where it is written: the policy's stack and logical id. */
  where: string;
}

/** A grant that no test can exercise, and why it must stay. */
export interface GrantException {
  name: string;
  reason: string;
  matches: (grant: Grant, view: DeploymentView) => boolean;
}

export interface DeploymentView {
  deployment: Deployment;
  /** A recorder's name (`${TABLE_NAME}`, `${function:X}`…) as deployed. */
  resolve: (name: string) => string;
  /** The customer-managed key a table is encrypted with, by the table's ARN. */
  tableKeyOf: (tableArn: string) => string | undefined;
}

export interface Evaluated {
  holder: string;
  action: string;
  resource: string;
  context: Record<string, string>;
  result: string;
  /** The recorded call it stands for, when derived (the KMS calls DynamoDB and Secrets Manager make for the caller). */
  derivedFrom?: string;
}

export interface PermissionReport {
  /** Calls recorded over the suite, each time it was made. */
  calls: number;
  /** Distinct (principal, action, resource, context) evaluated, the derived KMS calls included. */
  checks: Evaluated[];
  denied: Evaluated[];
  unexercised: Grant[];
  excepted: Array<{ grant: Grant; exception: string }>;
  /** Names the recorder used that the stacks do not resolve (a call to a resource the stack does not have). */
  unresolved: Array<{ call: AwsCall; error: string }>;
}

/**
 * Step Functions' task-token callbacks: the IAM reference lists no resource type (so a policy
 * simulator wants "*"), yet AWS authorises them on the state machine that issued the token: its
 * AccessDenied names `…:stateMachine:<name>` (NOAA-OWP/hydrovis#837) and a grant on the state
 * machine's ARN works (aws/aws-cdk#8486, tested there). They are evaluated on that ARN.
 */
const AUTHORISED_ON_ISSUING_STATE_MACHINE = new Set(['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat']);

const DYNAMODB_TABLE = /^(arn:[^:]+:dynamodb:[^:]*:\d+:table\/[^/]+)(\/index\/.+)?$/;

type Policy = { Version?: string; Statement: Array<Record<string, any>> | Record<string, any> };
const statementsOf = (policy: Policy): Array<Record<string, any>> => [policy.Statement].flat();
const list = (value: unknown): string[] => (value === undefined ? [] : [value].flat().map(String));

/** IAM's matching: `*` any run of characters, `?` one; actions ignore case, resources do not. */
const glob = (pattern: string, value: string, ignoreCase = false): boolean =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    ignoreCase ? 'i' : '',
  ).test(value);

export const checkPermissions = async (
  deployment: Deployment,
  functions: Record<string, DeployedFunction>,
  calls: Array<AwsCall & { count?: number }>,
  exceptions: GrantException[] = [],
): Promise<PermissionReport> => {
  const { env } = deployment;
  const fn = (name: string): ResourceRef => {
    const deployed = functions[name];
    if (!deployed) throw new Error(`function ${name} is not deployed by the stacks`);
    return deployment.resource(deployed.stack, deployed.logicalId);
  };
  const functionArn = (name: string) => deployment.getAtt(functions[name]?.stack ?? '', functions[name]?.logicalId ?? '', 'Arn');

  // What the sandbox's names stand for on AWS: the settings the stack gives the functions, the ASL's substitutions.
  const values = new Map<string, string>();
  const remember = (key: string, value: unknown, where: string) => {
    if (typeof value !== 'string') return;
    const known = values.get(key);
    if (known !== undefined && known !== value) throw new Error(`${key} is ${known} for one function and ${value} for ${where}`);
    values.set(key, value);
  };
  for (const name of Object.keys(functions)) {
    const { stack, properties } = fn(name);
    for (const [key, value] of Object.entries(properties.Environment?.Variables ?? {})) {
      // Settings that do not name a resource may not resolve (a URL made at deploy time): only those the check reads must.
      try {
        remember(key, deployment.resolve(stack, value), name);
      } catch {}
    }
  }
  for (const sm of deployment.resources('AWS::StepFunctions::StateMachine'))
    for (const [key, value] of Object.entries(deployment.resolve(sm.stack, sm.properties.DefinitionSubstitutions ?? {}))) remember(key, value, sm.logicalId);

  const single = (type: string, what: string, match: (r: ResourceRef) => boolean): ResourceRef => {
    const found = deployment.resources(type).filter(match);
    if (found.length !== 1) throw new Error(`${found.length} ${type} for ${what}`);
    return found[0] as ResourceRef;
  };
  const variable = (name: string): string => {
    const [base, transform] = name.split('#') as [string, string | undefined];
    const value = (() => {
      if (base.startsWith('AWS::')) return { 'AWS::AccountId': env.account, 'AWS::Region': env.region, 'AWS::Partition': env.partition }[base];
      if (base.startsWith('function:')) return functionArn(base.slice('function:'.length));
      if (base.startsWith('events-rule-targeting:')) {
        const target = functionArn(base.slice('events-rule-targeting:'.length));
        const rule = single('AWS::Events::Rule', `the rule targeting ${target}`, (r) =>
          (r.properties.Targets ?? []).some((t: { Arn: unknown }) => deployment.resolve(r.stack, t.Arn) === target),
        );
        return deployment.getAtt(rule.stack, rule.logicalId, 'Arn');
      }
      if (base.startsWith('on-failure-destination:')) {
        const target = fn(base.slice('on-failure-destination:'.length));
        const name = deployment.ref(target.stack, target.logicalId);
        const config = single('AWS::Lambda::EventInvokeConfig', `the on-failure destination of ${name}`, (r) =>
          [name, deployment.getAtt(target.stack, target.logicalId, 'Arn')].includes(deployment.resolve(r.stack, r.properties.FunctionName)),
        );
        return deployment.resolve(config.stack, config.properties.DestinationConfig?.OnFailure?.Destination);
      }
      if (base === 'api-id') {
        const api = single('AWS::ApiGatewayV2::Api', 'the HTTP API', () => true);
        return deployment.ref(api.stack, api.logicalId);
      }
      if (base === 'authorizer-id') {
        const authorizer = single('AWS::ApiGatewayV2::Authorizer', "the HTTP API's authorizer", () => true);
        return deployment.ref(authorizer.stack, authorizer.logicalId);
      }
      return values.get(base);
    })();
    if (value === undefined) throw new Error(`\${${name}} has no deployed value (no setting, substitution or resource of that name)`);
    if (transform === 'domain') return value.split('@').pop() as string;
    if (transform === 'execution') return value.replace(':stateMachine:', ':execution:');
    if (transform !== undefined) throw new Error(`unknown transform #${transform} in \${${name}}`);
    return value;
  };
  const resolveName = (name: string) => name.replace(/\$\{([^}]+)\}/g, (_, v: string) => variable(v));

  // ---- principals and their policies -----------------------------------------------------------
  const roleByArn = (roleArn: string): ResourceRef =>
    single('AWS::IAM::Role', `the role ${roleArn}`, (r) => deployment.getAtt(r.stack, r.logicalId, 'Arn') === roleArn);
  const principalOf = (holder: string): string => {
    const [kind, ...rest] = holder.split(':');
    const value = rest.join(':');
    switch (kind) {
      case 'function': {
        const f = fn(value);
        return deployment.resolveString(f.stack, f.properties.Role);
      }
      case 'state-machine': {
        const machineArn = resolveName(value);
        const sm = single('AWS::StepFunctions::StateMachine', machineArn, (r) => deployment.ref(r.stack, r.logicalId) === machineArn);
        return deployment.resolveString(sm.stack, sm.properties.RoleArn);
      }
      case 'role':
        return resolveName(value);
      case 'service':
        return value;
      default:
        throw new Error(`unknown principal ${holder}`);
    }
  };
  const identityPolicies = (roleArn: string): Array<{ name: string; policy: Policy }> => {
    if (!roleArn.startsWith('arn:')) return [];
    const role = roleByArn(roleArn);
    const roleName = deployment.ref(role.stack, role.logicalId);
    const attached = (r: ResourceRef) => list(deployment.resolve(r.stack, r.properties.Roles ?? [])).includes(roleName);
    const managedArns = list(deployment.resolve(role.stack, role.properties.ManagedPolicyArns ?? []));
    return [
      ...deployment
        .resources('AWS::IAM::Policy')
        .filter(attached)
        .map((r) => ({ name: `${r.stack}/${r.logicalId}`, policy: deployment.resolve(r.stack, r.properties.PolicyDocument) })),
      ...(role.properties.Policies ?? []).map((p: { PolicyName: unknown; PolicyDocument: unknown }) => ({
        name: `${role.stack}/${role.logicalId}/${deployment.resolve(role.stack, p.PolicyName)}`,
        policy: deployment.resolve(role.stack, p.PolicyDocument),
      })),
      ...managedArns.map((managedArn) => {
        const managed = single(
          'AWS::IAM::ManagedPolicy',
          `the managed policy ${managedArn} (an AWS-managed one cannot be read here)`,
          (r) => deployment.ref(r.stack, r.logicalId) === managedArn,
        );
        return { name: `${managed.stack}/${managed.logicalId}`, policy: deployment.resolve(managed.stack, managed.properties.PolicyDocument) };
      }),
      ...deployment
        .resources('AWS::IAM::ManagedPolicy')
        .filter((r) => attached(r) && !managedArns.includes(deployment.ref(r.stack, r.logicalId)))
        .map((r) => ({ name: `${r.stack}/${r.logicalId}`, policy: deployment.resolve(r.stack, r.properties.PolicyDocument) })),
    ];
  };

  // ---- resource policies -----------------------------------------------------------------------
  const lambdaPermissions = (functionResource: ResourceRef) => {
    const target = deployment.getAtt(functionResource.stack, functionResource.logicalId, 'Arn');
    return deployment
      .resources('AWS::Lambda::Permission')
      .filter((p) => {
        // A permission on a version or alias (`<arn>:<qualifier>`) is the function's too, for invocations of that qualifier.
        const permitted = deployment.functionArn(p.stack, p.properties.FunctionName);
        return permitted === target || permitted.startsWith(`${target}:`);
      })
      .map((p) => {
        const r = deployment.resolve(p.stack, p.properties) as Record<string, string>;
        const principal = String(r.Principal);
        return {
          where: `${p.stack}/${p.logicalId}`,
          statement: {
            Effect: 'Allow',
            Principal: principal.endsWith('.amazonaws.com') ? { Service: principal } : { AWS: principal },
            Action: r.Action,
            Resource: deployment.functionArn(p.stack, p.properties.FunctionName),
            ...(r.SourceArn || r.SourceAccount
              ? {
                  Condition: {
                    ...(r.SourceArn ? { ArnLike: { 'aws:SourceArn': r.SourceArn } } : {}),
                    ...(r.SourceAccount ? { StringEquals: { 'aws:SourceAccount': r.SourceAccount } } : {}),
                  },
                }
              : {}),
          },
        };
      });
  };
  const resourcePolicies = (): Array<{ resource: string; where: string; statements: Array<Record<string, any>> }> => [
    ...deployment.resources('AWS::Lambda::Function').map((f) => {
      const permissions = lambdaPermissions(f);
      return {
        resource: deployment.getAtt(f.stack, f.logicalId, 'Arn'),
        where: permissions.map((p) => p.where).join(', '),
        statements: permissions.map((p) => p.statement),
      };
    }),
    ...deployment.resources('AWS::SQS::QueuePolicy').flatMap((p) =>
      list(deployment.resolve(p.stack, p.properties.Queues)).map((url) => {
        const queue = single('AWS::SQS::Queue', url, (q) => deployment.ref(q.stack, q.logicalId) === url);
        return {
          resource: deployment.getAtt(queue.stack, queue.logicalId, 'Arn'),
          where: `${p.stack}/${p.logicalId}`,
          statements: statementsOf(deployment.resolve(p.stack, p.properties.PolicyDocument)),
        };
      }),
    ),
    ...deployment.resources('AWS::SNS::TopicPolicy').flatMap((p) =>
      list(deployment.resolve(p.stack, p.properties.Topics)).map((topicArn) => ({
        resource: topicArn,
        where: `${p.stack}/${p.logicalId}`,
        statements: statementsOf(deployment.resolve(p.stack, p.properties.PolicyDocument)),
      })),
    ),
    ...deployment.resources('AWS::KMS::Key').map((k) => ({
      resource: deployment.getAtt(k.stack, k.logicalId, 'Arn'),
      where: `${k.stack}/${k.logicalId}`,
      statements: statementsOf(deployment.resolve(k.stack, k.properties.KeyPolicy ?? { Statement: [] })),
    })),
    ...deployment.resources('AWS::SecretsManager::ResourcePolicy').map((p) => ({
      resource: deployment.resolveString(p.stack, p.properties.SecretId),
      where: `${p.stack}/${p.logicalId}`,
      statements: statementsOf(deployment.resolve(p.stack, p.properties.ResourcePolicy)),
    })),
  ];
  const policies = resourcePolicies();
  const resourcePolicyOf = (resource: string): Policy | undefined => {
    const base = resource.startsWith(`arn:${env.partition}:lambda:`) ? resource.split(':').slice(0, 7).join(':') : resource;
    const found = policies.filter((p) => p.resource === base);
    const statements = found.flatMap((p) => p.statements);
    return statements.length ? { Version: '2012-10-17', Statement: statements } : undefined;
  };

  // ---- what AWS calls for the caller -----------------------------------------------------------
  const keyArnOf = (stack: string, value: unknown): string | undefined => {
    if (value === undefined) return undefined;
    const id = deployment.resolveString(stack, value);
    const key = deployment
      .resources('AWS::KMS::Key')
      .find((k) => deployment.getAtt(k.stack, k.logicalId, 'Arn') === id || deployment.ref(k.stack, k.logicalId) === id);
    return key ? deployment.getAtt(key.stack, key.logicalId, 'Arn') : id;
  };
  const tableKeyOf = (tableArn: string): string | undefined => {
    const table = [...deployment.resources('AWS::DynamoDB::Table'), ...deployment.resources('AWS::DynamoDB::GlobalTable')].find(
      (t) => deployment.getAtt(t.stack, t.logicalId, 'Arn') === tableArn,
    );
    if (!table) return undefined;
    const p = table.properties;
    if (table.type === 'AWS::DynamoDB::Table') return keyArnOf(table.stack, p.SSESpecification?.KMSMasterKeyId);
    if (p.SSESpecification?.SSEType !== 'KMS') return undefined;
    const replica = (p.Replicas ?? []).find((r: { Region: unknown }) => deployment.resolve(table.stack, r.Region) === env.region);
    return keyArnOf(table.stack, replica?.SSESpecification?.KMSMasterKeyId);
  };
  const secretKeyOf = (secretArn: string): string | undefined => {
    const secret = deployment.resources('AWS::SecretsManager::Secret').find((s) => deployment.ref(s.stack, s.logicalId) === secretArn);
    return secret ? keyArnOf(secret.stack, secret.properties.KmsKeyId) : undefined;
  };
  /**
   * The KMS calls a service makes with the caller's permissions: DynamoDB decrypts the table key
   * (under the table's customer-managed key) for any access to the table's items; Secrets Manager
   * decrypts a secret under its key for GetSecretValue ("Authorizing use of the KMS key", Secrets
   * Manager User Guide). Both are authorised as the caller, with kms:ViaService naming the service.
   */
  const derived = (action: string, resource: string): Array<{ action: string; resource: string; context: Record<string, string> }> => {
    const table = DYNAMODB_TABLE.exec(resource);
    if (action.startsWith('dynamodb:') && table) {
      const key = tableKeyOf(table[1] as string);
      return key ? [{ action: 'kms:Decrypt', resource: key, context: { 'kms:ViaService': `dynamodb.${env.region}.amazonaws.com` } }] : [];
    }
    if (action === 'secretsmanager:GetSecretValue') {
      const key = secretKeyOf(resource);
      return key ? [{ action: 'kms:Decrypt', resource: key, context: { 'kms:ViaService': `secretsmanager.${env.region}.amazonaws.com` } }] : [];
    }
    return [];
  };

  // ---- evaluate --------------------------------------------------------------------------------
  const checks = new Map<string, Evaluated & { principal: string }>();
  const unresolved: PermissionReport['unresolved'] = [];
  const pending: Array<{
    key: string;
    holder: string;
    principal: string;
    action: string;
    resource: string;
    context: Record<string, string>;
    derivedFrom?: string;
  }> = [];
  let total = 0;
  for (const call of calls) {
    total += call.count ?? 1;
    let principal: string;
    let resource: string;
    let context: Record<string, string>;
    try {
      principal = principalOf(call.principal);
      resource = resolveName(call.resource);
      context = Object.fromEntries(Object.entries(call.context ?? {}).map(([k, v]) => [k, resolveName(v)]));
    } catch (error) {
      unresolved.push({ call, error: (error as Error).message });
      continue;
    }
    const add = (action: string, res: string, ctx: Record<string, string>, derivedFrom?: string) => {
      const key = JSON.stringify([principal, action, res, ctx]);
      if (!checks.has(key) && !pending.some((p) => p.key === key))
        pending.push({ key, holder: call.principal, principal, action, resource: res, context: ctx, ...(derivedFrom ? { derivedFrom } : {}) });
    };
    add(call.action, resource, context);
    for (const d of derived(call.action, resource)) add(d.action, d.resource, d.context, `${call.action} on ${resource}`);
  }
  for (const p of pending) {
    const service = !p.principal.startsWith('arn:');
    const simulation: Simulation = {
      request: {
        principal: p.principal,
        action: p.action,
        resource: { resource: p.resource, accountId: env.account },
        contextVariables: { 'aws:SecureTransport': 'true', ...(service ? { 'aws:SourceAccount': env.account } : {}), ...p.context },
      },
      identityPolicies: identityPolicies(p.principal),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: resourcePolicyOf(p.resource),
    };
    const outcome = await runSimulation(simulation, {});
    let result: string;
    if (outcome.resultType !== 'error') result = outcome.overallResult;
    else if (AUTHORISED_ON_ISSUING_STATE_MACHINE.has(p.action)) result = runUnsafeSimulation(simulation, {});
    else result = `not evaluated: ${outcome.errors.message}`;
    checks.set(p.key, {
      holder: p.holder,
      principal: p.principal,
      action: p.action,
      resource: p.resource,
      context: p.context,
      result,
      ...(p.derivedFrom ? { derivedFrom: p.derivedFrom } : {}),
    });
  }
  const evaluated = [...checks.values()];
  const allowed = evaluated.filter((c) => c.result === 'Allowed');

  // ---- every grant, and whether an allowed call used it ---------------------------------------
  const holderOfRole = new Map<string, string>();
  for (const name of Object.keys(functions)) holderOfRole.set(principalOf(`function:${name}`), `function:${name}`);
  for (const sm of deployment.resources('AWS::StepFunctions::StateMachine'))
    holderOfRole.set(deployment.resolveString(sm.stack, sm.properties.RoleArn), `state-machine:${deployment.ref(sm.stack, sm.logicalId)}`);
  const grants: Grant[] = [];
  for (const role of deployment.resources('AWS::IAM::Role')) {
    const roleArn = deployment.getAtt(role.stack, role.logicalId, 'Arn');
    for (const { name, policy } of identityPolicies(roleArn))
      for (const s of statementsOf(policy)) {
        if (s.Effect !== 'Allow') continue;
        if (s.NotAction || s.NotResource) throw new Error(`${name}: NotAction/NotResource is not expanded here`);
        for (const action of list(s.Action))
          for (const resource of list(s.Resource))
            grants.push({ holder: holderOfRole.get(roleArn) ?? `role:${roleArn}`, principal: roleArn, action, resource, where: name });
      }
  }
  for (const { resource, where, statements } of policies)
    for (const s of statements) {
      const services = list(s.Principal?.Service);
      if (s.Effect !== 'Allow' || !services.length) continue;
      const conditions = Object.values(s.Condition ?? {}) as Array<Record<string, unknown>>;
      const sourceArns = conditions.flatMap((c) =>
        Object.entries(c)
          .filter(([k]) => k.toLowerCase() === 'aws:sourcearn')
          .flatMap(([, v]) => list(v)),
      );
      for (const service of services)
        for (const action of list(s.Action))
          for (const pattern of list(s.Resource ?? resource))
            grants.push({
              holder: `service:${service}`,
              principal: service,
              action,
              resource: pattern === '*' ? resource : pattern,
              ...(sourceArns.length ? { sourceArns } : {}),
              where,
            });
    }
  const view: DeploymentView = { deployment, resolve: resolveName, tableKeyOf };
  const exercised = (g: Grant) =>
    allowed.some(
      (c) =>
        c.principal === g.principal &&
        glob(g.action, c.action, true) &&
        glob(g.resource, c.resource) &&
        (!g.sourceArns || g.sourceArns.some((s) => glob(s, c.context['aws:SourceArn'] ?? ''))),
    );
  const unexercised: Grant[] = [];
  const excepted: PermissionReport['excepted'] = [];
  for (const grant of grants) {
    if (exercised(grant)) continue;
    const exception = exceptions.find((e) => e.matches(grant, view));
    if (exception) excepted.push({ grant, exception: exception.name });
    else unexercised.push(grant);
  }

  return { calls: total, checks: evaluated, denied: evaluated.filter((c) => c.result !== 'Allowed'), unexercised, excepted, unresolved };
};
