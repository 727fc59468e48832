/** The people input contract lives in `src/domain/peopleInput.ts`; importers use it from here. */
export * from '../../domain/peopleInput.js';
