import { z } from 'zod';
import { relaySection } from './sections/relay.ts';
import { storageSection } from './sections/storage.ts';
import { limitsSection } from './sections/limits.ts';
import { nipsSection } from './sections/nips.ts';
import { verifySection } from './sections/verify.ts';
import { logSection } from './sections/log.ts';
import { policiesSection } from './sections/policies.ts';
import { modelsSection } from './sections/models.ts';
import { dvmsSection } from './sections/dvms.ts';
import { labelsSection } from './sections/labels.ts';
import { moderationSection } from './sections/moderation.ts';
import { commonsSection } from './sections/commons.ts';
import { clusterSection } from './sections/cluster.ts';
import { streamsSection } from './sections/streams.ts';
import { groupsSection } from './sections/groups.ts';

/**
 * The one configuration schema. Every key has a default and a description; keys marked
 * `.meta({ hot: true })` may change while the relay runs. Each section lives in its own file
 * under config/sections/ beside the code that reads it.
 */
export const configSchema = z
  .object({
    relay: relaySection.prefault({}),
    storage: storageSection.prefault({}),
    limits: limitsSection.prefault({}),
    nips: nipsSection.prefault({}),
    verify: verifySection.prefault({}),
    log: logSection.prefault({}),
    policies: policiesSection.prefault({}),
    models: modelsSection.prefault({}),
    dvms: dvmsSection.prefault({}),
    labels: labelsSection.prefault({}),
    moderation: moderationSection.prefault({}),
    commons: commonsSection.prefault({}),
    cluster: clusterSection.prefault({}),
    streams: streamsSection.prefault({}),
    groups: groupsSection.prefault({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
