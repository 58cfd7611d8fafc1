import type { Profile } from '../../../common/src/dto/profiles.js';
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';

/**
 * The props the workspace mounts the full profile editor (`connections/ProfileEditor.svelte`)
 * with, inside its dialog: `profile` undefined = a new profile; `onSaved` after main saved it
 * (the side bar reloads the list and closes the dialog); `onCancel` closes the dialog.
 */
export interface ProfileEditorProps {
  api: ExplorerApi;
  profile: Profile | undefined;
  secretsPersistent: boolean;
  onSaved: (profile: Profile) => void;
  onCancel: () => void;
}
