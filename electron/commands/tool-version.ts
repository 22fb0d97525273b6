/** The version of Stratum, for transports (`stratum --version`, the app's About box). */
export { TOOL_VERSION } from '../node/system.ts';
