import 'reflect-metadata';
import {
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  Injectable,
  type INestApplication,
  Param,
  Query,
  UseGuards,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Track } from '../../decorators';
import { getContext } from '../../src/context/scope';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Lets a request through only with `x-api-key: secret`. */
@Injectable()
class ApiKeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    return request.headers['x-api-key'] === 'secret';
  }
}

/** An injected service with its own method-level @Track, reading the user id from its arguments. */
@Injectable()
class AnswerService {
  @Track({ limitIds: ['chat_daily'], userId: ({ args }) => String(args[1]) })
  async answer(question: string, _user: string): Promise<{ question: string; context: object }> {
    await new Promise((resolve) => setImmediate(resolve));
    return { question, context: getContext() };
  }
}

@Track({ useCaseName: 'chatbot', requestTags: ['nest'] })
@Controller('chat')
class ChatController {
  constructor(private readonly answers: AnswerService) {}

  @Get('context')
  context(): object {
    return getContext();
  }

  // @Track above @Get and @UseGuards: Nest's decorators run first, on the original method.
  @Track({ useCaseStep: 'ask' })
  @Get('ask/:user')
  @UseGuards(ApiKeyGuard)
  async ask(@Param('user') user: string, @Query('q') q?: string): Promise<object> {
    return { user, ...(await this.answers.answer(q ?? 'hi', user)) };
  }

  // @Track below @Get and @UseGuards: Nest's decorators run after it, on the wrapper.
  @Get('summary/:id')
  @UseGuards(ApiKeyGuard)
  @Track({ useCaseName: 'summarizer', useCaseVersion: 2 })
  summary(@Param('id') id: string): object {
    return { id, context: getContext() };
  }
}

/** @Track written below @Controller. */
@Controller('health')
@Track({ useCaseName: 'health' })
class HealthController {
  @Get()
  check(): object {
    return getContext();
  }
}

describe('@Track on a NestJS application (legacy decorators)', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [ChatController, HealthController],
      providers: [AnswerService, ApiKeyGuard],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    url = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await app?.close();
  });

  const get = async (path: string, headers: Record<string, string> = { 'x-api-key': 'secret' }): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${url}${path}`, { headers });
    return { status: res.status, body: await res.json() };
  };

  it('routes a request to a method of a class-level @Track controller, which sees the class scope', async () => {
    const { status, body } = await get('/chat/context');
    expect(status).toBe(200);
    expect(body).toEqual({ useCaseName: 'chatbot', useCaseId: expect.stringMatching(UUID_V4), requestTags: ['nest'] });
  });

  it('injects the service, passes the route parameter, and merges class, method and service scopes', async () => {
    const { status, body } = await get('/chat/ask/alice?q=hello');
    expect(status).toBe(200);
    expect(body).toEqual({
      user: 'alice',
      question: 'hello',
      context: {
        useCaseName: 'chatbot',
        useCaseId: expect.stringMatching(UUID_V4),
        useCaseStep: 'ask',
        requestTags: ['nest'],
        limitIds: ['chat_daily'],
        userId: 'alice',
      },
    });
  });

  it('works with @Track written below @Get: a new use case with its version', async () => {
    const { status, body } = await get('/chat/summary/42');
    expect(status).toBe(200);
    expect(body).toEqual({
      id: '42',
      context: { useCaseName: 'summarizer', useCaseId: expect.stringMatching(UUID_V4), useCaseVersion: 2, requestTags: ['nest'] },
    });
  });

  it('still runs the guard in both decorator orders: a request without the header is refused', async () => {
    expect((await get('/chat/ask/alice', {})).status).toBe(403);
    expect((await get('/chat/summary/42', { 'x-api-key': 'wrong' })).status).toBe(403);
    expect((await get('/chat/context', {})).status).toBe(200);
  });

  it('works with @Track written below @Controller', async () => {
    const { status, body } = await get('/health');
    expect(status).toBe(200);
    expect(body).toEqual({ useCaseName: 'health', useCaseId: expect.stringMatching(UUID_V4) });
  });

  it('gives each request its own use case id and never mixes concurrent requests\' users', async () => {
    const users = ['alice', 'bob', 'carol', 'dave'];
    const answers = await Promise.all(users.map((u) => get(`/chat/ask/${u}`)));
    expect(answers.map((a) => a.body.context.userId)).toEqual(users);
    expect(new Set(answers.map((a) => a.body.context.useCaseId)).size).toBe(users.length);
  });
});
