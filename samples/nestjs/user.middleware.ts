import { Injectable, type NestMiddleware } from '@nestjs/common';
import { trackContext } from 'payi-instrument';

interface Req { header(name: string): string | undefined }

/**
 * Puts the request's end user (header `x-user-id`) into a scope around the rest of the request,
 * so every provider call the request makes is attributed to that user. Users on the trial plan
 * (header `x-plan: trial`) also count against the `trial_budget` limit.
 */
@Injectable()
export class UserContextMiddleware implements NestMiddleware {
  use(req: Req, _res: unknown, next: () => void): void {
    const userId = req.header('x-user-id');
    const limitIds = req.header('x-plan') === 'trial' ? ['trial_budget'] : undefined;
    if (userId || limitIds) trackContext({ userId, limitIds }, next);
    else next();
  }
}
