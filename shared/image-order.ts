/** Newest first by the version in the name (vmlinux-6.1.102 before vmlinux-5.10.999). */
export function newestFirst(a: { name: string }, b: { name: string }): number {
  return b.name.localeCompare(a.name, 'en', { numeric: true });
}
