import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listModels, type ModelCard } from '../../models/index.ts';
import type { VillageModeration } from '../../moderation/index.ts';
import type { Relay } from '../../relay/relay.ts';
import type { Endpoint } from './endpoint.ts';

/** Every model card under <models.dir>/heads (moderation and tag heads), newest first. */
function cards(dir: string): (ModelCard & { file: string })[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.card.json'))
    .flatMap((file) => {
      try {
        return [{ ...(JSON.parse(readFileSync(join(dir, file), 'utf8')) as ModelCard), file }];
      } catch {
        return [];
      }
    })
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** GET /api/models: the models in use, those installed, the village's heads with their cards and which version is approved. */
export function modelsEndpoint(relay: Relay, village?: VillageModeration): Endpoint {
  return {
    method: 'GET',
    path: 'models',
    role: 'moderator',
    async handle() {
      const config = relay.config.models;
      const heads = village?.heads.read();
      return {
        listing: await listModels(config),
        moderationHead: heads && { active: heads.active, versions: heads.versions, history: heads.history },
        cards: cards(join(config.dir, 'heads')),
      };
    },
  };
}
