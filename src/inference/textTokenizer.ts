/**
 * Text → token ids from a local tokenizer.json. `@huggingface/tokenizers`
 * neither truncates nor pads, so truncation happens here, on the tokens before
 * special tokens are added, the way the Rust `tokenizers` library does it: the
 * result always ends in its closing special token, and a pair is shortened
 * longest-first. (Padding in tokenizer.json, e.g. fixed to 512, is ignored on
 * purpose: batches are padded to their own longest row.)
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Tokenizer } from '@huggingface/tokenizers';
import { z } from 'zod';

export interface TokenizedText {
  readonly ids: number[];
  /** Segment of each token: 0 for a single text or the first of a pair, 1 for the second. */
  readonly typeIds: number[];
}

export interface TextTokenizer {
  /** Id of the padding token (attention-masked, so it only has to be a valid id). */
  readonly padId: number;
  encode(text: string, maxTokens: number): TokenizedText;
  encodePair(first: string, second: string, maxTokens: number): TokenizedText;
}

/**
 * The part of `@huggingface/tokenizers`' `Tokenizer` used here. Its published
 * declarations import their siblings without file extensions, which NodeNext
 * resolution rejects, so the class arrives untyped; this states its shape.
 */
interface HfTokenizer {
  /** Tokens without special tokens (the library's default). */
  tokenize(text: string): string[];
  get_vocab(withAddedTokens: boolean): Map<string, number>;
  readonly model: { readonly unk_token_id?: number } | null;
  readonly post_processor: {
    post_process(
      tokens: string[],
      pair: string[] | null,
      addSpecialTokens: boolean,
    ): { tokens: string[]; token_type_ids?: number[] };
  } | null;
}
const HfTokenizerClass = Tokenizer as unknown as new (
  tokenizerJson: object,
  tokenizerConfig: object,
) => HfTokenizer;

const TokenizerJsonSchema = z.object({
  padding: z.object({ pad_id: z.number().int().nonnegative() }).nullish(),
});

/** Loads tokenizer.json (and tokenizer_config.json beside it, when present). */
export async function loadTextTokenizer(tokenizerPath: string): Promise<TextTokenizer> {
  const json = JSON.parse(await readFile(tokenizerPath, 'utf8')) as object;
  const settings = await readOptionalJson(path.join(path.dirname(tokenizerPath), 'tokenizer_config.json'));
  const tokenizer = new HfTokenizerClass(json, settings);
  const vocab = tokenizer.get_vocab(true);
  const unknownId = tokenizer.model?.unk_token_id;

  const toIds = (tokens: readonly string[]): number[] =>
    tokens.map((token) => {
      const id = vocab.get(token) ?? unknownId;
      if (id === undefined)
        throw new Error(`${tokenizerPath}: token "${token}" has no id and there is no unknown token`);
      return id;
    });

  const withSpecialTokens = (first: string[], second: string[] | null): TokenizedText => {
    if (!tokenizer.post_processor) return { ids: toIds([...first, ...(second ?? [])]), typeIds: [] };
    const processed = tokenizer.post_processor.post_process(first, second, true);
    return { ids: toIds(processed.tokens), typeIds: processed.token_type_ids ?? [] };
  };
  // How many special tokens the template adds, measured rather than assumed ([CLS] … [SEP] is BERT's).
  const singleOverhead = withSpecialTokens([], null).ids.length;
  const pairOverhead = withSpecialTokens([], []).ids.length;
  const padId = TokenizerJsonSchema.safeParse(json).data?.padding?.pad_id ?? vocab.get('[PAD]') ?? 0;

  return {
    padId,
    encode(text, maxTokens) {
      const tokens = tokenizer.tokenize(text);
      return withSpecialTokens(tokens.slice(0, Math.max(0, maxTokens - singleOverhead)), null);
    },
    encodePair(first, second, maxTokens) {
      const a = tokenizer.tokenize(first);
      const b = tokenizer.tokenize(second);
      const [keepA, keepB] = truncatePairLengths(a.length, b.length, Math.max(0, maxTokens - pairOverhead));
      return withSpecialTokens(a.slice(0, keepA), b.slice(0, keepB));
    },
  };
}

/** Texts tokenised between two yields to the event loop (tokenising is synchronous JavaScript). */
const ENCODE_CHUNK = 256;

/** `encode` applied to every item, yielding to the event loop between chunks so large inputs do not stall it. */
export async function encodeMany<T>(
  items: readonly T[],
  encode: (item: T) => TokenizedText,
): Promise<TokenizedText[]> {
  const encoded: TokenizedText[] = [];
  for (let start = 0; start < items.length; start += ENCODE_CHUNK) {
    if (start > 0) await nextTurn();
    for (const item of items.slice(start, start + ENCODE_CHUNK)) encoded.push(encode(item));
  }
  return encoded;
}

/**
 * Token counts to keep of a pair so the sum fits `budget`, as the Rust
 * `tokenizers` LongestFirst strategy computes them: the shorter side stays whole
 * when the longer one can absorb the cut; otherwise both get half and the
 * longer side the odd token.
 */
export function truncatePairLengths(first: number, second: number, budget: number): [number, number] {
  if (first + second <= budget) return [first, second];
  const swapped = first > second;
  let short = swapped ? second : first;
  let long: number;
  if (short > budget) long = short;
  else long = Math.max(short, budget - short);
  if (short + long > budget) {
    short = Math.floor(budget / 2);
    long = short + (budget % 2);
  }
  return swapped ? [long, short] : [short, long];
}

async function readOptionalJson(file: string): Promise<object> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as object;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}
