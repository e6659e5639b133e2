// S3's own error shape: <Error><Code/><Message/>…<RequestId/></Error>, XML.

import { randomBytes } from 'node:crypto';

export class S3Error extends Error {
  constructor(status, code, message, extra = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

const xmlEscape = (s) => String(s).replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]);

export function newRequestId() {
  return randomBytes(8).toString('hex').toUpperCase();
}

export function errorXml(err, requestId, resource) {
  const extra = Object.entries(err.extra ?? {}).map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${xmlEscape(err.code)}</Code><Message>${xmlEscape(err.message)}</Message>${extra}` +
    (resource ? `<Resource>${xmlEscape(resource)}</Resource>` : '') +
    `<RequestId>${requestId}</RequestId><HostId>${Buffer.from(requestId).toString('base64')}</HostId></Error>`
  );
}

/** Sends an S3 error (no body for HEAD, as S3 does) and closes the connection if the request body was not read. */
export function sendS3Error(req, res, err, requestId, resource) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = req.method === 'HEAD' ? Buffer.alloc(0) : Buffer.from(errorXml(err, requestId, resource), 'utf8');
  const headers = { 'content-type': 'application/xml', 'x-amz-request-id': requestId, 'content-length': body.length };
  if (!req.complete) headers.connection = 'close';
  res.writeHead(err.status, headers);
  res.end(body);
  if (!req.complete) req.resume();
}
