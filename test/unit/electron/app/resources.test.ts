import { afterEach, describe, expect, it, vi } from 'vitest';
import { createResourceRegistry } from '../../../../electron/app/resources';

const resource = () => ({ close: vi.fn() });

afterEach(() => {
  vi.useRealTimers();
});

describe('the resource registry', () => {
  it('closes everything an owner opened when the owner goes, and nothing of other owners', () => {
    const registry = createResourceRegistry();
    const [a1, a2, b1] = [resource(), resource(), resource()];
    registry.add('tab-a', 'console', a1);
    registry.add('tab-a', 'terminal', a2);
    const kept = registry.add('tab-b', 'console', b1);
    expect(registry.releaseOwner('tab-a')).toBe(2);
    expect(a1.close).toHaveBeenCalledWith('its window went away');
    expect(a2.close).toHaveBeenCalledOnce();
    expect(b1.close).not.toHaveBeenCalled();
    expect(registry.count()).toBe(1);
    expect(registry.get(kept.id, 'tab-b')).toBe(b1);
  });

  it('hands a resource only to its owner', () => {
    const registry = createResourceRegistry();
    const handle = registry.add('tab-a', 'console', resource());
    expect(registry.get(handle.id, 'tab-b')).toBeUndefined();
  });

  it('closes a resource after its idle timeout, counted from its last use', () => {
    vi.useFakeTimers();
    const registry = createResourceRegistry();
    const idle = resource();
    const handle = registry.add('tab-a', 'console', idle, { idleMs: 60_000 });
    vi.advanceTimersByTime(50_000);
    handle.touch();
    vi.advanceTimersByTime(50_000);
    expect(idle.close).not.toHaveBeenCalled();
    vi.advanceTimersByTime(10_001);
    expect(idle.close).toHaveBeenCalledWith(expect.stringMatching(/without use/));
    expect(registry.count('console')).toBe(0);
  });

  it('keeps closing the others when one fails to close', () => {
    const log = { error: vi.fn() };
    const registry = createResourceRegistry(log);
    const broken = { close: vi.fn(() => { throw new Error('already gone'); }) };
    const fine = resource();
    registry.add('tab-a', 'console', broken);
    registry.add('tab-a', 'console', fine);
    registry.releaseOwner('tab-a');
    expect(fine.close).toHaveBeenCalledOnce();
    expect(log.error).toHaveBeenCalledOnce();
  });
});
