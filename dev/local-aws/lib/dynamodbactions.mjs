// Maps a DynamoDB JSON 1.0 request (X-Amz-Target: DynamoDB_20120810.<Operation>) to what IAM
// authorizes: one or more { action, resource, context } checks, with the condition keys DynamoDB
// supplies (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html):
//   dynamodb:LeadingKeys  the partition-key values of every item the request names (Key, Item, a
//                         Query's key condition, every key of a batch), absent for a Scan;
//   dynamodb:Select, dynamodb:ReturnValues, dynamodb:ReturnConsumedCapacity  when the request has them.
// The front FAILS CLOSED: an operation it does not know, or one whose leading keys it cannot compute
// (unparseable key condition, missing key attribute, a key of another type), is refused, because
// ForAllValues over an absent key would allow it.

import { DynamoDbError } from './dynamodberrors.mjs';
import { queryLeadingKeys, scalarOf } from './dynamodbkeys.mjs';

export const TARGET_PREFIX = 'DynamoDB_20120810.';

/** The condition keys this module supplies; a policy that uses another dynamodb: key is refused at start. */
export const SUPPLIED_CONDITION_KEYS = new Set(['dynamodb:LeadingKeys', 'dynamodb:Select', 'dynamodb:ReturnValues', 'dynamodb:ReturnConsumedCapacity', 'dynamodb:EnclosingOperation']);

// Operations that name no item: IAM sees no dynamodb:LeadingKeys. `on` says what the resource is.
const KEYLESS = {
  Scan: 'table-or-index',
  DescribeTable: 'table',
  CreateTable: 'table',
  DeleteTable: 'table',
  UpdateTable: 'table',
  DescribeTimeToLive: 'table',
  UpdateTimeToLive: 'table',
  DescribeContinuousBackups: 'table',
  ListTagsOfResource: 'arn',
  TagResource: 'arn',
  UntagResource: 'arn',
  ListTables: 'all-tables',
  DescribeLimits: 'all',
  DescribeEndpoints: 'all',
};

// Every other operation DynamoDB has: known, but not authorized by this front (PartiQL statements,
// backups, exports, global tables, streams, resource policies…). Refused rather than guessed.
const KNOWN_UNSUPPORTED = new Set([
  'ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction', 'CreateBackup', 'DeleteBackup', 'DescribeBackup', 'ListBackups',
  'RestoreTableFromBackup', 'RestoreTableToPointInTime', 'UpdateContinuousBackups', 'CreateGlobalTable', 'DescribeGlobalTable',
  'DescribeGlobalTableSettings', 'ListGlobalTables', 'UpdateGlobalTable', 'UpdateGlobalTableSettings', 'ExportTableToPointInTime',
  'DescribeExport', 'ListExports', 'ImportTable', 'DescribeImport', 'ListImports', 'DescribeContributorInsights',
  'ListContributorInsights', 'UpdateContributorInsights', 'DescribeKinesisStreamingDestination', 'EnableKinesisStreamingDestination',
  'DisableKinesisStreamingDestination', 'UpdateKinesisStreamingDestination', 'DescribeTableReplicaAutoScaling',
  'UpdateTableReplicaAutoScaling', 'GetResourcePolicy', 'PutResourcePolicy', 'DeleteResourcePolicy',
]);

const ITEM_OPERATIONS = { GetItem: 'Key', DeleteItem: 'Key', UpdateItem: 'Key', PutItem: 'Item' };
const TRANSACT_ACTIONS = { Get: ['GetItem', 'Key'], Put: ['PutItem', 'Item'], Update: ['UpdateItem', 'Key'], Delete: ['DeleteItem', 'Key'], ConditionCheck: ['ConditionCheckItem', 'Key'] };

const refuse = (why) => new DynamoDbError('AccessDeniedException', `The local DynamoDB front refuses this request: ${why} (it cannot compute dynamodb:LeadingKeys, so it fails closed).`);
const invalid = (message) => new DynamoDbError('ValidationException', message);

/**
 * Returns [{ action, resource, context }] for one request. `keySchemaOf(tableName, indexName?)`
 * resolves to the partition-key attribute name of a table or index, or null when it does not exist.
 */
