/**
 * The settings object that the extension hands to `gpiot serve`: as `initializationOptions`, as the
 * answer to `workspace/configuration` for the section "gpiot", and with every
 * `workspace/didChangeConfiguration`. Pure: no `vscode` import, so it is unit-tested under Node.
 */

/** What the server reads (camelCase keys; `null` means "the server's default"). */
export interface GpiotSettings {
  model: string;
  adaptersDir: string;
  threads: number | null;
  contextSize: number;
  kvCache: string;
  knowledgeStore: string;
  knowledgeApiKey: string;
  repairAttempts: number;
  speculative: boolean;
  smokeRun: boolean;
  generateCode: boolean;
}

/** The configuration section of the extension, and of the server's `workspace/configuration`. */
export const SECTION = 'gpiot';

/** Defaults; they must equal the `default` of each `gpiot.<key>` in package.json (unit-tested). */
export const DEFAULT_SETTINGS: Readonly<GpiotSettings> = Object.freeze({
  model: '',
  adaptersDir: '',
  threads: null,
  contextSize: 4096,
  kvCache: 'q8_0',
  knowledgeStore: '',
  knowledgeApiKey: '',
  repairAttempts: 2,
  speculative: true,
  smokeRun: true,
  generateCode: true,
});

export const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as (keyof GpiotSettings)[];

/** Reads one key of the `gpiot` section (VS Code: `workspace.getConfiguration('gpiot').get`). */
export type SettingReader = (key: string) => unknown;

/**
 * Builds the settings object from the editor's configuration. A value of the wrong JSON type (a
 * hand-edited settings.json) is replaced by the default; the server validates ranges itself and
 * reports what it rejects with `window/showMessage`.
 */
export function readSettings(read: SettingReader): GpiotSettings {
  const settings: GpiotSettings = { ...DEFAULT_SETTINGS };
  for (const key of SETTING_KEYS) {
    const value = read(key);
    const fallback = DEFAULT_SETTINGS[key];
    if (value === undefined) {
      continue;
    }
    if (key === 'threads') {
      settings.threads = value === null || isInteger(value) ? value : null;
    } else if (typeof fallback === 'string') {
      (settings[key] as string) = typeof value === 'string' ? value.trim() : fallback;
    } else if (typeof fallback === 'boolean') {
      (settings[key] as boolean) = typeof value === 'boolean' ? value : fallback;
    } else if (typeof fallback === 'number') {
      (settings[key] as number) = isInteger(value) ? value : fallback;
    }
  }
  return settings;
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

/** True when a configuration change needs a new server process rather than a settings update. */
export function needsRestart(changed: (section: string) => boolean): boolean {
  return changed(`${SECTION}.server`);
}
