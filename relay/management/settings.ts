import type { Database, RootDatabase } from 'lmdb';
import type { Config } from '../../config/schema.ts';

/** The NIP-11 fields NIP-86 may change at run time. */
export type SettingKey = 'name' | 'description' | 'icon';
export const SETTING_KEYS: readonly SettingKey[] = ['name', 'description', 'icon'];

/**
 * Overrides of relay.name/description/icon set through NIP-86, kept in LMDB so they survive a
 * restart; they apply on top of the file config until the file itself changes that key.
 */
export class RelaySettings {
  private readonly db: Database<string, SettingKey>;

  constructor(env: RootDatabase) {
    this.db = env.openDB<string, SettingKey>({ name: 'relay-settings' });
  }

  get(key: SettingKey): string | undefined {
    return this.db.get(key);
  }

  async set(key: SettingKey, value: string): Promise<void> {
    await this.db.put(key, value);
  }

  /** The operator edited this key in the file: the file wins from now on. */
  async forget(key: SettingKey): Promise<void> {
    await this.db.remove(key);
  }

  /** The config with every stored override applied. */
  apply(config: Config): Config {
    let relay = config.relay;
    for (const key of SETTING_KEYS) {
      const v = this.get(key);
      if (v !== undefined && v !== relay[key]) relay = { ...relay, [key]: v };
    }
    return relay === config.relay ? config : { ...config, relay };
  }
}
