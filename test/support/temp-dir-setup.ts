import { afterAll } from 'vitest';
import { removeScratchDirs } from './temp-dir';

// Every test file's scratch directories go when it ends (see scratchDir in temp-dir.ts).
afterAll(removeScratchDirs);
