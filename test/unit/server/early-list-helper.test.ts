import { describe, expect, it } from 'vitest';
import { nerdctlHelperPays } from '../../../app/server/early-list';

describe("the nerdctl early list's helper process (app/server/early-list.ts)", () => {
  it('starts with 4 or more CPUs only, unless BERTH_NERDCTL_EARLY says otherwise', () => {
    expect(nerdctlHelperPays({}, 2)).toBe(false);
    expect(nerdctlHelperPays({}, 3)).toBe(false);
    expect(nerdctlHelperPays({}, 4)).toBe(true);
    expect(nerdctlHelperPays({ BERTH_NERDCTL_EARLY: '1' }, 2)).toBe(true);
    expect(nerdctlHelperPays({ BERTH_NERDCTL_EARLY: '0' }, 16)).toBe(false);
    expect(nerdctlHelperPays({ BERTH_NERDCTL_EARLY: 'yes' }, 2)).toBe(false);
  });
});
