import { describe, expect, it } from 'vitest';
import type { ProfilerEvent } from './event.js';
import { formatMemory, formatTime, KeyAverages } from './key-averages.js';

let nextId = 0;
function ev(name: string, duration: number, selfDuration: number, extra: Partial<ProfilerEvent> = {}): ProfilerEvent {
  return {
    id: nextId++, name, kind: 'op', parentId: null, depth: 0, start: 0, duration, selfDuration, backend: 'cpu',
    inputShapes: null, cpuMemoryUsage: null, selfCpuMemoryUsage: null, memory: null, stack: null, step: 0, threadId: 0,
    ...extra,
  };
}

describe('formatTime and formatMemory', () => {
  it('print as PyTorch does', () => {
    expect([formatTime(12.3456), formatTime(1234.5), formatTime(2_500_000)]).toEqual(['12.346us', '1.234ms', '2.500s']);
    expect([formatMemory(512), formatMemory(1536), formatMemory(-3 * 2 ** 20), formatMemory(2 ** 31)]).toEqual(['512 b', '1.50 Kb', '-3.00 Mb', '2.00 Gb']);
  });
});

describe('KeyAverages', () => {
  const events = [
    ev('forward', 100, 10, { kind: 'range' }),
    ev('matmul', 60, 60, { inputShapes: [[4, 3], [3, 2]] }),
    ev('add', 20, 20, { inputShapes: [[4, 2], [2]] }),
    ev('matmul', 10, 10, { inputShapes: [[2, 2], [2, 2]] }),
  ];

  it('groups by name, summing totals and self times', () => {
    const avg = KeyAverages.fromEvents(events);
    expect(avg.rows.map((r) => [r.key, r.count, r.cpuTimeTotal, r.selfCpuTimeTotal, r.cpuTime])).toEqual([
      ['forward', 1, 100, 10, 100],
      ['matmul', 2, 70, 70, 35],
      ['add', 1, 20, 20, 20],
    ]);
    expect(avg.selfCpuTimeTotal).toBe(100);
  });

  it('prints the table as PyTorch does', () => {
    const table = KeyAverages.fromEvents(events).table({ sortBy: 'selfCpuTimeTotal' });
    expect(table).toBe(
      [
        '-----------  ------------  ------------  ------------  ------------  ------------  ------------',
        '       Name    Self CPU %      Self CPU   CPU total %     CPU total  CPU time avg    # of Calls',
        '-----------  ------------  ------------  ------------  ------------  ------------  ------------',
        '     matmul        70.00%      70.000us        70.00%      70.000us      35.000us             2',
        '        add        20.00%      20.000us        20.00%      20.000us      20.000us             1',
        '    forward        10.00%      10.000us       100.00%     100.000us     100.000us             1',
        '-----------  ------------  ------------  ------------  ------------  ------------  ------------',
        'Self CPU time total: 100.000us',
        '',
      ].join('\n'),
    );
  });

  it('sorts, limits rows, and adds Input Shapes when grouped by them', () => {
    const avg = KeyAverages.fromEvents(events, { groupByInputShape: true });
    expect(avg.rows.map((r) => r.inputShapes)).toEqual(['[]', '[[4, 3], [3, 2]]', '[[4, 2], [2]]', '[[2, 2], [2, 2]]']);
    const lines = avg.table({ sortBy: 'cpuTimeTotal', rowLimit: 2 }).split('\n');
    expect(lines[1]).toMatch(/# of Calls\s+Input Shapes$/);
    expect(lines.slice(3, 5).map((l) => l.trim().split(/\s{2,}/)[0])).toEqual(['forward', 'matmul']);
    expect(lines[4]).toMatch(/\[\[4, 3\], \[3, 2\]\]$/);
    expect(lines[5]).toMatch(/^-+/);
    const byCount = KeyAverages.fromEvents(events).table({ sortBy: 'count' }).split('\n')[3]!;
    expect(byCount.trim().startsWith('matmul')).toBe(true);
  });

  it('truncates long names', () => {
    const long = 'x'.repeat(80);
    const line = KeyAverages.fromEvents([ev(long, 1, 1)]).table().split('\n')[3]!;
    expect(line.startsWith('x'.repeat(52) + '...  ')).toBe(true);
  });

  it('rejects unknown sort keys and bad row limits, naming them', () => {
    const avg = KeyAverages.fromEvents(events);
    expect(() => avg.table({ sortBy: 'cpu_time_total' as never })).toThrow(
      /table\(\): sortBy must be one of 'cpuTimeTotal', 'selfCpuTimeTotal', 'count', 'cpuMemoryUsage', 'selfCpuMemoryUsage' \(got "cpu_time_total"\)/,
    );
    expect(() => avg.table({ rowLimit: 0 })).toThrow(/table\(\): rowLimit must be a positive integer or Infinity \(got 0\)/);
    expect(() => KeyAverages.fromEvents(events, { groupByStackN: -1 })).toThrow(/keyAverages\(\): groupByStackN must be an integer >= 0 \(got -1\)/);
  });
});
