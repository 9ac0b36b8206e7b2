import { IncomingMessage, ServerResponse } from 'node:http';
import { statusBody } from './StatusError';
import { SandboxFault } from './types';

/**
 * Acts out an injected fault on a request, the way an overloaded or broken
 * Kubernetes API server would: `reset` destroys the connection, `slow` waits
 * `delayMs` and lets the request go on, `429` answers TooManyRequests with
 * Retry-After, `500` an InternalError Status. Resolves true when the request
 * has been answered (or dropped) and must not be served.
 *
 * Used by the sandbox and by the real control plane's fault proxy.
 *
 * @public
 */
export async function answerFault(
  fault: SandboxFault | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  if (!fault) return false;
  if (fault.kind === 'reset') {
    req.socket.destroy();
    return true;
  }
  if (fault.kind === 'slow') {
    await new Promise(r => setTimeout(r, fault.delayMs ?? 1000));
    return false;
  }
  const send = (
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  };
  if (fault.kind === '429') {
    const seconds = fault.retryAfterSeconds ?? 1;
    send(
      429,
      statusBody(
        429,
        'TooManyRequests',
        'Too many requests, please try again later.',
        { retryAfterSeconds: seconds },
      ),
      { 'Retry-After': String(seconds) },
    );
    return true;
  }
  send(
    500,
    statusBody(500, 'InternalError', 'Internal error occurred: injected fault'),
  );
  return true;
}
