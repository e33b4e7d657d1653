/** Kept in code so bundles need no package.json at run time; a test keeps it equal to package.json. */
export const VERSION = '0.1.0';
