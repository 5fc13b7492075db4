/**
 * Sizes and names both processes agree on. Kept free of zod so the renderer can import them
 * without pulling the validation library into its bundle.
 */

/** The editor opens text files up to this size. */
export const TEXT_FILE_LIMIT = 1024 * 1024;
/** Dropped files travel in chunks this size (base64 keeps a chunk under the bridge's 1 MiB message limit). */
export const UPLOAD_CHUNK_BYTES = 512 * 1024;
/** Workspace that stages files imported from this computer before they go to a host. */
export const IMPORTS_WORKSPACE = 'imports';
