import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { describeZodError } from '../../protocol/frames';
import type { GatewayNode } from '../gatewayNode';
import { readJsonBody, sendError, sendJson } from '../httpUtil';

const requestId = z.string().min(1).max(128);
const drainBody = z
  .object({
    requestId,
    deadlineSeconds: z.number().positive().max(86_400),
    disconnectRatePerSecond: z.number().positive().max(1_000_000),
  })
  .strict();
const undrainBody = z.object({ requestId }).strict();

type Action = 'drain' | 'undrain' | 'restart' | 'status';
interface Answer {
  status: number;
  body: unknown;
}

/** `/admin/*`: strict JSON bodies, idempotent by `requestId` (the first answer is replayed). */
export class AdminApi {
  /** requestId → first answer; bounded (oldest forgotten first). */
  private readonly answers = new Map<string, Answer>();

  constructor(private readonly node: GatewayNode) {}

  count(action: string, outcome: 'accepted' | 'rejected' | 'unauthorized'): void {
    this.node.metrics.adminRequests.inc({ action, outcome });
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const action = path.slice('/admin/'.length) as Action;
    const method = action === 'status' ? 'GET' : 'POST';
    if (!['drain', 'undrain', 'restart', 'status'].includes(action)) {
      this.count('unknown', 'rejected');
      return sendError(res, 404, `no admin action "${action.slice(0, 40)}"; use status, drain, undrain or restart`);
    }
    if (req.method !== method) {
      this.count(action, 'rejected');
      return sendError(res, 405, `${path} takes ${method}`, { allow: method });
    }
    if (action === 'status') {
      this.count(action, 'accepted');
      return sendJson(res, 200, this.node.status());
    }
    let body: unknown;
    try {
      body = await readJsonBody(req, this.node.config.maxAdminBodyBytes);
    } catch (err) {
      this.count(action, 'rejected');
      return sendError(res, (err as { status?: number }).status ?? 400, (err as Error).message);
    }
    const parsed = (action === 'undrain' ? undrainBody : drainBody).safeParse(body);
    if (!parsed.success) {
      this.count(action, 'rejected');
      return sendError(res, 400, describeZodError(parsed.error));
    }
    const id = parsed.data.requestId;
    const first = this.answers.get(id);
    if (first) return sendJson(res, first.status, first.body, { 'idempotent-replay': 'true' });
    const answer = this.act(action, parsed.data as z.infer<typeof drainBody>);
    this.count(action, answer.status < 300 ? 'accepted' : 'rejected');
    this.answers.set(id, answer);
    if (this.answers.size > 1000) this.answers.delete(this.answers.keys().next().value as string);
    sendJson(res, answer.status, answer.body);
  }

  private act(action: 'drain' | 'undrain' | 'restart', b: z.infer<typeof drainBody>): Answer {
    const node = this.node;
    if (action === 'undrain') {
      if (node.restarting) return { status: 409, body: { error: 'node is restarting; it cannot be undrained' } };
      node.undrain();
      return { status: 200, body: node.status() };
    }
    if (node.restarting && action === 'drain') return { status: 409, body: { error: 'node is restarting' } };
    node.drain(b.deadlineSeconds, b.disconnectRatePerSecond, action === 'restart');
    return { status: 202, body: node.status() };
  }
}
