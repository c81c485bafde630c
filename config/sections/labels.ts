import { z } from 'zod';

/** The village labeler (NIP-32 kind 1985) and the tagging DVM (dvms/labels, dvms/tags). */
export const labelsSection = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe("Run the village labeler: stored posts get NIP-32 labels (kind 1985) signed by the village's labeler key."),
    kinds: z
      .array(z.number().int().min(0).max(65535))
      .default([1, 30023])
      .describe('Kinds the labeler labels. DMs, gift wraps, labels and nips.restrictedKinds are never labelled, whatever this says.'),
    keyFile: z
      .string()
      .default('')
      .describe("The labeler's secret key (hex, created on first start, mode 0600). Empty: <storage.dataDir>/labeler.key."),
    topic: z.boolean().default(true).describe('Label topics from the village vocabulary (namespace "#t").'),
    language: z.boolean().default(true).describe('Label the language, ISO-639-1 (namespace "ISO-639-1"), detected with franc.'),
    contentWarning: z.boolean().default(true).describe('Label content warnings (namespace "content-warning", NIP-36 reasons).'),
    toxicity: z.boolean().default(true).describe('Label toxicity with the active toxicity model (namespace "village.hamlet.toxicity").'),
    maxTopics: z.number().int().min(1).max(20).default(3).describe('Most topic labels per post (and default number of tag suggestions of the DVM).'),
    minTopicScore: z.number().min(0).max(1).default(0.5).describe('Topics scoring below this are not labelled.'),
    minConfidence: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe('No label below this confidence is published, whatever the namespace thresholds below say: a label must be worth its storage.'),
    villageLanguage: z
      .string()
      .regex(/^([a-z]{2})?$/, 'must be an ISO-639-1 code, or empty')
      .default('')
      .describe(
        "The village's usual language (ISO-639-1): posts in it get no language label (it would say what nearly every post says), and feeds read a post without one as written in it. Empty: every detected language is labelled.",
      ),
    toxicityThreshold: z.number().min(0).max(1).default(0.5).describe('A toxicity label is published when its score reaches this.'),
    contentWarningThreshold: z
      .number()
      .min(0)
      .max(1)
      .default(0.7)
      .describe('A content warning is published when its score (toxicity-derived or lexical) reaches this.'),
    languageMinConfidence: z.number().min(0).max(1).default(0.6).describe('A language is labelled only at this confidence or above.'),
    languageMinLength: z.number().int().min(1).default(12).describe('Texts shorter than this (letters, after links and tags are removed) get no language label.'),
    languages: z
      .array(z.string().regex(/^[a-z]{2}$/, 'must be an ISO-639-1 code'))
      .default([])
      .describe('ISO-639-1 languages the detector chooses from; empty: every language franc knows that has an ISO-639-1 code.'),
    vocabulary: z
      .array(z.string())
      .default([])
      .describe("Topics the village always considers, besides its most used hashtags (lowercase, without '#')."),
    vocabularySize: z.number().int().min(0).max(10_000).default(200).describe('How many of the most used hashtags of stored posts make the topic vocabulary.'),
    tagsHead: z
      .string()
      .default('tags')
      .describe(
        'Trained tagger under <models.dir>/heads (`hamlet train tags`): used instead of the vocabulary when its model card says it beats the baseline and it was trained over the active embedding model. Empty: never.',
      ),
    tagsDvm: z.boolean().default(true).describe('Announce and run the tagging DVM (kind 5320) with the other DVMs.'),
    backfillHours: z
      .number()
      .min(0)
      .max(24 * 365)
      .default(24)
      .describe(
        'At start, posts of the last this many hours that the labeler has not labelled yet are labelled (posts imported by another process, or waiting when the relay stopped); 0: none.',
      ),
    backfillMaxPosts: z
      .number()
      .int()
      .min(0)
      .default(500)
      .describe('At most this many posts are labelled by the start-up backfill (the newest unlabelled ones of labels.backfillHours); 0: none.'),
    relabelHours: z
      .number()
      .min(0)
      .max(24 * 365)
      .default(168)
      .describe('After a new model (the meaning re-learnt, the tagger retrained), posts of the last this many hours are labelled again in the background and changed labels replaced; 0: none.'),
    relabelMaxPosts: z.number().int().min(0).default(20_000).describe('At most this many posts (the newest) are labelled again after a new model.'),
    queueSize: z
      .number()
      .int()
      .min(1)
      .default(10_000)
      .describe('Posts waiting to be labelled (only their ids are held; the post is read back when its turn comes); beyond this the oldest waiting ones are skipped (and counted in the log).'),
    batchSize: z.number().int().min(1).max(1024).default(64).describe('Posts labelled together (one embedding and classification batch).'),
  })
  .strict();

export type LabelsConfig = z.infer<typeof labelsSection>;
