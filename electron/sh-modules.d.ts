/** Host scripts (`electron/host-scripts/*.sh`) are imported as their text; the build and vitest load them so. */
declare module '*.sh' {
  const source: string;
  export default source;
}
