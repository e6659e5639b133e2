// The IAM side of the AWS front (S3 and DynamoDB): the authenticated role's
// policies and the bucket policy, read from the CloudFormation template the product deploys
// (deploy/cleancognito.yaml), never from a copy, and evaluated with a real
// IAM policy evaluator (@cloud-copilot/iam-simulate, AGPL-3.0: a dev-only
// dependency of this stand-in, never of the product).
//
// The template is CloudFormation YAML: its short-form tags (!Sub, !Ref,
// !GetAtt, …) become the long form ({"Fn::Sub": …}) and the few intrinsics a
// policy uses are resolved against the local stack (bucket name, table names,
// partition, account, region). Anything else in a policy is refused at start, so a
// template change the stand-in cannot follow fails loudly instead of being
// half-understood.

import fs from 'node:fs';
import { parse } from 'yaml';
import { runSimulation } from '@cloud-copilot/iam-simulate';

const INTRINSICS = {
  '!Ref': 'Ref', '!Sub': 'Fn::Sub', '!GetAtt': 'Fn::GetAtt', '!If': 'Fn::If', '!Equals': 'Fn::Equals',
  '!Join': 'Fn::Join', '!Select': 'Fn::Select', '!Split': 'Fn::Split', '!Not': 'Fn::Not', '!And': 'Fn::And',
  '!Or': 'Fn::Or', '!FindInMap': 'Fn::FindInMap', '!ImportValue': 'Fn::ImportValue', '!GetAZs': 'Fn::GetAZs',
  '!Base64': 'Fn::Base64', '!Cidr': 'Fn::Cidr', '!Condition': 'Condition', '!Transform': 'Fn::Transform',
};

const customTags = Object.entries(INTRINSICS).flatMap(([tag, fn]) => [
  { tag, resolve: (s) => ({ [fn]: fn === 'Fn::GetAtt' ? s.split('.') : s }) },
  { tag, collection: 'seq', resolve: (seq) => ({ [fn]: seq.toJSON() }) },
  { tag, collection: 'map', resolve: (map) => ({ [fn]: map.toJSON() }) },
]);

// The IAM policy variable the identity pool's role is written with.
const SUB_VARIABLE = '${cognito-identity.amazonaws.com:sub}';

export function parseTemplate(text) {
  return parse(text, { customTags });
}

/**
 * Reads the template and returns the policies the front enforces.
 * `bucket` is the local bucket the template's files bucket stands for;
 * `tableNames` maps a table's logical id to its local name (for the tables the
 * stack creates). Returns { bucketArn, roleName, identityPolicies, bucketPolicy, tables }
 * where tables maps logical id → { name, arn, properties }.
 */
