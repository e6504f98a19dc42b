import { z } from 'zod';

/**
 * Parameters of the hashed-linear student. Defaults were tuned across banking77, trec, emotion and
 * sst2 (not on one set), and hold from a few dozen rows to ~100k.
 */
export const HashedLinearParamsSchema = z
  .object({
    /** log2 of the hashing-trick bucket count. Only buckets seen in training are stored. */
    hashBits: z.number().int().min(10).max(24).default(20),
    /** Longest word n-gram (1 = unigrams, 2 = + bigrams). */
    wordNgrams: z.number().int().min(1).max(4).default(2),
    /** Char n-gram range inside "<word>"-padded tokens; charMax 0 turns char n-grams off. */
    charMin: z.number().int().min(1).max(10).default(3),
    charMax: z.number().int().min(0).max(10).default(5),
    /** Weight of the char n-gram block against the word block (each block is L2-normalized first). */
    charWeight: z.number().min(0).max(10).default(0.7),
    /** Keep features seen in at least this many training texts; `auto` = 1 under 1000 rows, else 2. */
    minDf: z.union([z.literal('auto'), z.number().int().min(1)]).default('auto'),
    /** Keep at most this many features (the most frequent): bounds memory and time on long documents. */
    maxFeatures: z.number().int().min(1).default(262144),
    /** ASGD initial step size (inputs are unit-norm, so this hardly needs touching). */
    learningRate: z.number().positive().max(100).default(2),
    /** L2 strength per row. */
    l2: z.number().min(0).max(1).default(3e-6),
    /** Cap on passes over the data when early stopping. */
    maxEpochs: z.number().int().min(1).max(1000).default(30),
    /** Early stopping: stop after this many passes in a row that cut the held-out loss by under 1%. */
    patience: z.number().int().min(1).max(100).default(2),
    /** Share of rows held out for early stopping and calibration. */
    validationFraction: z.number().min(0.01).max(0.5).default(0.1),
    /** Cap on held-out rows, so large sets keep most of their rows for training. */
    maxValidationRows: z.number().int().min(10).default(2000),
    /**
     * Below this many rows a held-out split is too small to steer anything: train a fixed number of
     * passes and calibrate on out-of-fold predictions from `folds`-fold cross-fitting instead.
     */
    holdoutFrom: z.number().int().min(0).default(500),
    folds: z.number().int().min(2).max(20).default(4),
    /**
     * After early stopping, retrain on all rows for the same number of passes (≈2× training time).
     * `auto`: only under 5000 rows (where the held-out tenth is worth 1–2 points) of short-ish texts.
     */
    refit: z.union([z.literal('auto'), z.boolean()]).default('auto'),
    /**
     * Multi-label only: when a label is predicted. `probability`: its calibrated probability is at
     * least 0.5, the most probable label set under the model (best exact-match accuracy and
     * micro-F1, and stable on small training sets). `label-f1`: a cut per label that maximizes that
     * label's held-out F1, which buys macro-F1 on rare labels by predicting more labels per text,
     * and swings from round to round under a few thousand rows (goemotions figures in docs/student.md).
     */
    multiLabelDecision: z.enum(['probability', 'label-f1']).default('probability'),
    /**
     * Weights stored as small integers times one float32 scale per feature. `int4` (-7..7, the scale
     * rounded to 4 mantissa bits): ~2.5× smaller files than `int8` and the same validation accuracy
     * on banking77, trec, emotion and sms_spam (docs/student.md); `none` keeps float32.
     */
    quantize: z.enum(['int4', 'int8', 'none']).default('int4'),
    /**
     * Share of the features kept: after training, those whose weight rows weigh most (L2 norm × IDF)
     * are kept and the model is refit on them alone (fastText's quantize -cutoff does the like).
     * 0.1 was chosen on the validation splits of banking77, trec, emotion and sms_spam (mean accuracy
     * equal to keeping all; files 10-40× smaller, predictions faster); 1 keeps every feature.
     */
    keepFraction: z.number().min(0.001).max(1).default(0.1),
    /**
     * Pruning never keeps fewer features than this (nor prunes a model that has fewer): the loop's
     * students train on a few hundred rows, where a tenth of their features is too few.
     */
    keepAtLeast: z.number().int().min(1).default(3000),
  })
  .strict()
  .refine((p) => p.charMax === 0 || p.charMin <= p.charMax, {
    message: 'charMin must be at most charMax',
    path: ['charMin'],
  });

export type HashedLinearParams = z.output<typeof HashedLinearParamsSchema>;
export type HashedLinearParamsInput = z.input<typeof HashedLinearParamsSchema>;

export function defaultHashedLinearParams(): HashedLinearParams {
  return HashedLinearParamsSchema.parse({});
}
