/**
 * @module tokens
 * Pre-tokenises the benchmark corpus with the model's own tokenizer (transformers.js, the same
 * tokenizer.json the service loads), wrapped in [CLS] … [SEP] as the service's model.wrap does,
 * so the bare-session ceiling pays for no tokenisation at all.
 */
import { AutoTokenizer, env } from '@huggingface/transformers';

/** Token ids per text, special tokens included; texts longer than `maxTokens` are refused. */
export async function tokenise(modelDir: string, modelId: string, texts: readonly string[], maxTokens = 512): Promise<number[][]> {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = modelDir;
  const tokenizer = await AutoTokenizer.from_pretrained(modelId);
  const [cls, sep] = tokenizer.encode('', { add_special_tokens: true }) as [number, number];
  return texts.map((text, i) => {
    const ids = [cls, ...(tokenizer.encode(text, { add_special_tokens: false }) as number[]), sep];
    if (ids.length > maxTokens) throw new Error(`text ${i} has ${ids.length} tokens, more than the ${maxTokens} one pass takes`);
    return ids;
  });
}
