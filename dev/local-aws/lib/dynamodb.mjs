// The few DynamoDB calls the stand-in itself makes against moto_server (create the table from the
// template, seed it): the JSON 1.0 protocol over fetch. moto checks no signature, so the
// Authorization header only names the service (moto routes on its credential scope).

const TIMEOUT_MS = 10_000;

export class DynamoDb {
  constructor({ endpoint, region }) {
    this.endpoint = endpoint;
    this.region = region;
  }

  async call(operation, body) {
    const res = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${operation}`,
        authorization: `AWS4-HMAC-SHA256 Credential=local/20260101/${this.region}/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : {};
    if (!res.ok) {
      const error = new Error(`DynamoDB ${operation}: ${json.__type ?? res.status} ${json.message ?? json.Message ?? text.slice(0, 200)}`);
      error.type = String(json.__type ?? '').split('#').pop();
      throw error;
    }
    return json;
  }

  async recreateTable(request) {
    try {
      await this.call('DeleteTable', { TableName: request.TableName });
    } catch (err) {
      if (err.type !== 'ResourceNotFoundException') throw err;
    }
    await this.call('CreateTable', request);
  }

  /** Writes items (plain objects of strings) 25 at a time, as BatchWriteItem allows. */
  async putAll(tableName, items) {
    for (let i = 0; i < items.length; i += 25) {
      const requests = items.slice(i, i + 25).map((item) => ({
        PutRequest: { Item: Object.fromEntries(Object.entries(item).map(([k, v]) => [k, { S: v }])) },
      }));
      const result = await this.call('BatchWriteItem', { RequestItems: { [tableName]: requests } });
      if (Object.keys(result.UnprocessedItems ?? {}).length) throw new Error('DynamoDB BatchWriteItem left items unprocessed');
    }
  }
}
