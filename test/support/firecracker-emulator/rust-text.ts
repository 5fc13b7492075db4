/** How Rust prints the values Firecracker puts in its messages: io::Error Display and `{:?}` of strings. */

/** glibc strerror texts for the errno values this program can meet, keyed by Node error code. */
const ERRNO: Record<string, [number, string]> = {
  EPERM: [1, 'Operation not permitted'],
  ENOENT: [2, 'No such file or directory'],
  EIO: [5, 'Input/output error'],
  ENXIO: [6, 'No such device or address'],
  EBADF: [9, 'Bad file descriptor'],
  EAGAIN: [11, 'Resource temporarily unavailable'],
  ENOMEM: [12, 'Out of memory'],
  EACCES: [13, 'Permission denied'],
  EBUSY: [16, 'Device or resource busy'],
  EEXIST: [17, 'File exists'],
  ENODEV: [19, 'No such device'],
  ENOTDIR: [20, 'Not a directory'],
  EISDIR: [21, 'Is a directory'],
  EINVAL: [22, 'Invalid argument'],
  EMFILE: [24, 'Too many open files'],
  EFBIG: [27, 'File too large'],
  ENOSPC: [28, 'No space left on device'],
  EROFS: [30, 'Read-only file system'],
  EPIPE: [32, 'Broken pipe'],
  ENAMETOOLONG: [36, 'File name too long'],
  ELOOP: [40, 'Too many levels of symbolic links'],
  ENOTSOCK: [88, 'Socket operation on non-socket'],
  EADDRINUSE: [98, 'Address already in use'],
  ECONNREFUSED: [111, 'Connection refused'],
};

interface ErrnoLike {
  code?: unknown;
  errno?: unknown;
  message?: unknown;
}

/** A Node fs/net error rendered like Rust's `std::io::Error` Display: `<strerror> (os error N)`. */
export function ioText(err: unknown): string {
  const e = (err ?? {}) as ErrnoLike;
  const known = typeof e.code === 'string' ? ERRNO[e.code] : undefined;
  if (known) return `${known[1]} (os error ${known[0]})`;
  if (typeof e.errno === 'number') return `${String(e.message)} (os error ${Math.abs(e.errno)})`;
  return String(e.message ? e.message : err);
}

/** Rust's `{:?}` for a string (close enough for ASCII and printable Unicode). */
export function rustDebugStr(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c === 0) out += '\\0';
    else if (c < 0x20 || c === 0x7f) out += `\\u{${c.toString(16)}}`;
    else out += ch;
  }
  return `${out}"`;
}
