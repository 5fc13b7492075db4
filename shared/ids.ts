import { z } from 'zod';

/**
 * MicroVM ids (and the workspaces named after them): Firecracker's `--id` accepts letters,
 * digits and `-` only; an `_` there aborts the process.
 */
export const vmIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,64}$/, { message: "An id has 1 to 64 letters, digits or '-' (Firecracker accepts nothing else)." });
