/**
 * Twin of "Day 2: Tracking Users with @ingest(user_id)": a user id given at decoration time, and a
 * user id passed per call with createHeaders (which takes precedence over the decorator's).
 */
import { Ingest, createHeaders, payiInstrument, shutdown } from 'payi-instrument';
import { runIfMain, sampleOpenAI } from './env';

const client = sampleOpenAI();

/** Where an application would read its current user (auth system, session...). */
function getCurrentUserId(): string {
  return 'user_from_context';
}

class Assistant {
  // 1. User ID from context: evaluated at decoration time, like the Python example
  @Ingest({ userId: getCurrentUserId() })
  static async myFunction(prompt: string): Promise<string> {
    const response = await client.chat.completions.create({ model: 'gpt-3.5-turbo', messages: [{ role: 'user', content: prompt }] });
    return response.choices[0]?.message?.content ?? '';
  }

  // 2. User ID from function parameters: per-call headers beat the decorator
  @Ingest({ userId: getCurrentUserId() })
  static async getAiResponseForUser(prompt: string, userId: string): Promise<string> {
    const response = await client.chat.completions.create(
      { model: 'gpt-3.5-turbo', messages: [{ role: 'user', content: prompt }] },
      { headers: createHeaders({ userId }) },
    );
    return response.choices[0]?.message?.content ?? '';
  }
}

/** Makes the calls of the seed page; the events go to PAYI_BASE_URL. */
export async function main(): Promise<string[]> {
  payiInstrument();
  try {
    return [
      await Assistant.myFunction('Tell me about Pay-i'),
      await Assistant.getAiResponseForUser('Tell me a joke', 'user_123'),
      await Assistant.getAiResponseForUser("What's the weather?", 'user_456'),
    ];
  } finally {
    await shutdown();
  }
}

runIfMain(module, main);
