import Anthropic from '@anthropic-ai/sdk';
import type { GoogleGenAI } from '@google/genai';
import { Inject, Injectable } from '@nestjs/common';
import OpenAI from 'openai';
import { Track } from 'payi-instrument';
import { ANTHROPIC, GEMINI, OPENAI } from './providers';

/**
 * The chatbot feature. Its methods inherit the use case of the controller that calls them and
 * add the `chat_daily` limit; `replyWithClaude` and `replyWithGemini` run under steps of their own.
 */
@Injectable()
export class ChatService {
  constructor(
    @Inject(OPENAI) private readonly openai: OpenAI,
    @Inject(ANTHROPIC) private readonly anthropic: Anthropic,
    @Inject(GEMINI) private readonly gemini: GoogleGenAI,
  ) {}

  @Track({ limitIds: ['chat_daily'], useCaseStep: 'gemini' })
  async replyWithGemini(prompt: string): Promise<string> {
    const response = await this.gemini.models.generateContent({ model: 'gemini-2.5-flash', contents: prompt });
    return response.text ?? '';
  }

  @Track({ limitIds: ['chat_daily'] })
  async reply(prompt: string): Promise<string> {
    const completion = await this.openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: prompt }],
    });
    return completion.choices[0]?.message?.content ?? '';
  }

  @Track({ limitIds: ['chat_daily'] })
  async replyStreaming(prompt: string): Promise<string> {
    const stream = await this.openai.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: prompt }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    return text;
  }

  @Track({ limitIds: ['chat_daily'], useCaseStep: 'claude' })
  async replyWithClaude(prompt: string): Promise<string> {
    const message = await this.anthropic.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 256,
      messages: [{ role: 'user', content: prompt }],
    });
    const first = message.content[0];
    return first && first.type === 'text' ? first.text : '';
  }
}
