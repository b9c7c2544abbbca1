import { describe, expect, it } from 'vitest';
import { searchPage } from '../../commands/search.ts';

const items = Array.from({ length: 12 }, (_, i) => ({
  id: i,
  title: `Story ${i + 1}`,
  url: `https://example.org/${i}`,
  outlet: 'Outlet',
  published: '2024-11-07',
}));
type Row = { components: Array<{ custom_id: string; label: string; disabled: boolean }> };

describe('searchPage', () => {
  it('shows five results per page with Previous/Next buttons that know the page', () => {
    const first = searchPage('k1', 'storm', items, 0);
    expect(first.embeds![0]!.description!.split('\n')).toHaveLength(5);
    expect(first.embeds![0]!.footer!.text).toBe('Page 1 of 3 · 12 articles');
    const [prev, next] = (first.components![0] as unknown as Row).components;
    expect(prev).toMatchObject({ label: 'Previous', disabled: true });
    expect(next).toMatchObject({ label: 'Next', custom_id: 'search:k1:1', disabled: false });
    const last = searchPage('k1', 'storm', items, 2);
    expect(last.embeds![0]!.description).toContain('**11.** [Story 11]');
    expect((last.components![0] as unknown as Row).components[1]!.disabled).toBe(true);
  });

  it('has no buttons when everything fits on one page', () => {
    expect(searchPage('k', 'q', items.slice(0, 3), 0).components).toEqual([]);
  });
});
