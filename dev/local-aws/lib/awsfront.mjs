// The AWS front: ONE listener (the S3 port) between every AWS client of the stack (the app,
// presigned URLs opened by a browser, tests) and moto_server on an internal port. It serves two
// services and refuses what they and IAM refuse, with the same SigV4 verification (sigv4.mjs), the
// same keys (credentials.mjs) and the same IAM evaluator over the template's policies (iampolicy.mjs):
//
//   - DynamoDB: POST with X-Amz-Target: DynamoDB_20120810.* (dynamodbfront.mjs);
//   - S3: everything else, path-style (s3front.mjs).
//
// Test hooks under /_local/ (not a valid bucket name, so no clash with S3): health, stats,
// pause/resume (the front stops answering, like a stalled endpoint), fail-next (throttling and
// other service errors moto never gives), reset.

import { createServer, sendJson, readJson, HttpError, TestHooks, sleep } from './http.mjs';
import { S3Error, sendS3Error, newRequestId } from './s3errors.mjs';
import { DynamoDbError, sendDynamoDbError, newDynamoDbRequestId } from './dynamodberrors.mjs';
import { createS3Handler } from './s3front.mjs';
import { createDynamoDbHandler, isDynamoDbRequest } from './dynamodbfront.mjs';
import { TARGET_PREFIX } from './dynamodbactions.mjs';

// What /_local/fail-next answers by default: throttling, as each service words it.
const FAILURE_DEFAULTS = {
  s3: { status: 503, type: 'SlowDown', message: 'Please reduce your request rate.' },
  dynamodb: { status: 400, type: 'ProvisionedThroughputExceededException', message: 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.' },
};

export function createAwsFront({ config, upstream, registry, evaluator, log }) {
  const stats = { requests: 0, refused: {}, paused: 0, dynamodb: 0 };
  let pause = null; // { promise, release } while paused
  const hooks = new TestHooks();
  const s3 = createS3Handler({ config, upstream, registry, evaluator, log });
  const dynamodb = createDynamoDbHandler({ config, upstream, registry, evaluator, log });

  function refuse(code) {
    stats.refused[code] = (stats.refused[code] ?? 0) + 1;
  }

  async function localHook(req, res, p) {
    if (p === '/_local/health' && req.method === 'GET') return sendJson(res, 200, { ok: true, piece: 's3', services: ['s3', 'dynamodb'], paused: pause !== null });
    if (p === '/_local/stats' && req.method === 'GET') return sendJson(res, 200, stats);
    if (req.method !== 'POST') return sendJson(res, 405, { message: 'use POST' });
    if (p === '/_local/pause') {
      // Requests keep arriving and are held unanswered, as from a stalled endpoint.
      if (!pause) {
        let release;
        const promise = new Promise((resolve) => {
          release = resolve;
        });
        pause = { promise, release };
      }
      log('paused: S3 and DynamoDB requests are held until /_local/resume');
      return sendJson(res, 200, { paused: true });
    }
    if (p === '/_local/fail-next') {
      // target: "s3", "dynamodb" or one DynamoDB operation ("DynamoDB_20120810.Query").
      const body = await readJson(req).catch(() => null);
      const target = body?.target;
      const service = target === 's3' ? 's3' : target === 'dynamodb' || (typeof target === 'string' && target.startsWith(TARGET_PREFIX)) ? 'dynamodb' : null;
      if (!service) return sendJson(res, 400, { message: `target must be "s3", "dynamodb" or "${TARGET_PREFIX}<Operation>"` });
      return sendJson(res, 200, hooks.addFailure(body, FAILURE_DEFAULTS[service]));
    }
    if (p === '/_local/resume' || p === '/_local/reset') {
      pause?.release();
      pause = null;
      if (p === '/_local/reset') {
        hooks.reset();
        stats.requests = 0;
        stats.refused = {};
        stats.paused = 0;
        stats.dynamodb = 0;
      }
      log(p === '/_local/reset' ? 'hooks reset' : 'resumed');
      return sendJson(res, 200, { paused: false });
    }
    return sendJson(res, 404, { message: `unknown test hook ${p}` });
  }

  const server = createServer('s3', log, async (req, res) => {
    if (req.url.startsWith('/_local/')) {
      try {
        return await localHook(req, res, req.url.split('?')[0]);
      } catch (err) {
        if (err instanceof HttpError) return sendJson(res, err.status, { message: err.message });
        throw err;
      }
    }
    if (pause) {
      stats.paused += 1;
      await pause.promise;
      if (req.destroyed || res.destroyed) return;
    }
    stats.requests += 1;

    if (isDynamoDbRequest(req)) {
      stats.dynamodb += 1;
      const requestId = newDynamoDbRequestId();
      try {
        const failure = hooks.takeFailure(String(req.headers['x-amz-target'])) ?? hooks.takeFailure('dynamodb');
        if (failure) {
          await sleep(failure.delayMs);
          throw new DynamoDbError(failure.type, failure.message, failure.status);
        }
        await dynamodb.handle(req, res, requestId);
      } catch (err) {
        if (err instanceof DynamoDbError) {
          refuse(err.type);
          log(`DynamoDB ${req.headers['x-amz-target']} refused: ${err.status} ${err.type}: ${err.message}`);
          return sendDynamoDbError(req, res, err, requestId);
        }
        log(`DynamoDB ${req.headers['x-amz-target']} failed:`, err);
        return sendDynamoDbError(req, res, new DynamoDbError('InternalServerError', `The local DynamoDB front failed: ${err.message}`, 500), requestId);
      }
      return;
    }

    const requestId = newRequestId();
    try {
      const failure = hooks.takeFailure('s3');
      if (failure) {
        await sleep(failure.delayMs);
        throw new S3Error(failure.status, failure.type, failure.message);
      }
      await s3.handle(req, res, requestId);
    } catch (err) {
      if (err instanceof S3Error) {
        refuse(err.code);
        log(`${req.method} ${redact(req.url)} refused: ${err.status} ${err.code}: ${err.message}`);
        return sendS3Error(req, res, err, requestId);
      }
      log(`${req.method} ${redact(req.url)} failed:`, err);
      return sendS3Error(req, res, new S3Error(500, 'InternalError', `The local S3 front failed: ${err.message}`), requestId);
    }
  });

  return {
    server,
    reset() {
      pause?.release();
      pause = null;
      dynamodb.reset();
    },
  };
}

// Signatures and session tokens stay out of the logs.
function redact(url) {
  return String(url).replace(/((?:X-Amz-Signature|X-Amz-Security-Token|X-Amz-Credential)=)[^&]*/gi, '$1…');
}
