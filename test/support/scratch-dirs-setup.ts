import { afterAll } from 'vitest';
import { removeScratchDirs } from './scratch-dirs';

// Every test file's scratch directories go when it ends (see scratch-dirs.ts).
afterAll(removeScratchDirs);
