import { Body, Controller, Get, HttpException, HttpStatus, Param, Post } from '@nestjs/common';
import { PayiLimitBlockedError, Track, getContext } from 'payi-instrument';
import { ChatService } from './chat.service';
import { SummaryService } from './summary.service';

interface PromptBody { prompt?: string; text?: string }

/** Maps a refused call (a blocked limit) to HTTP 429 and leaves every other error alone. */
async function refusedAs429<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof PayiLimitBlockedError) {
      throw new HttpException({ error: 'limit_blocked', limitIds: err.limitIds }, HttpStatus.TOO_MANY_REQUESTS);
    }
    throw err;
  }
}

/** The chatbot endpoints: the whole controller is the `chatbot` use case. */
@Track({ useCaseName: 'chatbot' })
@Controller('chat')
export class ChatController {
  constructor(private readonly chat: ChatService) {}

  @Post(':model')
  async ask(@Param('model') model: string, @Body() body: PromptBody): Promise<{ answer: string }> {
    const prompt = body.prompt ?? 'Hello';
    return refusedAs429(async () => {
      if (model === 'claude') return { answer: await this.chat.replyWithClaude(prompt) };
      if (model === 'gemini') return { answer: await this.chat.replyWithGemini(prompt) };
      if (model === 'stream') return { answer: await this.chat.replyStreaming(prompt) };
      return { answer: await this.chat.reply(prompt) };
    });
  }

  /** Shows the attribution a call made here would get (for the curious and for tests). */
  @Get('context')
  context(): object {
    return getContext();
  }
}

/** Document summaries: the `document_summarizer` use case, version 2. */
@Controller('summaries')
export class SummaryController {
  constructor(private readonly summaries: SummaryService) {}

  @Track({ useCaseName: 'document_summarizer', useCaseVersion: 2 })
  @Post()
  async create(@Body() body: PromptBody): Promise<{ summary: string }> {
    return refusedAs429(async () => ({ summary: await this.summaries.summarize(body.text ?? '') }));
  }

  @Post('bedrock')
  @Track({ useCaseName: 'document_summarizer', useCaseVersion: 2 })
  async createOnBedrock(@Body() body: PromptBody): Promise<{ summary: string }> {
    return refusedAs429(async () => ({ summary: await this.summaries.summarizeOnBedrock(body.text ?? '') }));
  }
}
