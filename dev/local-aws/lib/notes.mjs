// The notes table (deploy/cleancognito.yaml's NotesTable) in moto's DynamoDB, created under its
// local name with the key schema the template declares, never a copy; and the check that the
// template's policies use only the DynamoDB condition keys the front supplies.

import { DynamoDb } from './dynamodb.mjs';
import { createTableRequest } from './deployed-api.mjs';
import { assertConditionKeysSupplied } from './dynamodbactions.mjs';

export class NotesTable {
  static logicalId = 'NotesTable';

  constructor({ config, policies, endpoint, log }) {
    const table = policies.tables[NotesTable.logicalId];
    if (!table) throw new Error(`${config.s3PolicyTemplate}: no AWS::DynamoDB::Table named ${NotesTable.logicalId}`);
    if (!table.properties.KeySchema?.some((k) => k.KeyType === 'HASH')) throw new Error(`${config.s3PolicyTemplate}: ${NotesTable.logicalId} has no HASH key`);
    assertConditionKeysSupplied(policies.identityPolicies, config.s3PolicyTemplate);
    this.request = createTableRequest(table.name, table.properties);
    this.dynamoDb = new DynamoDb({ endpoint, region: config.region });
    this.log = log;
  }

  /** (Re-)creates the empty table; after moto's reset too. */
  async create() {
    await this.dynamoDb.recreateTable(this.request);
    this.log(`DynamoDB table ${this.request.TableName} ready (${this.request.KeySchema.map((k) => `${k.AttributeName} ${k.KeyType}`).join(', ')})`);
  }
}
