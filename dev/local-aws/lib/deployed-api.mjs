// What deploy/cleancognito.yaml deploys for AppSync, read from the template itself: the objects
// table (key schema, owner index), the data source and every resolver with its mapping-template
// files. The stand-in builds its API from this, so a resolver that is not in the template does not
// run locally either, and the files that run are the files `aws cloudformation package` uploads.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const DEPLOY_DIR = path.resolve(HERE, '../../../deploy');
export const TEMPLATE_PATH = path.join(DEPLOY_DIR, 'cleancognito.yaml');

// CloudFormation's short-form intrinsics, kept as their long form ({ Ref: … }, { 'Fn::GetAtt': … }).
const INTRINSICS = ['Ref', 'Sub', 'GetAtt', 'If', 'Equals', 'Not', 'And', 'Or', 'Join', 'Select', 'Split', 'FindInMap', 'GetAZs', 'ImportValue', 'Base64', 'Cidr', 'Condition'];
const customTags = INTRINSICS.flatMap((name) => {
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
  const wrap = (value) => ({ [key]: name === 'GetAtt' && typeof value === 'string' ? value.split('.') : value });
  return ['scalar', 'seq', 'map'].map((kind) => ({ tag: `!${name}`, collection: kind === 'scalar' ? undefined : kind, resolve: kind === 'scalar' ? (v) => wrap(v) : (v) => wrap(v.toJSON()) }));
});

/** Reads the template's AppSync part. Throws, naming the resource, when something it needs is missing. */
export function loadDeployedApi(templatePath = TEMPLATE_PATH) {
  const template = parse(fs.readFileSync(templatePath, 'utf8'), { customTags });
  const resources = template.Resources ?? {};
  const ofType = (type) => Object.entries(resources).filter(([, r]) => r.Type === type);

  const dataSources = ofType('AWS::AppSync::DataSource').map(([logicalId, r]) => {
    const p = r.Properties;
    if (p.Type !== 'AMAZON_DYNAMODB') throw new Error(`${logicalId}: the stand-in serves AMAZON_DYNAMODB data sources only, not ${p.Type}`);
    const tableId = p.DynamoDBConfig?.TableName?.Ref;
    const table = resources[tableId];
    if (!table || table.Type !== 'AWS::DynamoDB::Table') throw new Error(`${logicalId}: DynamoDBConfig.TableName must be !Ref to a table in the template`);
    return { logicalId, name: p.Name, tableId, table: table.Properties };
  });

  const resolvers = ofType('AWS::AppSync::Resolver').map(([logicalId, r]) => {
    const p = r.Properties;
    if (p.Kind !== 'UNIT') throw new Error(`${logicalId}: only UNIT resolvers are served locally`);
    if (p.Runtime || p.Code || p.CodeS3Location) throw new Error(`${logicalId}: the simulator runs VTL only (no APPSYNC_JS)`);
    const sourceId = p.DataSourceName?.['Fn::GetAtt']?.[0];
    const dataSource = dataSources.find((d) => d.logicalId === sourceId);
    if (!dataSource) throw new Error(`${logicalId}: DataSourceName must be !GetAtt <data source>.Name`);
    const file = (key) => {
      const location = p[key];
      if (typeof location !== 'string') throw new Error(`${logicalId}: ${key} must be a path to a mapping-template file`);
      const full = path.resolve(DEPLOY_DIR, location);
      return { path: full, text: fs.readFileSync(full, 'utf8') };
    };
    return { logicalId, typeName: p.TypeName, fieldName: p.FieldName, dataSourceName: dataSource.name, request: file('RequestMappingTemplateS3Location'), response: file('ResponseMappingTemplateS3Location') };
  });

  return { dataSources, resolvers };
}

/** The CreateTable request for a table resource: the deployed key schema and indexes, under a local name. */
export function createTableRequest(tableName, table) {
  return {
    TableName: tableName,
    BillingMode: table.BillingMode ?? 'PAY_PER_REQUEST',
    AttributeDefinitions: table.AttributeDefinitions,
    KeySchema: table.KeySchema,
    ...(table.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: table.GlobalSecondaryIndexes } : {}),
  };
}
