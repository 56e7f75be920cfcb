// Refuses config files that someone else could have written, as sshd's StrictModes does:
// a config can run arbitrary programs (and a .js config is code), so it must be ours.
import { statSync } from 'node:fs';
import path from 'node:path';

const modeText = (mode: number) => `0${(mode & 0o777).toString(8)}`;

// Why `file` is not trustworthy, or null when it is (owned by us or root, not writable by others).
export function untrustedReason(file: string): string | null {
  const me = process.getuid?.();
  if (me === undefined) return null;
  let st;
  try {
    st = statSync(file);
  } catch {
    return null; // the loader reports unreadable files with a better message
  }
  if (st.uid !== me && st.uid !== 0) return `it belongs to uid ${st.uid}, not to you (uid ${me}) or root`;
  if (st.mode & 0o022) return `it is writable by ${st.mode & 0o002 ? 'everyone' : 'its group'} (mode ${modeText(st.mode)}); run "chmod go-w ${file}"`;
  const dir = path.dirname(file);
  const dst = statSync(dir);
  const sticky = (dst.mode & 0o1000) !== 0;
  if (dst.mode & 0o002 && !sticky) return `its directory ${dir} is writable by everyone (mode ${modeText(dst.mode)})`;
  if (dst.uid !== me && dst.uid !== 0 && !sticky) return `its directory ${dir} belongs to uid ${dst.uid}`;
  return null;
}
