// data_dir holds logpod's own files (the registry, dead letters): created 0700
// when missing, and refused when other users may write to it, since whoever
// can write there can replace what logpod reads back or make it write elsewhere.

import { mkdir, stat } from 'node:fs/promises';
import { ErrorCodes, LogpodError } from '../errors.js';

const WRITABLE_BY_OTHERS = 0o002;

/** Creates data_dir (0700) if missing; throws CONFIG_INVALID (exit 2) when others may write to it. */
export async function prepareDataDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (cause) {
    throw new LogpodError(
      ErrorCodes.CONFIG_INVALID,
      `data_dir ${dir} cannot be created: ${(cause as Error).message}`,
      { cause },
    );
  }
  const st = await stat(dir);
  if (!st.isDirectory()) {
    throw new LogpodError(ErrorCodes.CONFIG_INVALID, `data_dir ${dir} is not a directory`);
  }
  if ((st.mode & WRITABLE_BY_OTHERS) !== 0) {
    const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
    throw new LogpodError(
      ErrorCodes.CONFIG_INVALID,
      `data_dir ${dir} is writable by other users (mode ${mode}, owner uid ${st.uid}): ` +
        'anyone who can write there could make logpod read forged positions or overwrite ' +
        `another file. Use a directory only logpod's user can write (chmod o-w ${dir}), ` +
        'or a subdirectory logpod creates itself (0700), such as data_dir: <volume>/state',
    );
  }
}
