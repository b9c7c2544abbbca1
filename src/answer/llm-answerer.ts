import type OpenAI from 'openai';
import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import type { Config } from '../config.ts';
import { UserError, isUserError } from '../errors.ts';
import { createOpenAIClient, isAbort, toUpstreamError } from '../openai-client.ts';
import type { AnswerResult, Citation, Passage } from '../types.ts';
import { checkMarkers, isRefusal, pickQuote, sentencesCiting } from './check-citations.ts';
import { citationFor } from './number-citations.ts';
import { NOT_IN_SOURCES, buildMessages, numberSources } from './prompt.ts';

export const LLM_DEFAULTS = {
  maxTokens: 800, // completion tokens: a few short paragraphs
  temperature: 0, // grounded QA wants the most likely wording, not variety
  maxUngroundedChars: 600, // of an uncited model reply shown as "unverified"
};

export const NOT_CLEARLY_COVERED = "The tracked news doesn't clearly cover this, so I can't give a sourced answer.";

export interface LlmAnswerOptions {
  /** Today's date (YYYY-MM-DD) for the prompt, so "last week" can be judged against source dates. */
  asOf?: string;
  /** Cancels the request; the abort error is rethrown as is. */
  signal?: AbortSignal;
  /** Streams raw model text as it arrives: a draft, before citations are checked. */
  onToken?: (text: string) => void;
}

export interface LlmAnswerer {
  answer(question: string, passages: Passage[], opts?: LlmAnswerOptions): Promise<AnswerResult>;
}

export interface LlmAnswererDeps {
  client?: OpenAI;
  /** SDK retries on 429 / 5xx / connection errors, honouring Retry-After (default 2). */
  maxRetries?: number;
  maxTokens?: number;
}

/**
 * Answers from retrieved passages with an OpenAI-compatible chat model. Sources are numbered by article;
 * every [n] in the reply is checked against those numbers, and a reply with no valid citation (or one
 * that says the sources don't cover the question) comes back as `no-context`.
 */
export function createLlmAnswerer(config: Config, deps: LlmAnswererDeps = {}): LlmAnswerer {
  if (config.answerer.kind !== 'openai') {
    throw new UserError('config', 'createLlmAnswerer needs NEWSDESK_ANSWERER=openai.');
  }
  const model = config.answerer.model;
  const client = deps.client ?? createOpenAIClient(config, { maxRetries: deps.maxRetries });
  // Reasoning models (o1, o3, gpt-5…) reject `temperature` and `max_tokens`.
  const reasoning = /^(o\d|gpt-5)/.test(model);

  async function complete(messages: ReturnType<typeof buildMessages>, opts: LlmAnswerOptions): Promise<string> {
    // One deadline for the whole answer, retries and streamed body included (the SDK's timeout covers
    // each attempt only until the response starts).
    const deadline = AbortSignal.timeout(config.openai.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
    const params: ChatCompletionCreateParamsBase = {
      model,
      messages,
      ...(reasoning
        ? { max_completion_tokens: deps.maxTokens ?? LLM_DEFAULTS.maxTokens }
        : { max_tokens: deps.maxTokens ?? LLM_DEFAULTS.maxTokens, temperature: LLM_DEFAULTS.temperature }),
    };
    try {
      if (!opts.onToken) {
        const res = await client.chat.completions.create({ ...params, stream: false }, { signal });
        return res.choices[0]?.message?.content ?? '';
      }
      const stream = await client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } }, { signal });
      let text = '';
      for await (const chunk of stream) {
        const piece = chunk.choices[0]?.delta?.content;
        if (piece) {
          text += piece;
          opts.onToken(piece);
        }
      }
      return text;
    } catch (err) {
      if (opts.signal?.aborted && isAbort(err)) throw err;
      const timedOut = deadline.aborted && isAbort(err);
      const cause = timedOut ? Object.assign(new Error('answer deadline exceeded'), { name: 'TimeoutError' }) : err;
      throw isUserError(err) ? err : toUpstreamError(cause, config, 'The language model', 'OPENAI_CHAT_MODEL');
    }
  }

  async function answer(question: string, passages: Passage[], opts: LlmAnswerOptions = {}): Promise<AnswerResult> {
    if (question.trim() === '') throw new UserError('empty-question', 'Ask a question about the news we track.');
    const sources = numberSources(passages);
    if (sources.length === 0) return { kind: 'no-context', answer: NOT_CLEARLY_COVERED, citations: [], grounded: false };

    const reply = (await complete(buildMessages(question, sources, { asOf: opts.asOf }), opts)).trim();
    const refused = reply.startsWith(NOT_IN_SOURCES) || isRefusal(reply);
    const checked = checkMarkers(reply, new Set(sources.map((s) => s.n)));
    if (refused || checked.used.length === 0) {
      const shown = refused || checked.text === '' ? '' : `\n\nUnverified model reply (it cited none of the sources): ${clip(checked.text)}`;
      return { kind: 'no-context', answer: NOT_CLEARLY_COVERED + shown, citations: [], grounded: false };
    }
    const citations: Citation[] = checked.used.map((n) => {
      const source = sources[n - 1]!;
      const quote = pickQuote(source, `${question} ${sentencesCiting(checked.text, n)}`);
      return citationFor(n, source.passages[0]!, quote);
    });
    return { kind: 'answered', answer: checked.text, citations, grounded: true, directAnswer: verifiedDirectAnswer(checked.text, sources) };
  }

  return { answer };
}

/**
 * The bold lead of a reply (`**X** — …`), kept only when X is written verbatim in one of the sources:
 * a direct answer is a quote, never the model's own words.
 */
export function verifiedDirectAnswer(reply: string, sources: ReturnType<typeof numberSources>): string | null {
  const m = /^\s*\*\*([^*\n]{1,120})\*\*/.exec(reply);
  if (!m) return null;
  const lead = m[1]!.trim();
  return sources.some((s) => s.passages.some((p) => p.text.includes(lead)) || s.title.includes(lead)) ? lead : null;
}

function clip(text: string): string {
  const max = LLM_DEFAULTS.maxUngroundedChars;
  return text.length <= max ? text : `${text.slice(0, max).trimEnd()}…`;
}
