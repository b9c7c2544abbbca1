import type { Embeddings } from '@langchain/core/embeddings';
import type { Config } from '../config.ts';
import { LocalHashEmbeddings } from './local-embeddings.ts';

/** The configured embedder with its identity (recorded in the store and the index) and dimension. */
export async function createEmbeddings(config: Config): Promise<{ embeddings: Embeddings; id: string; dim: number }> {
  if (config.embedder.kind === 'local') {
    const embeddings = new LocalHashEmbeddings({ dim: config.embedder.dim });
    return { embeddings, id: embeddings.id, dim: config.embedder.dim };
  }
  const { createOpenAIEmbeddings, embedderId, probeEmbeddingDimension } = await import('./openai-embeddings.ts');
  const embeddings = createOpenAIEmbeddings(config);
  const dim = await probeEmbeddingDimension(embeddings);
  return { embeddings, id: embedderId(config), dim };
}
