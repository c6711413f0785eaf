import { describe, expect, it } from 'vitest';
import { arrayParam, globToRegExp, listPage, parseSortDirection, parseTagFilter } from './list-query';

describe('globToRegExp', () => {
  it('matches * and ? case-insensitively over the whole value, other characters literally', () => {
    expect(globToRegExp('ccs-*').test('CCS-1001 probe')).toBe(true);
    expect(globToRegExp('ccs-?').test('CCS-12')).toBe(false);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    expect(globToRegExp('(x)').test('(x)')).toBe(true);
  });
});

describe('parseTagFilter', () => {
  it('collects indexed key/value pairs in order', () => {
    const query = new URLSearchParams('tagFilter[1][key]=b&tagFilter[0][key]=a&tagFilter[0][value]=1&other=x');
    expect(parseTagFilter(query)).toEqual([{ key: 'a', value: '1' }, { key: 'b' }]);
  });

  it('refuses malformed tag filters', () => {
    expect(() => parseTagFilter(new URLSearchParams('tagFilter[x]=1'))).toThrow(/tagFilter/);
  });
});

describe('listPage', () => {
  const items = ['delta', 'Alpha', 'charlie', 'bravo'].map((name, id) => ({ name, id }));
  const options = {
    sortFields: { name: (item: { name: string }) => item.name, id: (item: { id: number }) => item.id },
    defaultSortField: 'name',
    filterFields: { name: (item: { name: string }) => item.name },
    defaultFilterField: 'name',
  };

  it('sorts, pages and counts', () => {
    const page = listPage(items, new URLSearchParams('perPage=2&page=1'), options, (item) => item.name);
    expect(page).toMatchObject({ items: ['charlie', 'delta'], count: 2, totalCount: 4, page: 1, perPage: 2 });
    const desc = listPage(items, new URLSearchParams('sortField=id&sortDirection=desc'), options, (item) => item.id);
    expect(desc.items).toEqual([3, 2, 1, 0]);
  });

  it('refuses out-of-range paging and unknown fields', () => {
    for (const query of [
      'perPage=0',
      'perPage=1.5',
      'page=-1',
      'sortField=size',
      'filterField=size',
      'sortDirection=x',
    ]) {
      expect(() => listPage(items, new URLSearchParams(query), options, (item) => item)).toThrow();
    }
  });
});

describe('arrayParam', () => {
  it('reads comma lists, repeats and the qs bracket forms alike', () => {
    const query = new URLSearchParams('c=a,b&c=d&c%5B0%5D=e&c%5B1%5D=f&c[]=g&cc=x&c[x]=y');
    expect(arrayParam(query, 'c')).toEqual(['a', 'b', 'd', 'e', 'f', 'g']);
  });
});

describe('parseSortDirection', () => {
  it('takes asc and desc in either case, blank as asc, and refuses anything else', () => {
    expect(parseSortDirection(new URLSearchParams('sortDirection=DESC'))).toBe('desc');
    expect(parseSortDirection(new URLSearchParams('sortDirection='))).toBe('asc');
    expect(parseSortDirection(new URLSearchParams(''))).toBe('asc');
    expect(() => parseSortDirection(new URLSearchParams('sortDirection=up'))).toThrow(/sortDirection/);
  });
});
