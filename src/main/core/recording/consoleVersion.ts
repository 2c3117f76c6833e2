import pkg from '../../../../package.json';

/** The console's version, written into every recording's metadata. */
export const CONSOLE_VERSION: string = pkg.version;
