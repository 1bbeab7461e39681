// Workspace packages resolve to their TypeScript sources (the "source" export condition).
import { sourceConfig } from '../../vitest.source.js';

export default sourceConfig;
