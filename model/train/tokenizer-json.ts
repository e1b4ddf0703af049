/**
 * @module tokenizer-json
 * Turns a vocab into the Hugging Face tokenizer files (tokenizer.json, tokenizer_config.json) of an
 * uncased BERT WordPiece tokenizer, the format AutoTokenizer in transformers.js loads.
 */
import { SPECIAL_TOKENS } from './vocab.ts';

/** Sequence-length limit, as in bert-base; the pipeline truncates to it. */
export const MODEL_MAX_LENGTH = 512;

function idOf(vocab: readonly string[], token: string): number {
  const id = vocab.indexOf(token);
  if (id < 0) throw new Error(`vocab lacks ${token}`);
  return id;
}

export function tokenizerJson(vocab: readonly string[]): object {
  const cls = idOf(vocab, '[CLS]');
  const sep = idOf(vocab, '[SEP]');
  const special = (id: string, typeId: number) => ({ SpecialToken: { id, type_id: typeId } });
  const sequence = (id: 'A' | 'B', typeId: number) => ({ Sequence: { id, type_id: typeId } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({
      id: idOf(vocab, content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      // null means "follow lowercase", i.e. accents are stripped, as in bert-base-uncased.
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]', 0), sequence('A', 0), special('[SEP]', 0)],
      pair: [special('[CLS]', 0), sequence('A', 0), special('[SEP]', 0), sequence('B', 1), special('[SEP]', 1)],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [cls], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [sep], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((token, id) => [token, id])),
    },
  };
}

export function tokenizerConfigJson(): object {
  return {
    do_lower_case: true,
    model_max_length: MODEL_MAX_LENGTH,
    tokenizer_class: 'BertTokenizer',
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
    clean_up_tokenization_spaces: true,
  };
}
