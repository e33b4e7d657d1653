/** What main leaves for post (through GITHUB_STATE): files to remove, variables to unset. */
export const STATE = 'IAMRA_STATE';

export interface SavedState {
  profileDirs: string[];
  configFile: string;
  profileName: string;
  exported: string[];
}

export function parseState(text: string): SavedState | undefined {
  try {
    const value = JSON.parse(text) as Partial<SavedState>;
    return {
      profileDirs: Array.isArray(value.profileDirs) ? value.profileDirs.filter((d) => typeof d === 'string') : [],
      configFile: typeof value.configFile === 'string' ? value.configFile : '',
      profileName: typeof value.profileName === 'string' ? value.profileName : '',
      exported: Array.isArray(value.exported) ? value.exported.filter((n) => typeof n === 'string') : [],
    };
  } catch {
    return undefined;
  }
}
