import Anthropic from '@anthropic-ai/sdk';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { Inject, Injectable } from '@nestjs/common';
import { Track } from 'payi-instrument';
import { ANTHROPIC, BEDROCK } from './providers';

/** Document summaries: Anthropic streaming, or Amazon Nova on Bedrock. */
@Injectable()
export class SummaryService {
  constructor(
    @Inject(ANTHROPIC) private readonly anthropic: Anthropic,
    @Inject(BEDROCK) private readonly bedrock: BedrockRuntimeClient,
  ) {}

  @Track({ limitIds: ['summaries_monthly'] })
  async summarize(text: string): Promise<string> {
    const stream = this.anthropic.messages.stream({
      model: 'claude-haiku-4-5',
      max_tokens: 512,
      messages: [{ role: 'user', content: `Summarize this: ${text}` }],
    });
    const message = await stream.finalMessage();
    const first = message.content[0];
    return first && first.type === 'text' ? first.text : '';
  }

  @Track({ limitIds: ['summaries_monthly'], useCaseStep: 'bedrock' })
  async summarizeOnBedrock(text: string): Promise<string> {
    const out = await this.bedrock.send(
      new ConverseCommand({
        modelId: 'amazon.nova-lite-v1:0',
        messages: [{ role: 'user', content: [{ text: `Summarize this: ${text}` }] }],
      }),
    );
    return out.output?.message?.content?.[0]?.text ?? '';
  }
}
