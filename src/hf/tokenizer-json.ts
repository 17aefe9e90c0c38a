// The character vocabulary as a Hugging Face tokenizer: a BPE model with one entry per character
// or special token and no merges (so text splits into single characters), the specials as added
// tokens matched before the model runs, and a Fuse decoder (ids -> text with no separators).

/** Specials that tokenizers drop when asked to skip special tokens; the others (<q>, <ok>…) stay in text. */
export const CONTROL_TOKENS = ['<pad>', '<bos>', '<eos>'] as const;

const isSpecial = (t: string): boolean => t.length > 1;

/** tokenizer.json for a vocabulary whose multi-character entries are specials and others characters. */
export function tokenizerJson(vocab: readonly string[]) {
  const bad = vocab.findIndex((t, i) => t.length === 0 || vocab.indexOf(t) !== i);
  if (bad >= 0) throw new Error(`vocab entry ${bad} (${JSON.stringify(vocab[bad])}) is empty or repeated`);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: vocab.flatMap((content, id) =>
      isSpecial(content)
        ? [
            {
              id,
              content,
              single_word: false,
              lstrip: false,
              rstrip: false,
              normalized: false,
              special: (CONTROL_TOKENS as readonly string[]).includes(content),
            },
          ]
        : [],
    ),
    normalizer: null,
    pre_tokenizer: null,
    post_processor: null,
    decoder: { type: 'Fuse' },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
      merges: [],
    },
  };
}

/** tokenizer_config.json (transformers.js v4 loads no tokenizer without it). */
export const tokenizerConfig = (vocab: readonly string[], ctx: number) => {
  const need = (t: string) => {
    if (!vocab.includes(t)) throw new Error(`the vocabulary has no ${t} token`);
    return t;
  };
  return {
    tokenizer_class: 'PreTrainedTokenizerFast',
    bos_token: need('<bos>'),
    eos_token: need('<eos>'),
    pad_token: need('<pad>'),
    unk_token: null,
    add_bos_token: false, // prompts carry <bos> in their text
    add_eos_token: false,
    padding_side: 'left', // the engine's batches are left-padded
    model_max_length: ctx,
    clean_up_tokenization_spaces: false,
  };
};
