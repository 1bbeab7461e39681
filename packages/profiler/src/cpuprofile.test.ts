import { describe, expect, it } from 'vitest';
import { formatFunctionTable, topFunctions, type CpuProfile } from './cpuprofile.js';

const frame = (functionName: string, url = '', lineNumber = -1) => ({ functionName, url, lineNumber, columnNumber: 0 });

// root -> main -> (hot, cold); hot also called from a second site (node 5).
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 6] },
    { id: 2, callFrame: frame('main', 'file:///app/main.js', 0), children: [3, 4, 5] },
    { id: 3, callFrame: frame('hot', 'file:///app/lib.js', 9) },
    { id: 4, callFrame: frame('', 'file:///app/lib.js', 19) },
    { id: 5, callFrame: frame('hot', 'file:///app/lib.js', 9) },
    { id: 6, callFrame: frame('(idle)') },
  ],
  startTime: 1000,
  endTime: 2000,
  // Sample times 1100, 1300, 1400, 1600, 1700; each lasts until the next (the last until endTime).
  samples: [3, 5, 4, 6, 2],
  timeDeltas: [100, 200, 100, 200, 100],
};

describe('topFunctions', () => {
  it('sums self time per function, merging call sites and dropping idle time', () => {
    const rows = topFunctions(profile).map((r) => [r.functionName, r.location.replace(/^.*\/app\//, ''), r.selfTime]);
    expect(rows).toEqual([
      ['hot', 'lib.js:10', 300],
      ['main', 'main.js:1', 300],
      ['(anonymous)', 'lib.js:20', 200],
    ]);
    expect(topFunctions(profile, 1)).toHaveLength(1);
  });

  it('formats a table with shares of the total', () => {
    const text = formatFunctionTable(topFunctions(profile), 800);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\s+Self time\s+Self %\s+Function\s+Location$/);
    expect(lines[1]).toMatch(/^\s+0\.300ms\s+37\.50%\s+hot\s+.*lib\.js:10$/);
    expect(lines).toHaveLength(4);
  });
});