export async function classifyDynamoDb({ operation, input, region, accountId, keySchemaOf }) {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new DynamoDbError('SerializationException', 'The request body must be a JSON object.');
  const tableArn = (name) => `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;
  const tableName = (value, where = 'TableName') => {
    if (typeof value !== 'string' || value === '') throw invalid(`1 validation error detected: Value null at '${where}' failed to satisfy constraint: Member must not be null`);
    // A table ARN is accepted where a name is (DynamoDB allows it); only this account and region.
    const arn = /^arn:aws:dynamodb:([^:]+):(\d{12}):table\/([^/]+)$/.exec(value);
    if (arn) {
      if (arn[1] !== region || arn[2] !== accountId) throw refuse(`the table ARN ${value} is not in this account and region`);
      return arn[3];
    }
    if (!/^[A-Za-z0-9_.-]{3,255}$/.test(value)) throw invalid(`1 validation error detected: Value '${value}' at '${where}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`);
    return value;
  };
  const common = () => {
    const context = {};
    for (const [field, key] of [['ReturnConsumedCapacity', 'dynamodb:ReturnConsumedCapacity'], ['ReturnValues', 'dynamodb:ReturnValues'], ['Select', 'dynamodb:Select']]) {
      if (typeof input[field] === 'string') context[key] = input[field];
    }
    return context;
  };
  const hashKeyOf = async (table, index) => {
    const hashKey = await keySchemaOf(table, index);
    if (!hashKey) throw refuse(`the key schema of ${index ? `index ${index} of ` : ''}table ${table} is unknown (no such table or index)`);
    return hashKey;
  };
  const leadingKeyOf = (item, hashKey, where) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw refuse(`${where} is not a map of attribute values`);
    const value = scalarOf(item[hashKey]);
    if (value === null) throw refuse(`${where} has no scalar value for the partition key ${hashKey}`);
    return value;
  };

  if (Object.hasOwn(ITEM_OPERATIONS, operation)) {
    const table = tableName(input.TableName);
    const field = ITEM_OPERATIONS[operation];
    const key = leadingKeyOf(input[field], await hashKeyOf(table), field);
    return [{ action: `dynamodb:${operation}`, resource: tableArn(table), context: { ...common(), 'dynamodb:LeadingKeys': [key] } }];
  }

  if (operation === 'Query') {
    const table = tableName(input.TableName);
    const index = input.IndexName;
    if (index !== undefined && (typeof index !== 'string' || index === '')) throw refuse('IndexName is not a name');
    const keys = queryLeadingKeys(input, await hashKeyOf(table, index));
    if (!keys) throw refuse('the key condition does not fix the partition key to exactly one value this front can read');
    const resource = index ? `${tableArn(table)}/index/${index}` : tableArn(table);
    return [{ action: 'dynamodb:Query', resource, context: { ...common(), 'dynamodb:LeadingKeys': keys } }];
  }

  if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') {
    const requests = input.RequestItems;
    if (requests === null || typeof requests !== 'object' || Array.isArray(requests) || Object.keys(requests).length === 0) {
      throw invalid("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
    }
    const checks = [];
    // One check per table with the partition keys of all its items (IAM authorizes a batch per table).
    for (const [name, entry] of Object.entries(requests)) {
      const table = tableName(name, 'requestItems');
      const hashKey = await hashKeyOf(table);
      const keys = [];
      if (operation === 'BatchGetItem') {
        if (!Array.isArray(entry?.Keys) || entry.Keys.length === 0) throw refuse(`RequestItems.${name}.Keys is not a non-empty list`);
        entry.Keys.forEach((k, i) => keys.push(leadingKeyOf(k, hashKey, `RequestItems.${name}.Keys[${i}]`)));
      } else {
        if (!Array.isArray(entry) || entry.length === 0) throw refuse(`RequestItems.${name} is not a non-empty list`);
        entry.forEach((request, i) => {
          const kinds = Object.keys(request ?? {});
          if (kinds.length !== 1) throw refuse(`RequestItems.${name}[${i}] must be exactly one PutRequest or DeleteRequest`);
          if (kinds[0] === 'PutRequest') keys.push(leadingKeyOf(request.PutRequest?.Item, hashKey, `RequestItems.${name}[${i}].PutRequest.Item`));
          else if (kinds[0] === 'DeleteRequest') keys.push(leadingKeyOf(request.DeleteRequest?.Key, hashKey, `RequestItems.${name}[${i}].DeleteRequest.Key`));
          else throw refuse(`RequestItems.${name}[${i}].${kinds[0]} is not a PutRequest or DeleteRequest`);
        });
      }
      checks.push({ action: `dynamodb:${operation}`, resource: tableArn(table), context: { ...common(), 'dynamodb:LeadingKeys': [...new Set(keys)] } });
    }
    return checks;
  }

  if (operation === 'TransactGetItems' || operation === 'TransactWriteItems') {
    const items = input.TransactItems;
    if (!Array.isArray(items) || items.length === 0) throw invalid("1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null");
    const checks = [];
    // Each item is authorized as its own single-item action.
    for (const [i, entry] of items.entries()) {
      const kinds = Object.keys(entry ?? {});
      const kind = kinds.length === 1 && Object.hasOwn(TRANSACT_ACTIONS, kinds[0]) && (operation === 'TransactWriteItems' ? kinds[0] !== 'Get' : kinds[0] === 'Get') ? kinds[0] : null;
      if (!kind) throw refuse(`TransactItems[${i}] is not one ${operation === 'TransactGetItems' ? 'Get' : 'Put, Update, Delete or ConditionCheck'}`);
      const [action, field] = TRANSACT_ACTIONS[kind];
      const table = tableName(entry[kind]?.TableName, `transactItems.${i}.member.${kind.toLowerCase()}.tableName`);
      const key = leadingKeyOf(entry[kind]?.[field], await hashKeyOf(table), `TransactItems[${i}].${kind}.${field}`);
      const context = { 'dynamodb:LeadingKeys': [key], 'dynamodb:EnclosingOperation': operation };
      if (kind !== 'Get' && typeof entry[kind].ReturnValuesOnConditionCheckFailure === 'string') context['dynamodb:ReturnValues'] = entry[kind].ReturnValuesOnConditionCheckFailure;
      if (typeof input.ReturnConsumedCapacity === 'string') context['dynamodb:ReturnConsumedCapacity'] = input.ReturnConsumedCapacity;
      checks.push({ action: `dynamodb:${action}`, resource: tableArn(table), context });
    }
    return checks;
  }

  if (Object.hasOwn(KEYLESS, operation)) {
    const on = KEYLESS[operation];
    let resource;
    if (on === 'all') resource = '*';
    else if (on === 'all-tables') resource = `arn:aws:dynamodb:${region}:${accountId}:table/*`;
    else if (on === 'arn') {
      if (typeof input.ResourceArn !== 'string') throw invalid("1 validation error detected: Value null at 'resourceArn' failed to satisfy constraint: Member must not be null");
      resource = input.ResourceArn;
    } else {
      const table = tableName(input.TableName);
      resource = on === 'table-or-index' && typeof input.IndexName === 'string' ? `${tableArn(table)}/index/${input.IndexName}` : tableArn(table);
    }
    // No dynamodb:LeadingKeys at all: ForAllValues conditions on it hold, so only the action grant decides.
    return [{ action: `dynamodb:${operation}`, resource, context: common() }];
  }

  if (KNOWN_UNSUPPORTED.has(operation)) throw refuse(`${operation} is not authorized by the local front`);
  throw new DynamoDbError('UnknownOperationException', '');
}

/** Throws when a policy uses a dynamodb: condition key this front does not supply (it would be evaluated as absent). */
export function assertConditionKeysSupplied(policies, templatePath) {
  for (const { name, text } of policies) {
    const document = JSON.parse(text);
    const statements = [].concat(document.Statement ?? []);
    for (const statement of statements) {
      for (const keys of Object.values(statement.Condition ?? {})) {
        for (const key of Object.keys(keys ?? {})) {
          if (key.toLowerCase().startsWith('dynamodb:') && ![...SUPPLIED_CONDITION_KEYS].some((k) => k.toLowerCase() === key.toLowerCase())) {
            throw new Error(`${templatePath}: policy ${name} uses the condition key ${key}, which the local DynamoDB front does not supply (it would be treated as absent); supported: ${[...SUPPLIED_CONDITION_KEYS].join(', ')}`);
          }
        }
      }
    }
  }
}