export function loadPolicies({ templatePath, bucket, tableNames = {}, region, accountId }) {
  let template;
  try {
    template = parseTemplate(fs.readFileSync(templatePath, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read the IAM policy from ${templatePath}: ${err.message}`);
  }
  const resources = template?.Resources ?? {};
  const ofType = (type) => Object.entries(resources).filter(([, r]) => r?.Type === type);

  const buckets = ofType('AWS::S3::Bucket');
  if (buckets.length !== 1) throw new Error(`${templatePath}: expected exactly one AWS::S3::Bucket, found ${buckets.length}`);
  const [bucketId] = buckets[0];
  const bucketArn = `arn:aws:s3:::${bucket}`;

  // The role the identity pool gives signed-in users.
  const attachments = ofType('AWS::Cognito::IdentityPoolRoleAttachment');
  const roleRef = attachments[0]?.[1]?.Properties?.Roles?.authenticated;
  const roleId = roleRef?.['Fn::GetAtt']?.[0] ?? roleRef?.Ref;
  const role = resources[roleId];
  if (!role || role.Type !== 'AWS::IAM::Role') {
    throw new Error(`${templatePath}: no authenticated role found (IdentityPoolRoleAttachment Roles.authenticated must be !GetAtt <role>.Arn)`);
  }

  const tables = {};
  for (const [id, table] of ofType('AWS::DynamoDB::Table')) {
    if (!tableNames[id]) continue;
    if (table.Properties?.ResourcePolicy) throw new Error(`${templatePath}: ${id} has a ResourcePolicy; the local front evaluates identity policies only for DynamoDB`);
    tables[id] = { name: tableNames[id], arn: `arn:aws:dynamodb:${region}:${accountId}:table/${tableNames[id]}`, properties: table.Properties ?? {} };
  }

  const resolve = (value, where) => resolveIntrinsics(value, { bucketId, bucket, bucketArn, tables, region, accountId, where, templatePath });
  const identityPolicies = (role.Properties?.Policies ?? []).map((p) => ({ name: p.PolicyName, text: JSON.stringify(resolve(p.PolicyDocument, `${roleId} ${p.PolicyName}`)) }));
  if (identityPolicies.length === 0) throw new Error(`${templatePath}: the role ${roleId} has no inline Policies`);
  if (role.Properties?.ManagedPolicyArns?.length) {
    throw new Error(`${templatePath}: ${roleId} has ManagedPolicyArns; the local AWS front can only evaluate inline policies`);
  }

  const bucketPolicies = ofType('AWS::S3::BucketPolicy')
    .filter(([, r]) => r.Properties?.Bucket?.Ref === bucketId)
    .map(([id, r]) => resolve(r.Properties.PolicyDocument, id));
  if (bucketPolicies.length > 1) throw new Error(`${templatePath}: more than one bucket policy for ${bucketId}`);

  return {
    bucketArn,
    roleName: `${roleId}-local`,
    identityPolicies,
    bucketPolicy: bucketPolicies[0] ?? null,
    tables,
  };
}

function resolveIntrinsics(value, ctx) {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(v, ctx));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
    const [fn] = keys;
    const arg = value[fn];
    if (fn === 'Ref') return ref(arg, ctx);
    if (fn === 'Fn::GetAtt' && Array.isArray(arg) && arg[0] === ctx.bucketId && arg[1] === 'Arn') return ctx.bucketArn;
    if (fn === 'Fn::GetAtt' && Array.isArray(arg) && ctx.tables[arg[0]] && arg[1] === 'Arn') return ctx.tables[arg[0]].arn;
    if (fn === 'Fn::Sub' && typeof arg === 'string') {
      // ${!Literal} is an escaped ${Literal} (how the template writes IAM policy variables).
      return arg.replace(/\$\{(!?)([^}]+)\}/g, (_, bang, name) => {
        if (bang) return `\${${name}}`;
        if (name === `${ctx.bucketId}.Arn`) return ctx.bucketArn;
        const [logicalId, attribute] = name.split('.');
        if (attribute === 'Arn' && ctx.tables[logicalId]) return ctx.tables[logicalId].arn;
        return ref(name, ctx);
      });
    }
    throw new Error(`${ctx.templatePath}: ${ctx.where} uses ${fn} ${JSON.stringify(arg)}, which the local AWS front cannot resolve`);
  }
  return Object.fromEntries(keys.map((k) => [k, resolveIntrinsics(value[k], ctx)]));
}

function ref(name, ctx) {
  if (ctx.tables[name]) return ctx.tables[name].name;
  switch (name) {
    case ctx.bucketId: return ctx.bucket;
    case 'AWS::Partition': return 'aws';
    case 'AWS::Region': return ctx.region;
    case 'AWS::AccountId': return ctx.accountId;
    case 'AWS::URLSuffix': return 'amazonaws.com';
    default:
      // IAM policy variables inside a !Sub are written ${!…}; a bare IAM-style name here is a template bug.
      throw new Error(`${ctx.templatePath}: ${ctx.where} refers to ${name}, which the local AWS front cannot resolve`);
  }
}

/**
 * Decides one request. `identityId` is the caller's Cognito IdentityId; it
 * replaces ${cognito-identity.amazonaws.com:sub} in the policy text before the
 * evaluator sees it (iam-simulate's validated entry point drops that context
 * key as unknown). Returns { allowed, result, error? }.
 */
export class PolicyEvaluator {
  constructor({ policies, accountId }) {
    this.policies = policies;
    this.accountId = accountId;
    this.cache = new Map();
  }

  policiesFor(identityId) {
    let entry = this.cache.get(identityId);
    if (!entry) {
      entry = this.policies.identityPolicies.map((p) => ({ name: p.name, policy: JSON.parse(p.text.split(SUB_VARIABLE).join(identityId)) }));
      if (this.cache.size > 1000) this.cache.clear();
      this.cache.set(identityId, entry);
    }
    return entry;
  }

  async decide({ identityId, action, resource, context }) {
    const principal = `arn:aws:sts::${this.accountId}:assumed-role/${this.policies.roleName}/CognitoIdentityCredentials`;
    const simulation = {
      identityPolicies: this.policiesFor(identityId),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      // The bucket policy is the resource policy of S3 requests only (the tables have none).
      resourcePolicy: action.startsWith('s3:') ? this.policies.bucketPolicy ?? undefined : undefined,
      request: {
        principal,
        action,
        resource: { resource, accountId: this.accountId },
        contextVariables: {
          'aws:PrincipalArn': principal,
          'aws:PrincipalAccount': this.accountId,
          'aws:userid': `AROALOCAL:CognitoIdentityCredentials`,
          'aws:PrincipalType': 'AssumedRole',
          'aws:RequestedRegion': 'us-east-1',
          // The front is plain http on loopback; it stands for AWS's https endpoint.
          'aws:SecureTransport': 'true',
          'aws:SourceIp': '127.0.0.1',
          'aws:CurrentTime': new Date().toISOString(),
          'aws:EpochTime': String(Math.floor(Date.now() / 1000)),
          ...context,
        },
      },
    };
    const response = await runSimulation(simulation, {});
    if (response.resultType === 'error') {
      return { allowed: false, result: 'Error', error: JSON.stringify(response.errors).slice(0, 500) };
    }
    return { allowed: response.overallResult === 'Allowed', result: response.overallResult };
  }
}
