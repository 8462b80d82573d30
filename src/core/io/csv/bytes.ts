/** The bytes CSV syntax is made of. */
export const QUOTE = 0x22;
export const LF = 0x0a;
export const CR = 0x0d;
