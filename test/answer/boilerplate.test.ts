import { describe, expect, it } from 'vitest';
import { isBoilerplate } from '../../src/answer/boilerplate.ts';

describe('boilerplate sentences', () => {
  it.each([
    'Video Ad Feedback Police speak out after synagogue hostages were rescued 02:12 - Source: CNN',
    'Hide Caption 46 of 47 Photos: Princess Diana: Her life and legacy',
    'Doves are released outside the station during a vigil (Image credit: Leon Neal/AFP via Getty Images)',
    'Sign up for our morning newsletter to get the news first.',
    'By Jane Smith, CNN',
    'Updated 3:04 PM ET, Sat January 15, 2022',
    'Copyright 2022 The Associated Press. All rights reserved.',
  ])('drops %s', (s) => {
    expect(isBoilerplate(s)).toBe(true);
  });

  it.each([
    'Police in Idaho arrested 31 men believed to be affiliated with the group, officials said.',
    'The court ruled that the copyright claim could proceed.',
    'Voters who sign up before Friday can cast a ballot by mail.',
    'By Tuesday, the storm had moved out to sea.',
  ])('keeps %s', (s) => {
    expect(isBoilerplate(s)).toBe(false);
  });
});
